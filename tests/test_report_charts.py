"""The report's SVG charts: bars proportional to the numbers, labels that never overflow, colours
that stay apart in grey and for colour-blind readers, and the waterfall's arithmetic."""

from __future__ import annotations

import re

import pytest

from lca.report import charts
from lca.report.chart_views import criterion_charts, waterfall_steps


def _bars(svg: str) -> list[tuple[float, float, float]]:
    """(data-value, width, height) of every data bar of a chart."""
    out = []
    for m in re.finditer(r'<rect class="bar[^"]*" data-value="([^"]+)" x="[^"]+" y="[^"]+" width="([^"]+)" '
                         r'height="([^"]+)"', svg):
        out.append((float(m.group(1)), float(m.group(2)), float(m.group(3))))
    return out


# ------------------------------------------------------------------ colours

def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# Viénot, Brettel and Mollon 1999 dichromat simulation in linear RGB (as used by e.g. colorspacious
# and DaltonLens): protanopia and deuteranopia
_SIM = {
    "protan": ((0.11238, 0.88762, 0.0), (0.11238, 0.88762, 0.0), (0.00401, -0.00401, 1.0)),
    "deutan": ((0.29275, 0.70725, 0.0), (0.29275, 0.70725, 0.0), (-0.02234, 0.02234, 1.0)),
}


def simulate(hex_colour: str, kind: str) -> tuple[float, float, float]:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [lin(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5)]
    return tuple(sum(m * v for m, v in zip(row, rgb)) for row in _SIM[kind])


def test_luminance_formula():
    # white 1, black 0, pure green 0.7152 (the WCAG coefficients)
    assert luminance("#ffffff") == pytest.approx(1.0) and luminance("#000000") == 0.0
    assert luminance("#00ff00") == pytest.approx(0.7152)
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)


@pytest.mark.parametrize("pair", charts.USED_TOGETHER)
def test_colours_drawn_together_stay_apart_in_grey(pair):
    """Printed in grey only luminance is left: colours side by side in one chart need a contrast
    ratio of at least 2 (orange 0.42 vs blue 0.15: (0.42 + 0.05) / (0.15 + 0.05) = 2.3)."""
    a, b = (charts.PALETTE[k] for k in pair)
    assert contrast(a, b) >= 2.0, (pair, contrast(a, b))


@pytest.mark.parametrize("pair", charts.USED_TOGETHER)
@pytest.mark.parametrize("kind", ["protan", "deutan"])
def test_colours_drawn_together_stay_apart_for_colour_blind_readers(pair, kind):
    """After a protanopia or deuteranopia simulation the two colours still differ in luminance
    (ratio >= 1.8) and in colour (sum of linear RGB differences >= 0.2)."""
    a, b = (simulate(charts.PALETTE[k], kind) for k in pair)
    la, lb = sorted((0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2], 0.2126 * b[0] + 0.7152 * b[1] + 0.0722 * b[2]),
                    reverse=True)
    assert (la + 0.05) / (lb + 0.05) >= 1.8
    assert sum(abs(x - y) for x, y in zip(a, b)) >= 0.2


def test_bars_stand_out_on_white_paper():
    for key in ("ai", "reference", "gain", "service", "net", "low", "high", "mc"):
        assert contrast(charts.PALETTE[key], "#ffffff") >= 1.8, key


def test_reference_is_hatched_as_well():
    svg = charts.bar_chart("t", "kg", ["a"], [charts.Series("ai", "AI", (1.0,)), charts.Series("reference", "ref", (2.0,))])
    assert "<pattern id=\"hatch-reference-" in svg and 'fill="url(#hatch-reference-' in svg


# ------------------------------------------------------------------ geometry

def test_bar_lengths_proportional_to_values():
    svg = charts.bar_chart("t", "kg", ["a", "b", "c"], [charts.Series("ai", "AI", (10.0, 25.0, -5.0))])
    bars = _bars(svg)
    assert [b[0] for b in bars] == [10.0, 25.0, -5.0]
    # range [-5, 25] over PLOT_R - PLOT_L px: 30 units
    k = (charts.PLOT_R - charts.PLOT_L) / 30
    for value, width, _ in bars:
        assert width == pytest.approx(abs(value) * k, abs=0.01)


def test_waterfall_from_reference_to_net():
    steps = [("gain", "gain", -100.0), ("service", "training", 30.0), ("service", "inference", 20.0)]
    svg = charts.waterfall_chart("w", "kg", 1000.0, steps, -50.0)
    bars = _bars(svg)
    assert [b[0] for b in bars] == [-100.0, 30.0, 20.0, -50.0]  # the net is the sum: -100 + 30 + 20
    k = (charts.PLOT_R - charts.PLOT_L) / 100  # range [-100, 0]
    for value, width, _ in bars:
        assert width == pytest.approx(abs(value) * k, abs=0.01)
    xs = [float(x) for x in re.findall(r'<rect class="bar" data-value="[^"]+" x="([^"]+)"', svg)]
    # training starts where the gain ended (x of -100), inference where training ended (-70)
    assert xs[1] == pytest.approx(charts.PLOT_L) and xs[2] == pytest.approx(charts.PLOT_L + 30 * k)


