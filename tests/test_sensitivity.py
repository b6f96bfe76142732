"""Sobol indices and tornado on an additive toy model whose indices are known analytically."""

from __future__ import annotations

import numpy as np
import pytest

import lca
from conftest import DATA
from lca.core.distribution import ResolvedUncertainty
from lca.uncertainty.analysis import sensitivity_section
from lca.uncertainty.distributions import UncertainInput
from lca.uncertainty.model import build_model
from lca.uncertainty.sensitivity import sobol_indices, tornado

# Y = 3 X1 + X2 + X3, X1 and X2 uniform on [0, 1], X3 normal (mean 0, sd 0.5); additive, so S1 = ST:
#   Var = 9/12 + 1/12 + 0.25 = 0.75 + 0.08333 + 0.25 = 1.08333
#   S(X1) = 0.75 / 1.08333 = 0.6923, S(X2) = 0.08333 / 1.08333 = 0.0769, S(X3) = 0.25 / 1.08333 = 0.2308
INPUTS = [
    UncertainInput("x1", "X1", "parameter", 0.5, "", ResolvedUncertainty("uniform", minimum=0.0, maximum=1.0)),
    UncertainInput("x2", "X2", "parameter", 0.5, "", ResolvedUncertainty("uniform", minimum=0.0, maximum=1.0)),
    UncertainInput("x3", "X3", "parameter", 0.0, "", ResolvedUncertainty("normal", sd=0.5)),
]
EXPECTED = {"x1": 0.75 / (13 / 12), "x2": (1 / 12) / (13 / 12), "x3": 0.25 / (13 / 12)}


def toy(values: dict, n: int) -> np.ndarray:
    y = 3 * values["x1"] + values["x2"] + values["x3"]
    return np.broadcast_to(y, (n,)).reshape(n, 1)


def test_sobol_indices_of_an_additive_model():
    rows = {r["name"]: r for r in sobol_indices(INPUTS, toy, ["y"], 8192, seed=1)["y"]}
    for name, expected in EXPECTED.items():
        assert rows[name]["S1"] == pytest.approx(expected, abs=0.03)
        assert rows[name]["ST"] == pytest.approx(expected, abs=0.03)
    assert sum(r["S1"] for r in rows.values()) == pytest.approx(1.0, abs=0.05)


def test_sobol_of_a_constant_output_is_zero():
    rows = sobol_indices(INPUTS, lambda v, n: np.zeros((n, 1)), ["y"], 64, seed=1)["y"]
    assert all(r["S1"] == 0 and r["ST"] == 0 for r in rows)


def test_tornado_swings_each_input_alone():
    # X1 at its 2.5 % / 97.5 % quantiles (0.025, 0.975), the others at 0.5 and 0: Y = 3 x 0.025 + 0.5 = 0.575
    # and 3 x 0.975 + 0.5 = 3.425 (swing 2.85); X3: +-1.96 x 0.5 = +-0.98 around 1.5+0.5 = 2 (swing 1.96);
    # X2: 1.5 + 0.025 .. 1.5 + 0.975 (swing 0.95)
    rows = tornado(INPUTS, toy, ["y"])["y"]
    assert [r["name"] for r in rows] == ["x1", "x3", "x2"]
    assert (rows[0]["low"], rows[0]["high"]) == pytest.approx((0.575, 3.425))
    assert rows[1]["swing"] == pytest.approx(2 * 1.959964 * 0.5)
    assert rows[2]["swing"] == pytest.approx(0.95)


def test_study_sensitivity_names_the_dominant_input(library, data_dir):
    # mc-bench: the reference's 2000 kWh (normal, sd 100 kWh = 47.5 kgCO2e) and the AI's cooling
    # (uniform 100-300 kWh: sd 0.475 x 200 / sqrt(12) = 27.4 kgCO2e) dominate the net GWP variance:
    # 47.5^2 / (47.5^2 + 27.4^2 + small) is about 0.7
    model = build_model(lca.load_study(DATA / "mc-bench.yaml"), library, data_dir)
    section = sensitivity_section(model, 512, seed=4)
    gwp = section["gwp"]
    assert gwp[0]["name"] == "exchange:systems.reference.activities[0].exchanges[0]"
    assert gwp[0]["S1"] == pytest.approx(0.70, abs=0.08)
    assert gwp[1]["name"] == "exchange:systems.ai.activities[1].exchanges[0]"
    # tornado of the reference exchange: net at 2000 -+ 1.96 x 100 kWh moves by 0.475 x 196 = 93.1 each way
    assert gwp[0]["swing"] == pytest.approx(2 * 0.475 * 1.959964 * 100, rel=1e-5)


def test_sobol_in_blocks_gives_the_same_indices():
    # the points are built and evaluated a few base samples at a time: the same as all at once
    whole = sobol_indices(INPUTS, toy, ["y"], 256, seed=5)
    blocks = sobol_indices(INPUTS, toy, ["y"], 256, seed=5, block_bytes=1)  # one base sample per block
    assert whole == blocks


def test_sobol_base_is_capped_so_that_the_evaluations_fit():
    from lca.uncertainty.analysis import sobol_base

    assert sobol_base(10_000, 3) == 1024  # 1024 x 5 evaluations
    assert sobol_base(10_000, 1000) == 1024  # 1024 x 1002 = 1,026,048 <= 2^20 = 1,048,576
    assert sobol_base(10_000, 2000) == 512  # 1024 x 2002 > 2^20; 512 x 2002 = 1,025,024 fits
    assert sobol_base(10_000, 100_000) == 64  # never below 64 base samples


def test_many_inputs_are_screened_before_sobol(library, data_dir, tmp_path):
    # 45 uncertain exchanges: 3 of 1000 kWh (uniform +-500 kWh: swing 0.056 x 2 x 0.95 x 500 = 53.2 kgCO2e)
    # and 42 of 1 kWh (+-0.001 kWh: swing 1e-4 kgCO2e, far below 1 % of 53.2): Sobol on the 3 only,
    # each explaining a third of the variance (same distribution, additive)
    acts = []
    for i in range(45):
        big = i < 3
        value, half = ("1000", "500") if big else ("1", "0.001")
        lo, hi = float(value) - float(half), float(value) + float(half)
        acts.append(f'      - {{id: a{i}, name: A{i}, stage: C1, phase: inference, tier: data_centre, exchanges: '
                    f'[{{dataset: electricity.fr@owid-2023, amount: "{value} kWh", assumption: t, '
                    f'uncertainty: {{distribution: uniform, min: "{lo:g} kWh", max: "{hi:g} kWh"}}}}]}}')
    study = tmp_path / "many.yaml"
    study.write_text("study: {id: many, name: Many, functional_unit: {description: x}}\n"
                     "systems:\n  ai:\n    name: AI\n    activities:\n" + "\n".join(acts) + "\n")
    model = build_model(lca.load_study(study), library, data_dir)
    assert len(model.inputs) == 45
    section = sensitivity_section(model, 256, seed=2)
    screening = section["method"]["sobol"]["screening"]
    assert (screening["inputs"], screening["kept"]) == (45, 3)
    assert section["method"]["sobol"]["evaluations"] == 256 * (3 + 2)
    rows = section["gwp"]
    assert [r["name"] for r in rows[:3]] == sorted(r["name"] for r in rows[:3])  # equal swings, stable order
    for r in rows[:3]:
        assert r["swing"] == pytest.approx(0.056 * 2 * 0.95 * 500, rel=1e-5)
        assert r["S1"] == pytest.approx(1 / 3, abs=0.08)
    assert all(r["S1"] is None and r["ST"] is None for r in rows[3:])
