"""The HTML report in headless Chromium (DevTools protocol): no console error, no request leaving
the file, no script running even with hostile claim text, every chart drawn, the verdict on the
first screen. Skips when no Chromium is installed (``.ci/run`` installs Debian's ``chromium``)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

websocket = pytest.importorskip("websocket")

DATA = Path(__file__).parent / "data"
BROWSER = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed")


class Page:
    """One headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self, profile: Path):
        self.proc = subprocess.Popen(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = profile / "DevToolsActivePort"
        deadline = time.time() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError("Chromium did not start")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.events: list[dict] = []
        self._id = 0

    def send(self, method: str, **params) -> dict:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 60) -> None:
        deadline = time.time() + timeout
        while not any(e.get("method") == method for e in self.events):
            if time.time() > deadline:
                raise TimeoutError(method)
            self.events.append(json.loads(self.ws.recv()))

    def evaluate(self, expression: str):
        out = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return out["result"].get("value")

    def close(self) -> None:
        """Stop Chromium and every helper process it started (they share its session)."""
        try:
            self.ws.close()
        finally:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=20)
                    break
                except subprocess.TimeoutExpired:
                    continue


def open_report(html_path: Path, profile: Path) -> tuple[Page, dict]:
    page = Page(profile)
    for domain in ("Page", "Runtime", "Log", "Network"):
        page.send(f"{domain}.enable")
    page.send("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
    page.send("Page.navigate", url=html_path.as_uri())
    page.wait_for("Page.loadEventFired")
    time.sleep(0.5)  # let late console messages arrive
    page.evaluate(GEOMETRY_JS)
    state = page.evaluate("""JSON.stringify({
        pwned: window.__pwned === undefined ? null : String(window.__pwned),
        scripts: document.scripts.length,
        charts: [...document.querySelectorAll('svg.chart')].map(chartGeometry),
        text: document.body.innerText,
        statement: (document.querySelector('#verdict .statement') || {}).textContent || null,
        verdict_bottom: document.querySelector('#verdict .label')?.getBoundingClientRect().bottom ?? null,
        key_bottom: document.querySelector('#verdict table')?.getBoundingClientRect().bottom ?? null,
        too_wide: [...document.querySelectorAll('table')]
            .filter(t => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(t => (t.closest('section[id]') || {}).id || t.innerText.slice(0, 80)),
        viewport: window.innerHeight,
        hrefs: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    })""")
    return page, json.loads(state)


GEOMETRY_JS = """
window.chartGeometry = function (svg) {
    // in the SVG's own units: every data bar with its value and drawn size; every text box
    const view = svg.viewBox.baseVal;
    const frame = svg.getBoundingClientRect();
    const k = view.width / frame.width;  // SVG units per CSS pixel
    const box = el => {
        const r = el.getBoundingClientRect();
        return {x: (r.left - frame.left) * k, y: (r.top - frame.top) * k, width: r.width * k, height: r.height * k};
    };
    const bars = [...svg.querySelectorAll('rect.bar')].map(r => {
        const b = box(r);
        return {value: parseFloat(r.dataset.value), width: b.width, height: b.height,
                vertical: r.classList.contains('vbar')};
    });
    const texts = [...svg.querySelectorAll('text')].map(t => {
        const b = box(t);
        const group = t.closest('g.label, g.heading, g.legend');
        const title = group ? group.querySelector('title').textContent : null;
        return {text: t.textContent, x0: b.x, x1: b.x + b.width, y0: b.y, y1: b.y + b.height,
                label: t.closest('g.label') !== null, title: title,
                lines: [...t.querySelectorAll('tspan')].map(s => s.textContent)};
    });
    return {kind: svg.dataset.chart, width: view.width, height: view.height, empty: svg.dataset.empty === 'true',
            shown: svg.getBoundingClientRect().height, bars: bars, texts: texts};
};
"""


BAR_CHARTS = {"bars", "waterfall", "histogram", "interval", "tornado"}  # lca/report/charts.py: data marks are rect.bar


def check_chart(chart: dict) -> None:
    """Drawn; for the bar charts: bars present, lengths in ratio to their values; no text outside
    the chart or cut."""
    kind = chart["kind"]
    bars = chart["bars"]
    assert chart["shown"] > 20, f"{kind}: not drawn"
    if kind not in BAR_CHARTS:  # drawn by another module (consequence tree, cumulative lines)
        return
    if chart["empty"]:  # every value 0 (lca.report.chart_views.nothing_to_draw): no bars, a note saying why
        note = "".join(t["text"] for t in chart["texts"]).replace(" ", "")  # lines wrapped into tspans
        assert not bars and "nothingtodraw" in note, kind
        return
    assert bars, f"{kind}: a chart without bars"
    lengths = [(b["height"] if b["vertical"] else b["width"], abs(b["value"])) for b in bars]
    longest, top = max(lengths, key=lambda lv: lv[1])
    if top > 0:
        scale = longest / top  # SVG units per unit of value, from the longest bar
        for drawn, value in lengths:
            # 0.5 is the thinnest bar drawn (a value too small to see keeps a hairline)
            assert abs(drawn - max(value * scale, 0.5 if not bars[0]["vertical"] else 0)) <= 0.6, (kind, drawn, value)
    for t in chart["texts"]:
        assert t["x0"] >= -0.5 and t["x1"] <= chart["width"] + 0.5, (kind, "text outside", t["text"])
        assert t["y0"] >= -0.5 and t["y1"] <= chart["height"] + 0.5, (kind, "text outside", t["text"])
        if t["label"]:
            from lca.report.charts import LABEL_W
            assert t["x1"] <= LABEL_W, (kind, "label runs into the bars", t["text"])
        shown = " ".join(t["lines"]) if t["lines"] else t["text"]
        if shown.endswith("…"):
            assert t["title"] and len(t["title"]) > len(shown) - 1, (kind, "shortened without its full name", shown)


def problems(events: list[dict], page_url: str) -> tuple[list, list]:
    """(console errors and exceptions, requests to anything but the report file itself)."""
    errors, requests = [], []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.exceptionThrown" or (m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert")):
            errors.append(p)
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            errors.append(p["entry"])
        elif m == "Network.requestWillBeSent" and p["request"]["url"] != page_url:
            requests.append(p["request"]["url"])
    return errors, requests