def test_histogram_heights_proportional_to_counts_and_zero_marked():
    svg = charts.histogram_chart("h", "kg", [-30.0, -20.0, -10.0], [5, 20])
    bars = _bars(svg)
    assert [b[0] for b in bars] == [5, 20]
    assert bars[1][2] == pytest.approx(4 * bars[0][2])  # 20 / 5
    assert 'class="zero"' in svg  # the axis is widened to reach zero, and zero is drawn


def test_a_chart_without_bars_has_no_data_marks():
    # the legend swatch is not a bar: a test counting rect.bar cannot be fooled by it
    svg = charts.bar_chart("t", "kg", [], [charts.Series("ai", "AI", ()), charts.Series("reference", "R", ())])
    assert _bars(svg) == [] and 'class="swatch"' in svg


# ------------------------------------------------------------------ labels

@pytest.mark.parametrize("length", [1, 20, 60, 200, 5000])
def test_labels_wrap_and_shorten_with_full_title(length):
    name = ("Training on a very-long-named accelerator " * 200)[:length].strip() or "x"
    svg = charts.bar_chart("t", "kg", [name], [charts.Series("ai", "AI", (1.0,))])
    lines = re.findall(r'<tspan x="[^"]+" y="[^"]+">([^<]*)</tspan>', svg)
    label_lines = lines[1:]  # after the heading
    assert 1 <= len(label_lines) <= charts.MAX_LINES
    for line in label_lines:
        assert charts.text_width(line) <= charts.LABEL_W - 14
    shortened = "".join(label_lines).replace("-", "").replace(" ", "") != name.replace("-", "").replace(" ", "")
    if shortened:
        assert label_lines[-1].endswith("…")
    assert f"<title>{name}</title>" in svg  # the full name is always there


def test_one_long_word_is_broken_not_overflowing():
    word = "x" * 120
    lines, cut = charts.wrap(word, 100)
    assert all(charts.text_width(line) <= 100 for line in lines)
    assert cut and lines[-1].endswith("…")


def test_text_width_estimate_is_never_smaller_than_the_font():
    """Checked against DejaVu Sans' own advances (the report's font) when the font is installed."""
    pil = pytest.importorskip("PIL.ImageFont")
    from pathlib import Path

    regular = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    bold = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    if not (regular.exists() and bold.exists()):
        pytest.skip("DejaVu Sans not installed")
    f, fb = pil.truetype(str(regular), 100), pil.truetype(str(bold), 100)
    sample = ("From the reference to the AI solution: Abiotic depletion, minerals and metals (ADPe) "
              "WWW mmm 0123456789 −1.668 × 10⁴ kgCO2e/FU [no data] é à ü #&+<=>")
    for ch in sample:
        assert f.getlength(ch) / 100 <= charts.text_width(ch, 1) + 1e-9, ch
        assert fb.getlength(ch) / 100 <= charts.text_width(ch, 1, bold=True) + 1e-9, ch


# ------------------------------------------------------------------ built from a result

def _payload() -> dict:
    """A hand-made comparative result: reference 1000; AI: target system 800 + training 30 +
    inference 20 = 850; gain 1000 - 800 = 200; net 850 - 1000 = -150."""
    acts = [{"id": "t", "name": "target", "stage": "C", "phase": "none"},
            {"id": "g", "name": "GPU production", "stage": "A+B", "phase": "training"},
            {"id": "e", "name": "controller electricity", "stage": "C", "phase": "inference"}]
    ai = {"name": "AI", "total": {"gwp": 850.0},
          "by_phase": {"none": {"gwp": 800.0}, "training": {"gwp": 30.0}, "inference": {"gwp": 20.0}},
          "by_activity": {"t": {"gwp": 800.0}, "g": {"gwp": 30.0}, "e": {"gwp": 20.0}},
          "activities": acts, "exchanges": []}
    ref = {"name": "Ref", "total": {"gwp": 1000.0}, "by_phase": {"none": {"gwp": 1000.0}},
           "by_activity": {"r": {"gwp": 1000.0}}, "activities": [], "exchanges": []}
    return {"criteria": {"gwp": {"name": "Climate change", "unit": "kgCO2e"}},
            "systems": {"ai": ai, "reference": ref}, "net": {"gwp": -150.0}, "datasets": {},
            "uncertainty": {"histograms": {"gwp": {"edges": [-200.0, -150.0, -100.0], "counts": [3, 7]}},
                            "net": {"gwp": {"p_benefit": 1.0}}}}


