"""Pedigree scores: the factors file, the spread they give (checked by hand), the opt-in Monte
Carlo conversion (off by default, deterministic values unchanged, a dataset's factor shared by
both systems), and located errors for datasets the study does not use."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from lca.core.errors import InputError
from lca.study import load_study
from lca.study.goal_schema import Pedigree
from lca.study.pedigree import (check_data_quality, data_quality_section, load_factors, pedigree_gsd,
                                with_pedigree_spreads)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


def test_factors_file_has_its_source_and_the_debate():
    f = load_factors()
    assert "Weidema" in f.source and f.year == 2013
    assert "Ciroth" in f.debated  # the empirical factors that differ
    assert f.factors["reliability"] == (1.0, 1.05, 1.1, 1.2, 1.5)
    assert f.factors["technological"][4] == 2.0


def test_best_scores_give_no_spread():
    ones = Pedigree(reliability=1, completeness=1, temporal=1, geographical=1, technological=1)
    assert pedigree_gsd(ones, load_factors()) == 1.0


def test_gsd_by_hand():
    # scores (4, 3, 1, 3, 2) -> U = 1.20, 1.05, 1.00, 1.02, 1.05
    # sum ln(U)^2 = 0.033241 + 0.002380 + 0 + 0.000392 + 0.002380 = 0.038394; / 4 = 0.0095985
    # GSD = exp(sqrt(0.0095985)) = exp(0.097972) = 1.10293
    p = Pedigree(reliability=4, completeness=3, temporal=1, geographical=3, technological=2)
    assert pedigree_gsd(p, load_factors()) == pytest.approx(1.10293, abs=1e-5)
    # with a declared lognormal of gsd 3: exp(sqrt(ln(3)^2 + 0.0095985)) = exp(sqrt(1.206949 + 0.0095985))
    assert pedigree_gsd(p, load_factors(), 3.0) == pytest.approx(math.exp(math.sqrt(1.206949 + 0.0095985)), rel=1e-5)


def test_worst_scores_by_hand():
    # U = 1.5, 1.2, 1.5, 1.1, 2.0: ln^2 = 0.164402 + 0.033241 + 0.164402 + 0.009085 + 0.480453 = 0.851583
    # / 4 = 0.212896; GSD = exp(0.461407) = 1.58632
    p = Pedigree(reliability=5, completeness=5, temporal=5, geographical=5, technological=5)
    assert pedigree_gsd(p, load_factors()) == pytest.approx(1.58632, abs=1e-4)


def test_scores_outside_one_to_five_are_refused():
    with pytest.raises(ValueError):
        Pedigree(reliability=0, completeness=1, temporal=1, geographical=1, technological=1)
    with pytest.raises(ValueError):
        Pedigree(reliability=6, completeness=1, temporal=1, geographical=1, technological=1)


@pytest.fixture(scope="module")
def demo():
    return load_study(ROOT / "inventories" / "studies" / "demo-office-heating.yaml")


def test_data_quality_section_of_the_demo(demo):
    section = data_quality_section(demo)
    rows = {(r["kind"], r["name"]): r for r in section["rows"]}
    sensor = rows[("parameter", "sensor_count")]
    assert sensor["scores"] == {"reliability": 4, "completeness": 3, "temporal": 1, "geographical": 3, "technological": 2}
    assert sensor["gsd_from_scores"] == pytest.approx(1.10293, abs=1e-5)
    assert sensor["treatment"] == "lognormal from the scores" and sensor["line"] is not None
    assert rows[("parameter", "heating_intensity")]["treatment"] == "declared uniform distribution kept"
    assert rows[("parameter", "heating_intensity")]["gsd_in_monte_carlo"] is None
    assert rows[("parameter", "gpu_hours")]["treatment"].startswith("combined with the declared lognormal")
    assert ("dataset", "heat.natural-gas-boiler") in rows
    assert section["factors"]["file"] == "inventories/data-quality/pedigree-factors.yaml"


def test_spreads_leave_deterministic_amounts_unchanged(demo, library):
    spread = with_pedigree_spreads(demo, library)
    params = spread.model.parameters
    assert params["sensor_count"].uncertainty.distribution == "lognormal"
    assert params["sensor_count"].uncertainty.gsd == pytest.approx(1.10293, abs=1e-5)
    assert params["heating_intensity"].uncertainty.distribution == "uniform"  # kept as declared
    assert params["dq_heat_natural_gas_boiler"].value == 1  # a shared factor of median 1
    heating_ai = spread.model.systems.ai.activities[0].exchanges[0].amount
    heating_ref = spread.model.systems.reference.activities[0].exchanges[0].amount
    # both systems multiply the boiler by the same factor: one draw, cancelled in the net
    assert heating_ai.endswith("* dq_heat_natural_gas_boiler") and heating_ref.endswith("* dq_heat_natural_gas_boiler")
    from lca.study import resolve

    a, b = resolve(demo, library), resolve(spread, library)
    for key in ("ai", "reference"):
        amounts_a = [float(i.amount) for act in a.systems[key].activities for i in act.inputs]
        amounts_b = [float(i.amount) for act in b.systems[key].activities for i in act.inputs]
        assert amounts_b == pytest.approx(amounts_a, rel=1e-12)


def test_unknown_or_unused_dataset_is_located(tmp_path, library):
    text = (DATA / "tiny.yaml").read_text()
    base = {"reliability": 1, "completeness": 1, "temporal": 1, "geographical": 1, "technological": 1}
    inline = "{" + ", ".join(f"{k}: {v}" for k, v in base.items()) + "}"
    path = tmp_path / "s.yaml"
    path.write_text(text + f"dataset_pedigree:\n  no.such-dataset: {inline}\n  heat.natural-gas-boiler: {inline}\n")
    loaded = load_study(path)
    with pytest.raises(InputError) as exc:
        check_data_quality(loaded, library)
    problems = exc.value.problems
    assert len(problems) == 2
    n = len(text.splitlines())
    assert problems[0].line == n + 2 and "unknown dataset" in problems[0].message
    assert problems[1].line == n + 3 and "does not use this dataset" in problems[1].message


def test_pedigree_uncertainty_is_off_by_default_and_widens_when_asked(library, data_dir):
    import lca

    study = ROOT / "inventories" / "studies" / "demo-office-heating.yaml"
    plain = lca.assess(study, data_dir=data_dir, library=library, iterations=400, seed=3)
    spread = lca.assess(study, data_dir=data_dir, library=library, iterations=400, seed=3, pedigree_uncertainty=True)
    assert "pedigree_spreads" not in plain.extras["uncertainty"]
    assert spread.extras["uncertainty"]["pedigree_spreads"]["applied"] is True
    assert spread.net == plain.net  # the deterministic result is the same
    names = {i["name"] for i in spread.extras["uncertainty"]["inputs"]}
    assert "parameter:dq_terminal_iot_sensor" in names and "parameter:dq_terminal_iot_sensor" not in {
        i["name"] for i in plain.extras["uncertainty"]["inputs"]}

    def width(r, c):
        u = r.extras["uncertainty"]["net"][c]
        return u["p97_5"] - u["p2_5"]

    # the sensors' dataset (GSD 1.26) dominates the ADPe of the AI service: its interval widens
    assert width(spread, "adpe") > 1.5 * width(plain, "adpe")


def test_cli_flag(tmp_path, data_dir):
    import json

    from test_cli import run_cli

    study = ROOT / "inventories" / "studies" / "demo-office-heating.yaml"
    proc = run_cli("run", study, "--out", tmp_path, "--format", "json", "--iterations", "100", "--seed", "1",
                   "--pedigree-uncertainty", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads((tmp_path / "demo-office-heating.json").read_text())
    assert payload["uncertainty"]["pedigree_spreads"]["applied"] is True
    assert "dq_heat_natural_gas_boiler" in proc.stdout or any(
        i["name"] == "parameter:dq_heat_natural_gas_boiler" for i in payload["uncertainty"]["inputs"])
