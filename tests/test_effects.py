"""Beyond first order (lca.effects): deployment at scale, higher-order effects, break-even rebound,
their Monte Carlo, against values computed by hand on tests/data/effects.yaml.

Per functional unit (kg CO2 = kgCO2e, factor 1): reference heating 1000; AI heating
1000 x (1 - 0.3) = 700, training 40, inference 20. net = -240, gross gain G = 1000 - 700 = 300.
"""

from __future__ import annotations

import math

import pytest

import lca
from lca.core.errors import InputError
from lca.effects.deployment import (break_even_scale, break_even_year, event_years, linear_adoption,
                                    logistic_adoption)

from conftest import DATA

STUDY = (DATA / "effects.yaml").read_text()


def _run(tmp_path, text: str, library, data_dir, **kw):
    path = tmp_path / "effects.yaml"
    path.write_text(text)
    return lca.assess(path, data_dir=data_dir, library=library, **kw)


@pytest.fixture(scope="module")
def result(library, data_dir):
    return lca.assess(DATA / "effects.yaml", data_dir=data_dir, library=library)


def test_break_even_rebound_is_the_net_gain_over_the_gross_gain(result):
    row = result.extras["effects"]["balances"]["gwp"]
    assert row["first_order"]["net"] == pytest.approx(-240, rel=1e-6)
    assert row["gross_gain"] == pytest.approx(300, rel=1e-6)
    # rebound 0.2 of the gross gain: E = 0.2 x 300 = 60; net after = -240 + 60 = -180
    assert row["by_effect"] == {"comfort": pytest.approx(60, rel=1e-6)}
    assert row["after_effects"]["net"] == pytest.approx(-180, rel=1e-6)
    # the gain vanishes when the rebound takes back 240 of the 300 gained: R* = 240 / 300 = 0.8
    assert row["break_even_rebound"] == pytest.approx(0.8, rel=1e-6)
    assert row["rebound_range"] == [0.1, 0.3]
    assert row["statement"].startswith(
        "holds at first order; holds up to an 80 % rebound; the literature range for direct rebound is 10–30 %")
    assert "beyond_first_order" in result.extras["verdict"]


def test_deployment_break_even_year_by_hand(result):
    # fixed: development 30 x 40 = 1200 in year 1, retraining 40 in years 3 and 5
    # per unit without training: -240 - 40 = -280; units 1, 1, 2, 1, 5
    # year nets 1200-280=920, -280, 40-560=-520, -280, 40-1400=-1360
    # cumulative 920, 640, 120, -160, -1520: below zero first in year 4
    dep = result.extras["deployment"]
    gwp = dep["criteria"]["gwp"]
    assert gwp["fixed_per_year"] == pytest.approx([1200, 0, 40, 0, 40])
    first = gwp["first_order"]
    assert first["per_year"] == pytest.approx([920, -280, -520, -280, -1360])
    assert first["cumulative"] == pytest.approx([920, 640, 120, -160, -1520])
    assert first["break_even_year"] == 4
    # break-even scale: F_H / (H x 280) = 1280 / 1400 = 0.914 units a year; per FU -1520 / 10 = -152
    assert first["break_even_scale"] == pytest.approx(1280 / 1400)
    assert first["per_functional_unit"] == pytest.approx(-152)
    # with the rebound (+60 per unit): -220 per unit; cumulative 980, 760, 360, 140, -920: year 5
    after = gwp["after_effects"]
    assert after["cumulative"] == pytest.approx([980, 760, 360, 140, -920])
    assert after["break_even_year"] == 5
    assert after["break_even_scale"] == pytest.approx(1280 / 1100)
    assert dep["labels"] == ["2030", "2031", "2032", "2033", "2034"]
    assert dep["fixed_costs"][1]["years"] == [3, 5]


def test_adoption_curves_and_event_years():
    assert linear_adoption(10, 50, 5) == pytest.approx([10, 20, 30, 40, 50])
    # logistic 100 / (1 + exp(-(t - 3))): year 3 is half the ceiling, year 1 is 100 / (1 + e^2) = 11.92
    curve = logistic_adoption(100, 3, 1.0, 5)
    assert curve[2] == pytest.approx(50) and curve[0] == pytest.approx(100 / (1 + math.e ** 2))
    assert event_years(2, 3, 10) == [2, 5, 8] and event_years(1, None, 10) == [1]
    assert break_even_year([5, 1, -1, 2]) == 3 and break_even_year([1, 2]) is None
    assert break_even_scale(100, 5, 4) is None  # each unit adds impact: no scale pays back
    assert break_even_scale(100, -5, 4) == pytest.approx(5)  # 100 / (4 x 5)