@pytest.fixture()
def profile():
    tmp = Path(tempfile.mkdtemp(prefix="ai-lca-chromium-"))
    yield tmp
    for _ in range(10):  # a helper process may still be flushing the profile for a moment
        shutil.rmtree(tmp, ignore_errors=True)
        if not tmp.exists():
            break
        time.sleep(0.5)


def check_numbers(charts: list[dict], payload: dict) -> None:
    """The bars carry the result's numbers: the first waterfall step is the gain enabled
    (reference - target system), the last the net; the by-activity bars are the AI service's
    activities (phase other than none) in the study's order."""
    waterfalls = [c for c in charts if c["kind"] == "waterfall"]
    ai, ref = payload["systems"]["ai"], payload["systems"]["reference"]
    service = [a["id"] for a in ai["activities"] if a["phase"] != "none"]
    for chart, cid in zip(waterfalls, payload["criteria"]):
        if chart["empty"]:  # every value 0: checked by check_chart (no bars, a note)
            continue
        values = [b["value"] for b in chart["bars"]]
        gain = ref["total"][cid] - ai["by_phase"].get("none", {}).get(cid, 0.0)
        assert values[0] == pytest.approx(-gain) and values[-1] == pytest.approx(payload["net"][cid])
        assert sum(values[:-1]) == pytest.approx(values[-1])
    by_activity = [c for c in charts if c["kind"] == "bars"][0::2]
    for chart, cid in zip(by_activity, payload["criteria"]):
        if chart["empty"]:
            continue
        assert [b["value"] for b in chart["bars"]] == pytest.approx([ai["by_activity"][a][cid] for a in service])


