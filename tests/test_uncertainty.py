"""Monte Carlo of both systems with shared draws: values a person can check by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import lca
from conftest import DATA
from lca.engine.project import foreground_data
from lca.study import resolve
from lca.uncertainty.inputs import BRIGHTWAY_KINDS
from lca.uncertainty.model import build_model
from lca.uncertainty.montecarlo import interval_verdict, run_monte_carlo

GWP = 0  # criteria order of the library: gwp, adpe, pe


@pytest.fixture(scope="module")
def shared_model(library, data_dir):
    return build_model(lca.load_study(DATA / "mc-shared.yaml"), library, data_dir)


@pytest.fixture(scope="module")
def bench_model(library, data_dir):
    return build_model(lca.load_study(DATA / "mc-bench.yaml"), library, data_dir)


def test_one_lognormal_input_has_the_analytical_mean_and_median(shared_model):
    # AI GWP = 0.056 kgCO2e/kWh x energy + 10 kg fossil CO2, energy lognormal, median 1000 kWh, GSD 1.5:
    #   median = 56 + 10 = 66;  mean = 56 x exp(ln(1.5)^2 / 2) + 10 = 56 x 1.08563 + 10 = 70.795
    assert [i.name for i in shared_model.inputs] == ["parameter:energy"]
    mc = run_monte_carlo(shared_model, 40_000, seed=7)
    ai = mc.system("ai")[:, GWP]
    sigma = math.log(1.5)
    mean = 56 * math.exp(sigma**2 / 2) + 10
    sd = 56 * math.sqrt((math.exp(sigma**2) - 1) * math.exp(sigma**2))  # 25.7
    assert np.mean(ai) == pytest.approx(mean, abs=4 * sd / math.sqrt(40_000))  # 4 standard errors: 0.51
    assert np.median(ai) == pytest.approx(66, abs=0.6)
    # the 2.5 % quantile of the lognormal part: 56 x 1.5^-1.95996 = 25.65
    assert np.percentile(ai, 2.5) == pytest.approx(56 * 1.5 ** -1.959964 + 10, abs=0.6)


def test_shared_draws_make_a_constant_difference_exact(shared_model):
    # both systems use the same `energy` in the same iteration; only the AI emits 10 kg CO2:
    # the net is 10 kgCO2e in every iteration although each system varies by tens of kg
    mc = run_monte_carlo(shared_model, 5_000, seed=1)
    assert np.std(mc.system("ai")[:, GWP]) > 10
    np.testing.assert_allclose(mc.net[:, GWP], 10.0, rtol=0, atol=1e-9)
    summary = mc.to_dict()["net"]["gwp"]
    assert summary["p2_5"] == pytest.approx(10) and summary["p97_5"] == pytest.approx(10)
    assert summary["p_benefit"] == 0.0


def test_progress_counts_every_iteration(shared_model):
    done = []
    run_monte_carlo(shared_model, 70_001, seed=1, progress=done.append)
    assert sum(done) == 70_001 and len(done) > 1


def test_same_seed_same_results_other_seed_other_results(bench_model):
    a = run_monte_carlo(bench_model, 500, seed=11)
    b = run_monte_carlo(bench_model, 500, seed=11)
    c = run_monte_carlo(bench_model, 500, seed=12)
    np.testing.assert_array_equal(a.scores, b.scores)
    assert not np.allclose(a.scores, c.scores)
    assert a.to_dict() == b.to_dict()


def test_deterministic_values_reproduce_brightway(bench_model, library, data_dir):
    # every input at its deterministic value, through the same bulk path as the Monte Carlo:
    # the scores equal bw2calc's (compute.py, exact attribution) for both systems
    result = lca.assess(DATA / "mc-bench.yaml", data_dir=data_dir, library=library)
    n = 3
    values = {i.name: np.full(n, i.base) for i in bench_model.inputs}
    scores = bench_model.scores(values, n)
    for s, key in enumerate(bench_model.systems):
        for c, crit in enumerate(bench_model.criteria):
            np.testing.assert_allclose(scores[:, s, c], result.systems[key].total[crit], rtol=1e-9, atol=1e-15)
    # by hand: AI 56 + 95 + 29.8 + 1.12 + 300 = 481.92 (methane 29.8 rounded), reference 950
    assert result.systems["reference"].total["gwp"] == pytest.approx(950, rel=1e-6)  # Brightway stores float32
    assert result.systems["ai"].total["gwp"] == pytest.approx(481.92, abs=0.1)


def test_demo_at_deterministic_values_reproduces_brightway(library, data_dir):
    # parameters, drawn dataset variants (base: the study's own variant) and background values
    demo = DATA.parent.parent / "inventories" / "studies" / "demo-office-heating.yaml"
    if not demo.exists():
        pytest.skip("no demo study")
    model = build_model(lca.load_study(demo), library, data_dir)
    kinds = {i.kind for i in model.inputs}
    assert "parameter" in kinds
    values = {i.name: np.full(2, i.base) for i in model.inputs}
    np.testing.assert_allclose(model.scores(values, 2)[0], model.linear.scores, rtol=1e-9, atol=1e-12)


def test_exchange_distributions_have_their_analytical_means(bench_model):
    # mean GWP of the AI system = deterministic 481.92 plus, per exchange, contribution x (mean/value - 1):
    #   compute lognormal gsd 1.2: 56 x (exp(ln(1.2)^2/2) - 1) = 56 x 0.016761 = 0.9386
    #   cooling uniform 100-300 kWh around 200: 0
    #   leak triangular (0.5, 1, 2) kg: mean 3.5/3 = 1.1667 kg -> 29.8 x 0.16667 = 4.967 (factor read below)
    #   parent normal sd 0.2 around 2: 0
    mc = run_monte_carlo(bench_model, 40_000, seed=3)
    det = bench_model.linear.scores[bench_model.systems.index("ai"), GWP]
    ch4 = bench_model.linear.cf[next(k for k in bench_model.linear.cf if k[0] == "biosphere3")][GWP]
    expected = det + 56 * (math.exp(math.log(1.2) ** 2 / 2) - 1) + ch4 * (3.5 / 3 - 1)
    # standard deviation of the sum, by hand: uniform 95 x (1/sqrt(3))/2 ... about 32 kgCO2e: 4 SE = 0.65
    assert np.mean(mc.system("ai")[:, GWP]) == pytest.approx(expected, abs=0.7)
    # reference: 950 +- 0.475 x 100 = 47.5 kgCO2e (normal): mean 950, 2.5 % quantile 950 - 1.96 x 47.5 = 856.9
    ref = mc.system("reference")[:, GWP]
    assert np.mean(ref) == pytest.approx(950, abs=1.0)
    assert np.percentile(ref, 2.5) == pytest.approx(950 - 1.959964 * 47.5, abs=2.0)


def test_drawn_variants_use_each_variant_equally(library, data_dir, tmp_path):
    # the GPU's embodied GWP is 150 kg (BLOOM) or 319.3 kg (Boavizta), drawn per iteration:
    # 2 GPU-lives -> 300 or 638.6 kgCO2e, each in about half of the iterations
    study = tmp_path / "mc-variants.yaml"
    study.write_text("""
