"""Long reports summarised: tables and charts of activities keep the top N rows and aggregate the rest.

The generated study has 300 activities; activity ``a{i}`` consumes ``i`` kWh of French electricity
(0.056 kgCO2e/kWh). Total 0.056 x (1 + ... + 300) = 0.056 x 45,150 = 2,528.4 kgCO2e. With N = 25
the report keeps a276 ... a300 (7,200 kWh, 403.2 kgCO2e) and aggregates a1 ... a275:
275 x 276 / 2 = 37,950 kWh, 0.056 x 37,950 = 2,125.2 kgCO2e, 37,950 / 45,150 = 84.05 % of the total.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from conftest import DATA

N_ACTIVITIES, TOP = 300, 25
REST_KWH = 275 * 276 / 2  # 37,950
REST_GWP = 0.056 * REST_KWH  # 2,125.2 kgCO2e


def _study_text(n: int) -> str:
    lines = ["study:", f"  id: many-{n}", f"  name: {n} activities",
             "  functional_unit: {description: one run, quantity: 1, unit: run}",
             "systems:", "  ai:", "    name: AI solution", "    activities:"]
    for i in range(1, n + 1):
        lines += [f"      - id: a{i}", f"        name: Activity {i}", "        stage: C1", "        phase: inference",
                  "        tier: data_centre", "        exchanges:",
                  f'          - {{dataset: electricity.fr, amount: "{i} kWh", assumption: generated}}']
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def payload(tmp_path_factory, library, data_dir):
    import lca

    path = tmp_path_factory.mktemp("many") / "many.yaml"
    path.write_text(_study_text(N_ACTIVITIES))
    return lca.assess(path, data_dir=data_dir, library=library).to_dict()


def _rows(html: str, heading: str) -> list[str]:
    """The body rows of the first table after ``heading``."""
    start = html.index(heading)
    body = html[html.index("<tbody>", start):html.index("</tbody>", start)]
    return re.findall(r"<tr[ >].*?</tr>", body, flags=re.S)


def test_the_input_table_keeps_the_top_25_and_one_row_for_the_rest(payload):
    from lca.report import build_context, render_html

    by_activity = payload["systems"]["ai"]["by_activity"]
    assert sum(v["gwp"] for v in by_activity.values()) == pytest.approx(0.056 * 45_150, rel=1e-6)
    rows = _rows(render_html(payload), "Every input and what it contributes")
    assert len(rows) == TOP + 1
    assert [re.search(r"ai: (a\d+)", r).group(1) for r in rows[:TOP]] == [f"a{i}" for i in range(300, 275, -1)]
    assert 'class="others"' in rows[-1] and "ai: 275 other inputs" in rows[-1]
    assert "together 84.1 % of gwp" in rows[-1] and "2\u202f125" in rows[-1]  # 2,125.2 shown with 4 digits
    assert "systems.ai.exchanges" in rows[-1] and "--format csv" in rows[-1]
    # the aggregated row is the sum of the rows left out, to the last digit
    context = build_context(payload, epoch=0)
    others = context.exchanges[-1]
    kept = {e["activity"] for e in context.exchanges[:-1]}
    rest = sum(v["gwp"] for a, v in by_activity.items() if a not in kept)
    assert others["values"]["gwp"] == pytest.approx(rest, rel=1e-12)
    assert others["values"]["gwp"] == pytest.approx(REST_GWP, rel=1e-6)


def test_charts_energy_findings_and_completeness_are_summarised(payload):
    from lca.report import render_html

    html = render_html(payload)
    gwp_chart = re.search(r"<svg[^>]*>(?:(?!</svg>).)*by activity, on its own scale(?:(?!</svg>).)*</svg>", html,
                          flags=re.S).group(0)
    values = [float(v) for v in re.findall(r'class="bar" data-value="([^"]+)"', gwp_chart)]
    assert len(values) == TOP + 1 and values[-1] == pytest.approx(REST_GWP, rel=1e-6)
    assert "275 other activities, 84.1 % of the total" in gwp_chart
    energy = _rows(html, "<th>activity</th>")
    assert len(energy) == TOP + 1 and "275 other activities, 84.1 % of the total" in energy[-1]
    assert '<td class="n">37.95</td>' in energy[-1]  # 37,950 kWh, in MWh: the section's unit (total 45.15 MWh)
    # the 300 activities on one dataset without adpe, pe and water data: one DATA_GAP finding, ten named
    gaps = [f["message"] for f in payload["findings"] if f["code"] == "DATA_GAP"]
    assert gaps == ["a1, a2, a3, a4, a5, a6, a7, a8, a9, a10 and 290 more: dataset electricity.fr@owid-2023 has no "
                    "data for adpe, pe, water; these criteria are underestimated for these 300 activities"]
    assert "a10 and 290 more: dataset electricity.fr@owid-2023" in html
    assert "a24, a25 and 275 more" in html


def test_a_long_group_of_findings_lists_the_first_25(payload):
    from lca.report import render_html

    many = dict(payload, findings=[{"code": "FLOW_NOT_CHARACTERISED", "severity": "minor", "system": "ai",
                                    "message": f"flow {i} has no factor"} for i in range(300)])
    html = render_html(many)
    assert "flow 24 has no factor" in html and "flow 25 has no factor" not in html
    assert "and 275 more findings FLOW_NOT_CHARACTERISED" in html  # 300 - 25


def test_report_rows_zero_keeps_every_row(payload):
    from lca.report import build_context

    assert len(build_context(payload, epoch=0, top=0).exchanges) == N_ACTIVITIES
    assert len(build_context(payload, epoch=0, top=N_ACTIVITIES - 1).exchanges) == N_ACTIVITIES  # never "1 other"
    assert len(build_context(payload, epoch=0, top=10).exchanges) == 11


def test_the_pdf_of_300_activities_stays_short(payload):
    import pypdf

    from lca.report import render_pdf

    pages = len(pypdf.PdfReader(io.BytesIO(render_pdf(payload))).pages)
    assert pages <= 20, pages  # 57 pages before, one bar per activity in every chart


def test_report_rows_is_checked_before_computing():
    proc = subprocess.run([sys.executable, "-m", "lca.cli", "run", str(DATA / "tiny.yaml"), "--report-rows", "-3"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "argument --report-rows: give a number of rows between 0 and" in proc.stderr


def test_others_row_of_a_system_without_those_activities_is_a_dash_not_zero():
    # energy by activity, AI and reference columns: the reference has only `heating` (500);
    # the 3 AI rows left out (1 + 2 + 3 = 6 of 106 kWh) have no value in the reference column
    from lca.report.fmt import num
    from lca.report.summarise import top_rows

    rows = [("heating", (100.0, 500.0)), ("a", (1.0, None)), ("b", (2.0, None)), ("c", (3.0, None))]
    kept, others = top_rows(rows, lambda r: r[1], 1)
    assert [r[0] for r in kept] == ["heating"] and others is not None
    assert others.sums == (6.0, None) and num(others.sums[1]) == "–"
    assert others.share_text(["AI", "reference"]) == "5.66 % of AI"  # 6 / 106; nothing said of the reference


def test_others_share_of_a_zero_total_reads_as_such():
    # a criterion on which every activity is 0 (no data): not "– of the total"
    from lca.report.summarise import top_rows

    _, others = top_rows([("a", 0.0), ("b", 0.0), ("c", 0.0)], lambda r: [r[1]], 1)
    assert others is not None and others.share_text() == "the total is zero"