def test_waterfall_steps_of_a_result():
    steps = waterfall_steps(_payload(), "gwp")
    assert steps[0][0] == "gain" and steps[0][2] == -200.0
    assert [(s[1], s[2]) for s in steps[1:]] == [("AI service: training", 30.0), ("AI service: inference", 20.0)]
    assert sum(s[2] for s in steps) == -150.0  # the net


def test_service_charts_leave_out_the_target_system():
    [c] = criterion_charts(_payload())
    by_activity = _bars(c.by_activity)
    assert [b[0] for b in by_activity] == [30.0, 20.0]  # not the 800 of the target system
    assert [b[0] for b in _bars(c.by_stage)] == [30.0, 20.0]  # A+B 30, C 20 (inference only)
    assert [b[0] for b in _bars(c.histogram)] == [3, 7]
    assert "P(net &lt; 0) = 100 %" in c.histogram


def _with_water(payload: dict, water_data: bool = False) -> dict:
    """The hand-made result plus a `water` criterion on which every value is 0: the one dataset
    used has no data on water (``sources.water`` null), or a measured 0 with ``water_data``."""
    payload["criteria"]["water"] = {"name": "Water use", "unit": "m3"}
    for system in payload["systems"].values():
        system["total"]["water"] = 0.0
        for table in ("by_phase", "by_activity"):
            for values in system[table].values():
                values["water"] = 0.0
    payload["net"]["water"] = 0.0
    payload["uncertainty"]["histograms"]["water"] = {"edges": [0.0, 0.0], "counts": [10]}  # 10 nets of 0
    payload["datasets"] = {"gpu@x": {"sources": {"gwp": {"source": "s"},
                                                  "water": {"source": "s"} if water_data else None}}}
    payload["systems"]["ai"]["exchanges"] = [{"activity": "g", "kind": "dataset", "target": "gpu@x"}]
    return payload


def test_a_criterion_that_is_all_zero_says_so_instead_of_drawing_empty_bars():
    gwp, water = criterion_charts(_with_water(_payload()))
    assert len(_bars(gwp.waterfall)) == 4 and 'data-empty' not in gwp.waterfall  # gain, 2 phases, net
    assert len(_bars(gwp.histogram)) == 2
    for svg in (water.waterfall, water.by_activity, water.histogram):
        assert _bars(svg) == [] and 'data-empty="true"' in svg
        assert "No data on Water use for" in svg and "see the data-gap findings" in svg
    assert "the AI service" in water.by_activity and water.by_stage is None


def test_a_measured_zero_is_not_called_no_data():
    _, water = criterion_charts(_with_water(_payload(), water_data=True))
    assert "No data" not in water.by_activity and "Water use is 0 for the AI service" in water.by_activity


def test_an_all_zero_cumulative_net_says_so():
    from lca.report.effects_view import _deployment_rows

    payload = _with_water(_payload())
    zero = {"cumulative": [0.0, 0.0], "break_even_year": None, "break_even_scale": None, "at_horizon": 0.0,
            "per_functional_unit": 0.0, "net_per_unit": 0.0}
    # gwp: -150 per unit and year, so the cumulative net is -150, -300 after two years
    gwp = {**zero, "cumulative": [-150.0, -300.0], "break_even_year": 1}
    dep = {"labels": ["2030", "2031"], "criteria": {"gwp": {"first_order": gwp, "after_effects": gwp},
                                                     "water": {"first_order": zero, "after_effects": zero}}}
    rows = {r["id"]: r["chart"] for r in _deployment_rows(dep, payload)}
    assert "data-empty" not in rows["gwp"] and "−300" in rows["gwp"]
    assert 'data-empty="true"' in rows["water"] and "No data on Water use" in rows["water"]
    assert "<polyline" not in rows["water"]


def test_the_summarised_bar_keeps_its_whole_label():
    # 30 service activities of 1 kgCO2e each, 3 kept: the 4th bar is "27 other activities, 90 % of
    # the total" (27 of 30), drawn whole (no "…"); where the 27 are is said in the heading
    acts = [{"id": f"a{i}", "name": f"activity {i}", "stage": "C", "phase": "training"} for i in range(30)]
    ai = {"total": {"gwp": 30.0}, "by_phase": {"training": {"gwp": 30.0}},
          "by_activity": {a["id"]: {"gwp": 1.0} for a in acts}, "activities": acts, "exchanges": []}
    payload = {"criteria": {"gwp": {"name": "Climate change", "unit": "kgCO2e"}}, "systems": {"ai": ai},
               "net": None, "datasets": {}}
    [c] = criterion_charts(payload, top=3)
    assert len(_bars(c.by_activity)) == 4
    label = re.findall(r'<g class="label"><title>([^<]*)</title>(.*?)</g>', c.by_activity, flags=re.S)[-1]
    assert label[0] == "27 other activities, 90 % of the total"
    assert " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", label[1])) == label[0]  # not shortened
    assert "the 27 other activities one by one: systems.ai.by_activity" in c.by_activity