study: {id: mc-variants, name: Variants, functional_unit: {description: x}}
variant_draws:
  gpu.nvidia-a100-40gb: [luccioni-2023, boavizta-2025]
systems:
  ai:
    name: AI
    activities:
      - id: gpus
        name: GPUs
        phase: training
        tier: data_centre
        equipment: {dataset: gpu.nvidia-a100-40gb@luccioni-2023, count: 2, hours: "4380 h", lifetime: "1 year", utilisation: 0.5, assumption: test}
""")
    model = build_model(lca.load_study(study), library, data_dir)
    mc = run_monte_carlo(model, 4_000, seed=5)
    ai = mc.system("ai")[:, GWP]
    values, counts = np.unique(np.round(ai, 6), return_counts=True)
    np.testing.assert_allclose(values, [300.0, 638.6], rtol=1e-6)  # Brightway stores float32
    assert abs(counts[0] / 4_000 - 0.5) < 0.03  # binomial sd 0.008


def test_drawn_variant_brings_its_own_lifetime(library, data_dir, tmp_path):
    # no lifetime in the study: each variant's own lifetime allocates the GPU (2 x 4380 h, 50 % use)
    #   luccioni-2023: dataset lifetime 6 years = 52560 h -> share 8760 / 26280 = 1/3  -> 150 / 3 = 50 kgCO2e
    #   boavizta-2025: its own lifetime 26280 h (3 years)  -> share 8760 / 13140 = 2/3 -> 319.3 x 2/3 = 212.87
    ds = library.datasets["gpu.nvidia-a100-40gb"]
    assert library.attributes(ds, "boavizta-2025")["lifetime"].value == "26280 h"
    study = tmp_path / "mc-lifetimes.yaml"
    study.write_text("""
study: {id: mc-lifetimes, name: Lifetimes, functional_unit: {description: x}}
variant_draws:
  gpu.nvidia-a100-40gb: [luccioni-2023, boavizta-2025]
systems:
  ai:
    name: AI
    activities:
      - id: gpus
        name: GPUs
        phase: training
        tier: data_centre
        equipment: {dataset: gpu.nvidia-a100-40gb@luccioni-2023, count: 2, hours: "4380 h", utilisation: 0.5, assumption: test}