def test_monte_carlo_over_a_uniform_rebound_matches_the_analytical_probability(tmp_path, library, data_dir):
    # rebound uniform on [0.5, 1.0]; net after = -240 + 300 r < 0 when r < 0.8:
    # P = (0.8 - 0.5) / (1.0 - 0.5) = 0.6 (standard error at 20,000 draws: 0.0035)
    text = STUDY.replace("fraction: 0.2", "fraction: 0.75").replace("min: 0.1, max: 0.3", "min: 0.5, max: 1.0")
    res = _run(tmp_path, text, library, data_dir, iterations=20_000, seed=7)
    mc = res.extras["effects_uncertainty"]
    assert mc["net_after_effects"]["gwp"]["p_benefit"] == pytest.approx(0.6, abs=0.015)
    assert mc["gross_gain"]["gwp"]["p50"] == pytest.approx(300, rel=1e-6)
    assert res.extras["effects"]["balances"]["gwp"]["after_effects"]["p_benefit"] == mc["net_after_effects"]["gwp"]["p_benefit"]
    # the first-order net has no uncertainty: P(net < 0) = 1
    assert res.extras["effects"]["balances"]["gwp"]["first_order"]["p_benefit"] == 1.0
    rows = {r["name"]: r for r in mc["sensitivity"]["gwp"]}
    assert rows["effect:comfort"]["ST"] == pytest.approx(1.0, abs=0.05)  # the only uncertain input


def test_monte_carlo_takes_the_gross_gain_of_each_iteration(tmp_path, library, data_dir):
    # savings s ~ U[0.2, 0.4] and rebound r ~ U[0.5, 1.0]: net = 60 - 1000 s, G = 1000 s, so
    # net after = 60 - 1000 s (1 - r) < 0 when s u > 0.06 with u = 1 - r ~ U[0, 0.5]:
    # P = 10 x integral over s of (0.5 - 0.06 / s) ds = 10 (0.1 - 0.06 ln 2) = 0.5841
    # the gain of each iteration is 1000 s: its 2.5 % and 97.5 % quantiles are 205 and 395
    text = (STUDY.replace("fraction: 0.2", "fraction: 0.75").replace("min: 0.1, max: 0.3", "min: 0.5, max: 1.0")
            .replace("savings: {value: 0.3, assumption: test value}",
                     "savings: {value: 0.3, assumption: test, uncertainty: {distribution: uniform, min: 0.2, max: 0.4}}"))
    res = _run(tmp_path, text, library, data_dir, iterations=20_000, seed=11)
    p = res.extras["effects_uncertainty"]["net_after_effects"]["gwp"]["p_benefit"]
    assert p == pytest.approx(10 * (0.1 - 0.06 * math.log(2)), abs=0.015)
    gross = res.extras["effects_uncertainty"]["gross_gain"]["gwp"]
    assert gross["p2_5"] == pytest.approx(205, abs=2) and gross["p97_5"] == pytest.approx(395, abs=2)


def test_amount_effect_through_a_declared_intensity(tmp_path, library, data_dir):
    # 100 EUR re-spent x 0.5 kgCO2e/EUR = 50 kgCO2e; with the rebound 60: net after = -240 + 110 = -130
    # break-even rebound with the other effects: R* = (240 - 50) / 300 = 0.6333
    text = STUDY.replace("""        qualitative_only: true
        justification: no intensity for what is bought""", """        amount:
          driver: "100 EUR"
          intensities: {gwp: {value: "0.5 kgCO2e/EUR", assumption: test}}
        assumption: test""")
    row = _run(tmp_path, text, library, data_dir).extras["effects"]["balances"]["gwp"]
    assert row["by_effect"]["respending"] == pytest.approx(50)
    assert row["after_effects"]["net"] == pytest.approx(-130, rel=1e-6)
    assert row["break_even_rebound"] == pytest.approx(190 / 300, rel=1e-6)


def test_amount_effect_through_a_background_dataset(tmp_path, library, data_dir):
    # induced demand: 100 kWh more gas heat per unit x 0.202594 kgCO2e/kWh (IPCC 2006 x AR6,
    # tests/test_studies.py) = 20.26 kgCO2e, and x 4 MJ/kWh primary energy = 400 MJ
    text = STUDY.replace("""        qualitative_only: true
        justification: no intensity for what is bought""", """        amount: {driver: "100 kWh", dataset: heat.natural-gas-boiler}
        assumption: test""")
    rows = _run(tmp_path, text, library, data_dir).extras["effects"]["balances"]
    assert rows["gwp"]["by_effect"]["respending"] == pytest.approx(100 * (0.20196 + 1.8e-5 * 29.8 + 3.6e-7 * 273), rel=1e-6)
    assert rows["pe"]["by_effect"]["respending"] == pytest.approx(400, rel=1e-6)


@pytest.mark.parametrize("old, new, field, text", [
    ("fraction: 0.2", "fraction: 1.2", "effects[0].fraction", "backfire"),
    ("fraction: 0.2", "fraction: -0.1", "effects[0].fraction", "zero or more"),
    ("min: 0.1, max: 0.3", "min: 0.1, max: 1.3", "effects[0].uncertainty.max", "backfire"),
    ("activities: [training]\n      multiplier", "activities: [nothing]\n      multiplier",
     "deployment.fixed_costs[0].activities[0]", "not an activity"),
])
def test_located_refusals(tmp_path, library, old, new, field, text):
    path = tmp_path / "bad.yaml"
    path.write_text(STUDY.replace(old, new, 1))
    with pytest.raises(InputError) as exc:
        lca.validate(path, library)
    assert any(p.field == field and text in p.message for p in exc.value.problems), exc.value.problems