@pytest.mark.parametrize("study", ["claim-heating.yaml", "report-hostile.yaml"])
def test_report_in_browser(study, library, data_dir, tmp_path, profile):
    import lca
    from lca.io.publish import write_outputs

    result = lca.assess(DATA / study, data_dir=data_dir, library=library)
    [html_path] = write_outputs(result, tmp_path, ["html"])
    page, state = open_report(html_path, profile)
    try:
        errors, requests = problems(page.events, html_path.as_uri())
    finally:
        page.close()
    assert errors == []
    assert requests == []
    assert state["pwned"] is None and state["scripts"] == 0
    # per criterion (4: gwp, adpe, pe, water): a waterfall, the AI service by activity, by stage;
    # a criterion with nothing to draw (water: no data in these studies) keeps the first two, each
    # saying so, and has no chart by stage
    drawn = sorted(c["kind"] for c in state["charts"] if not c["empty"])
    empty = sorted(c["kind"] for c in state["charts"] if c["empty"])
    nothing = [c for c in ("gwp", "adpe", "pe", "water")
               if all(s.total[c] == 0 for s in result.systems.values())]
    assert empty == sorted(["bars", "waterfall"] * len(nothing))
    assert drawn == sorted(["bars", "bars", "waterfall"] * (4 - len(nothing)))
    for chart in state["charts"]:
        check_chart(chart)
    check_numbers(state["charts"], result.to_dict())
    assert all(h.startswith(("#", "https://", "http://")) for h in state["hrefs"])
    # the analyst learns the verdict without scrolling: label and key numbers on the first screen
    assert state["verdict_bottom"] <= state["viewport"] and state["key_bottom"] <= state["viewport"]
    statement = result.extras["claim"]["statement"]
    assert state["statement"] == f"“{statement}”"  # markup shown as text, exactly as written
    if study == "report-hostile.yaml":
        assert "<script>window.__pwned = 'statement'</script>" in state["text"]
        assert "<svg onload=" in state["text"]


def test_demo_report_shows_the_tree_the_cumulative_chart_and_the_three_balances(library, data_dir, tmp_path, profile):
    """The demo beyond first order: consequence tree (3 nodes), one cumulative chart per criterion with
    the break-even year marked where there is one, and the balance table: first order, after higher-order
    effects and the break-even rebound, each with P(net < 0) from the Monte Carlo."""
    import lca
    from lca.io.publish import write_outputs

    demo = Path(__file__).resolve().parent.parent / "inventories" / "studies" / "demo-office-heating.yaml"
    result = lca.assess(demo, data_dir=data_dir, library=library, iterations=500, seed=1)
    [html_path] = write_outputs(result, tmp_path, ["html"])
    page, state = open_report(html_path, profile)
    try:
        errors, requests = problems(page.events, html_path.as_uri())
        fx = json.loads(page.evaluate("""JSON.stringify({
            tree_nodes: document.querySelectorAll('svg[data-chart="consequence-tree"] g').length,
            tree_height: (document.querySelector('svg[data-chart="consequence-tree"]') || {getBoundingClientRect: () => ({height: 0})}).getBoundingClientRect().height,
            cumulative: [...document.querySelectorAll('svg[data-chart="cumulative"]')].map(s => ({
                height: s.getBoundingClientRect().height, lines: s.querySelectorAll('polyline').length,
                text: s.textContent,
                marks: s.querySelectorAll('line.break-even').length})),
            header: [...document.querySelectorAll('table.balances th')].map(th => th.textContent),
            rows: [...document.querySelectorAll('table.balances tbody tr')].map(tr =>
                [...tr.querySelectorAll('td')].map(td => td.innerText.trim())),
        })"""))
    finally:
        page.close()
    assert errors == [] and requests == [] and state["scripts"] == 0
    for chart in state["charts"]:
        check_chart(chart)
    assert fx["tree_nodes"] == 3 and fx["tree_height"] > 100  # the gain, comfort take-back, re-spending
    # gwp and pe break even in the first year (both balances marked); adpe never does; water, the
    # fourth criterion, is no data on both sides: its chart draws no lines and says why
    assert [(c["lines"], c["marks"]) for c in fx["cumulative"]] == [(2, 2), (2, 0), (2, 2), (0, 0)]
    assert all(c["height"] > 100 for c in fx["cumulative"][:3])
    assert "nothing to draw" in fx["cumulative"][3]["text"]
    assert "first-order net" in fx["header"] and "net after effects" in fx["header"]
    assert "break-even rebound" in fx["header"] and fx["header"].count("P(net < 0)") == 2
    gwp = dict(zip(fx["header"], fx["rows"][0]))
    balances = result.extras["effects"]["balances"]["gwp"]
    assert gwp["P(net < 0)"] == "100 %"
    # break-even rebound = first-order net gain / gross gain = 16,684 / 16,917 = 98.6 %
    assert balances["break_even_rebound"] == pytest.approx(-result.net["gwp"] / balances["gross_gain"])
    assert gwp["break-even rebound"] == f"{100 * balances['break_even_rebound']:.3g} %" == "98.6 %"
    assert "holds up to a 99 % rebound; the literature range for direct rebound is 10–30 %" in state["text"]