""")
    model = build_model(lca.load_study(study), library, data_dir)
    ai = run_monte_carlo(model, 400, seed=5).system("ai")[:, GWP]
    np.testing.assert_allclose(np.unique(np.round(ai, 4)), [50.0, 319.3 * 2 / 3], rtol=1e-6)
    assert model.linear.scores[0, GWP] == pytest.approx(50.0, rel=1e-6)


def test_interval_verdict():
    assert interval_verdict(-5, -1) == "benefit"
    assert interval_verdict(1, 5) == "loss"
    assert interval_verdict(-1, 5) == "cannot tell"


def test_verdict_cannot_tell_when_the_interval_straddles_zero(library, data_dir, tmp_path):
    # AI 900 kWh (uniform 500-1500) vs reference 1000 kWh of world electricity (0.475):
    # deterministic net -47.5 kgCO2e, but the 95 % interval is about 0.475 x [-475, +475]: straddles zero
    study = tmp_path / "mc-straddle.yaml"
    study.write_text("""
study: {id: mc-straddle, name: Straddle, functional_unit: {description: x}}
systems:
  ai:
    name: AI
    activities:
      - {id: use, name: Use, stage: C1, phase: inference, tier: data_centre,
         exchanges: [{dataset: electricity.world@iea-2019, amount: "900 kWh", assumption: test,
                      uncertainty: {distribution: uniform, min: "500 kWh", max: "1500 kWh"}}]}
  reference:
    name: Reference
    activities:
      - {id: use, name: Use, stage: C1, phase: none, tier: data_centre,
         exchanges: [{dataset: electricity.world@iea-2019, amount: "1000 kWh", assumption: test}]}
""")
    result = lca.assess(study, data_dir=data_dir, library=library, iterations=2_000, seed=2)
    assert result.net["gwp"] == pytest.approx(-47.5)
    net = result.extras["uncertainty"]["net"]["gwp"]
    assert net["p2_5"] < 0 < net["p97_5"]
    # P(net < 0) = P(E < 1000 kWh) = (1000 - 500) / 1000 = 0.5
    assert net["p_benefit"] == pytest.approx(0.5, abs=0.04)
    assert result.extras["uncertainty"]["verdicts"]["gwp"] == "cannot tell"
    # the verdict reads the interval: without the Monte Carlo the same study holds on gwp
    assert result.extras["verdict"]["criteria"]["gwp"]["status"] == "cannot_tell"
    deterministic = lca.assess(study, data_dir=data_dir, library=library)
    assert deterministic.extras["verdict"]["criteria"]["gwp"]["status"] == "holds"


def test_json_shape(library, data_dir):
    result = lca.assess(DATA / "mc-shared.yaml", data_dir=data_dir, library=library, iterations=300, seed=9)
    payload = json.loads(json.dumps(result.to_dict()))
    unc = payload["uncertainty"]
    assert unc["iterations"] == 300 and unc["seed"] == 9
    assert set(unc["systems"]) == {"ai", "reference"}
    assert set(unc["systems"]["ai"]["gwp"]) == {"mean", "p2_5", "p50", "p97_5"}
    assert set(unc["net"]["gwp"]) == {"mean", "p2_5", "p50", "p97_5", "p_benefit"}
    assert payload["sensitivity"]["gwp"][0]["name"] == "parameter:energy"


def test_brightway_uncertainty_fields_are_written(library):
    # stats_arrays: lognormal 2 (loc = ln(median), scale = ln(gsd)), normal 3, uniform 4, triangular 5
    resolved = resolve(lca.load_study(DATA / "mc-bench.yaml"), library)
    data = foreground_data(resolved, "x")
    compute = [e for e in data[("x", "ai/compute")]["exchanges"] if e["type"] == "technosphere"][0]
    assert compute["uncertainty type"] == 2
    assert compute["loc"] == pytest.approx(math.log(1000)) and compute["scale"] == pytest.approx(math.log(1.2))
    assert compute["amount"] == 1000
    cooling = [e for e in data[("x", "ai/cooling")]["exchanges"] if e["type"] == "technosphere"][0]
    assert (cooling["uncertainty type"], cooling["minimum"], cooling["maximum"]) == (4, 100, 300)
    leak = [e for e in data[("x", "ai/leak")]["exchanges"] if e["type"] == "biosphere"][0]
    assert (leak["uncertainty type"], leak["loc"], leak["minimum"], leak["maximum"]) == (5, 1, 0.5, 2)
    ref = [e for e in data[("x", "reference/heating")]["exchanges"] if e["type"] == "technosphere"][0]
    assert (ref["uncertainty type"], ref["loc"], ref["scale"]) == (3, 2000, 100)


def test_our_monte_carlo_agrees_with_brightways(bench_model, data_dir):
    # the benchmark's comparison, small: both engines sample the same exchange distributions
    import sys

    sys.path.insert(0, str(DATA.parent.parent / "benchmarks"))
    from bench_mc import agreement, brightway_mc

    model = build_model(bench_model.loaded, bench_model.library, data_dir, kinds=BRIGHTWAY_KINDS)
    ours = run_monte_carlo(model, 600, seed=21).scores
    _, theirs = brightway_mc(model, data_dir, 600, seed=21)
    assert agreement(ours, theirs, model.systems, model.criteria) == []  # every criterion, not gwp alone