def test_backfire_declared_is_accepted(tmp_path, library, data_dir):
    text = STUDY.replace("fraction: 0.2", "fraction: 1.2\n    backfire: true").replace("max: 0.3", "max: 1.5")
    row = _run(tmp_path, text, library, data_dir).extras["effects"]["balances"]["gwp"]
    assert row["after_effects"]["net"] == pytest.approx(-240 + 1.2 * 300)  # +120: the gain is gone
    codes = {f.code for f in _run(tmp_path, text, library, data_dir).findings}
    assert "GAIN_VANISHES_UNDER_REBOUND" in codes


def test_communication_findings(tmp_path, tiny_result, result, library, data_dir):
    # tiny.yaml gains on gwp (net -296) and declares no effects
    assert "NO_CONSEQUENCE_TREE" in {f.code for f in tiny_result.findings}
    codes = {f.code for f in result.findings}
    assert "NO_CONSEQUENCE_TREE" not in codes
    assert "UNQUANTIFIED_ADVERSE_EFFECT" in codes  # the re-spending is qualitative only
    assert "GAIN_VANISHES_UNDER_REBOUND" not in codes  # 30 % at most against R* = 80 %
    # a range reaching 0.85 >= R* = 0.8: the gain can vanish within it
    text = STUDY.replace("min: 0.1, max: 0.3", "min: 0.1, max: 0.85")
    assert "GAIN_VANISHES_UNDER_REBOUND" in {f.code for f in _run(tmp_path, text, library, data_dir).findings}
    # no gain at all, and a beneficial effect left qualitative: the gain would rest on it
    text = STUDY.replace("savings: {value: 0.3", "savings: {value: 0.0").replace(
        "sign: increase\n        horizon: medium", "sign: decrease\n        horizon: medium")
    codes = {f.code for f in _run(tmp_path, text, library, data_dir).findings}
    assert "GAIN_RELIES_ON_UNQUANTIFIED_EFFECTS" in codes
    # the fixed costs are never paid back when each unit gains less than they cost: development x 300
    text = STUDY.replace("multiplier: 30", "multiplier: 300")
    assert "NO_PAYBACK_WITHIN_HORIZON" in {f.code for f in _run(tmp_path, text, library, data_dir).findings}


def test_claimed_absolute_gain_without_horizon(tmp_path, library, data_dir):
    text = (DATA / "tiny.yaml").read_text() + """
claim:
  source: {citation: test}
  domain: test
  statement: saves 300 kg a run
  claimed_gain: {value: 300, unit: kgCO2e, criterion: gwp}
  evaluated: {gain: quantitative}
"""
    path = tmp_path / "claim.yaml"
    path.write_text(text)
    res = lca.assess(path, data_dir=data_dir, library=library)
    assert "GAIN_AT_SCALE_WITHOUT_HORIZON" in {f.code for f in res.findings}


def test_cli_prints_the_statement_and_writes_the_sections(tmp_path, data_dir):
    import json
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "lca.cli", "run", str(DATA / "effects.yaml"), "--out", str(tmp_path),
                           "--format", "json", "--data-dir", str(data_dir)], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Beyond first order: On gwp: holds at first order; holds up to an 80 % rebound" in proc.stdout
    payload = json.loads((tmp_path / "effects.json").read_text())
    assert payload["deployment"]["criteria"]["gwp"]["first_order"]["break_even_year"] == 4
    assert payload["effects"]["balances"]["gwp"]["break_even_rebound"] == pytest.approx(0.8)


def test_the_statement_speaks_the_unit_of_the_summary_table():
    from types import SimpleNamespace

    from lca.effects.sections import statement
    from lca.report.effects_view import reader_unit

    # the demo's gwp: AI 84,614, reference 101,297, net -16,684 kgCO2e: `lca run` prints them in
    # tCO2e (84.61, 101.3, -16.68), so the net after effects, -13,300 kgCO2e, reads -13.3 tCO2e
    row = {"first_order": {"status": "holds"}, "break_even_rebound": 0.986,
           "after_effects": {"net": -13300.0, "p_benefit": None, "status": "holds"}}
    effect = SimpleNamespace(kind="fraction", declared_range=None)
    text = statement(row, [effect], "kgCO2e", [84614.0, 101297.0, -16684.0])
    assert "after higher-order effects the net is -13.3 tCO2e per functional unit (holds)" in text
    # totals under a tonne stay in kg: AI 460, reference 700, net -240, after -180 kgCO2e
    assert "the net is -180 kgCO2e" in statement({**row, "after_effects": {**row["after_effects"], "net": -180.0}},
                                                   [effect], "kgCO2e", [460.0, 700.0, -240.0])
    payload = {"criteria": {"gwp": {"unit": "kgCO2e"}}, "net": {"gwp": -16684.0},
               "systems": {"ai": {"total": {"gwp": 84614.0}}, "reference": {"total": {"gwp": 101297.0}}}}
    assert reader_unit(payload, "gwp") == (pytest.approx(1e-3), "tCO2e")  # the HTML balance table too