@pytest.fixture(scope="module")
def claim_payload(library, data_dir):
    import lca

    return lca.assess(DATA / "claim-heating.yaml", data_dir=data_dir, library=library).to_dict()


def test_long_names_and_uncertainty_charts_in_browser(claim_payload, tmp_path, profile):
    """Names of every length (up to 2 000 characters, a 300-letter word) stay inside their chart,
    shortened ones keep their full name in <title>; the histogram's and the tornado's bars are in
    ratio to their numbers."""
    import copy

    from lca.report import render_html
    from test_report_html import uncertainty_extras

    payload = copy.deepcopy(claim_payload) | uncertainty_extras()
    payload["uncertainty"]["histograms"] = {"gwp": {"edges": [-110.0, -60.0, -10.0, 40.0], "counts": [10, 25, 5]}}
    names = ["x" * 300, "Training on " + "very " * 400 + "long name", "GPU"]
    acts = [a for a in payload["systems"]["ai"]["activities"] if a["phase"] != "none"]
    for act, name in zip(acts, names):
        act["name"] = name
    payload["criteria"]["gwp"]["name"] = "Climate change " + "(a criterion with a long name) " * 5
    payload["sensitivity"]["gwp"][0]["input"] = "parameter " + "a_very_long_parameter_name_" * 8
    html_path = tmp_path / "long.html"
    html_path.write_text(render_html(payload), encoding="utf-8")
    page, state = open_report(html_path, profile)
    try:
        errors, requests = problems(page.events, html_path.as_uri())
    finally:
        page.close()
    assert errors == [] and requests == [] and state["scripts"] == 0
    kinds = sorted(c["kind"] for c in state["charts"])
    assert kinds.count("histogram") == 1 and kinds.count("tornado") == 1 and kinds.count("interval") == 0
    for chart in state["charts"]:
        check_chart(chart)
    [hist] = [c for c in state["charts"] if c["kind"] == "histogram"]
    assert [b["value"] for b in hist["bars"]] == [10, 25, 5]
    shortened = [t for c in state["charts"] for t in c["texts"] if t["lines"] and t["lines"][-1].endswith("…")]
    assert shortened, "the 2 000-character name must have been shortened"
    assert any(len(t["title"]) > 2000 for t in shortened)  # the "very ... long name" activity
    assert all(t["title"] and len(t["title"]) > len(" ".join(t["lines"])) for t in shortened)


def test_scenario_table_fits_the_screen(library, data_dir, tmp_path, profile):
    """Five criteria's long names as headers of the scenarios table: the headers wrap, the table
    stays within a 1280-pixel screen (it ran to 2 070 pixels, a sideways scroll, with one-line headers)."""
    import lca
    from lca.io.publish import write_outputs

    result = lca.assess(DATA / "scenarios.yaml", data_dir=data_dir, library=library)
    [html_path] = write_outputs(result, tmp_path, ["html"])
    page, state = open_report(html_path, profile)
    try:
        errors, _ = problems(page.events, html_path.as_uri())
    finally:
        page.close()
    assert errors == [] and "Scenarios side by side" in state["text"]
    assert state["too_wide"] == []
