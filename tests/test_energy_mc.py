"""Final energy in the Monte Carlo (lca.uncertainty.energy_mc): sampled with the criteria, on the
same draws, and judged by the verdict on its interval. Arithmetic in tests/data/energy-mc.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
N = 20_000  # standard error of a mean of U(90, 110): 20 / sqrt(12 N) = 0.04 kWh


@pytest.fixture(scope="module")
def energy_mc(library, data_dir):
    import lca

    return lca.assess(DATA / "energy-mc.yaml", data_dir=data_dir, library=library, iterations=N, seed=5)


def test_energy_interval_matches_the_distribution(energy_mc):
    unc = energy_mc.extras["uncertainty"]
    ai = unc["systems"]["ai"]["energy"]
    assert ai["mean"] == pytest.approx(100.0, abs=0.2)   # uniform 90..110: mean 100
    assert ai["p2_5"] == pytest.approx(90.5, abs=0.2)    # 90 + 0.025 x 20
    assert ai["p97_5"] == pytest.approx(109.5, abs=0.2)  # 90 + 0.975 x 20
    ref = unc["systems"]["reference"]["energy"]
    assert ref["mean"] == pytest.approx(120.0, abs=1.0)  # uniform 60..180: mean 120, se 0.25
    assert ref["p2_5"] == pytest.approx(63.0, abs=1.0) and ref["p97_5"] == pytest.approx(177.0, abs=1.0)
    net = unc["net"]["energy"]
    assert net["mean"] == pytest.approx(-20.0, abs=1.0)
    assert net["p_benefit"] == pytest.approx(2 / 3, abs=0.01)  # P(R > A) = (180 - 100) / 120
    assert unc["verdicts"]["energy"] == "cannot tell"


def test_energy_and_gwp_move_together_on_the_same_draws(energy_mc):
    # gwp of the AI solution = energy x 56 gCO2e/kWh (French grid, OWID) + the GPU share: the same draw
    unc = energy_mc.extras["uncertainty"]["systems"]["ai"]
    gpu = energy_mc.systems["ai"].by_activity["gpus"]["gwp"]
    assert unc["gwp"]["p2_5"] == pytest.approx(unc["energy"]["p2_5"] * 0.056 + gpu, rel=1e-5)
    assert unc["gwp"]["p97_5"] == pytest.approx(unc["energy"]["p97_5"] * 0.056 + gpu, rel=1e-5)


def test_the_verdict_on_energy_uses_its_interval(energy_mc):
    energy = energy_mc.extras["verdict"]["criteria"]["energy"]
    assert energy["net"] == pytest.approx(-20.0)  # deterministic: a gain
    assert energy["cause"] == "interval_straddles_zero" and energy["status"] == "cannot_tell"


def test_a_chain_of_activities_and_amortisation_are_sampled_like_the_deterministic_energy(library, data_dir):
    import lca

    # tests/data/energy.yaml has no distribution: every draw equals the deterministic 1031.59 kWh
    result = lca.assess(DATA / "energy.yaml", data_dir=data_dir, library=library, iterations=10, seed=1)
    ai = result.extras["uncertainty"]["systems"]["ai"]["energy"]
    assert ai["p2_5"] == pytest.approx(1031.59, rel=1e-6) and ai["p97_5"] == pytest.approx(1031.59, rel=1e-6)
    assert result.extras["uncertainty"]["net"]["energy"]["mean"] == pytest.approx(-968.41, rel=1e-6)


def test_a_drawn_variant_carries_its_own_energy_intensity(tmp_path, library, data_dir):
    import lca

    # 10 GB over the fixed network; variant_draws between two variants of different kWh/GB
    ds = library.datasets["network.fixed"]
    names = list(ds.variants)[:2]
    per_gb = [lca_energy(library, ds, v) for v in names]
    text = (DATA / "energy-mc.yaml").read_text().replace(
        "systems:\n", f"variant_draws:\n  network.fixed: [{names[0]}, {names[1]}]\nsystems:\n", 1).replace(
        "      - id: gpus\n", "      - id: transfer\n        name: Data sent\n        stage: C1+C2\n"
        "        phase: inference\n        tier: network\n        exchanges:\n"
        "          - {dataset: network.fixed, amount: \"10 GB\", assumption: test}\n      - id: gpus\n", 1)
    path = tmp_path / "draws.yaml"
    path.write_text(text)
    result = lca.assess(path, data_dir=data_dir, library=library, iterations=4000, seed=2)
    ai = result.extras["uncertainty"]["systems"]["ai"]["energy"]
    # energy = U(90, 110) + 10 GB x (one of the two intensities, equally likely): the mean is
    # 100 + 10 x (e0 + e1) / 2 within 0.2 kWh
    assert per_gb[0] != per_gb[1]
    assert ai["mean"] == pytest.approx(100.0 + 10 * sum(per_gb) / 2, abs=0.3)


def lca_energy(library, ds, variant):
    from lca.balance.energy import energy_per_unit

    return energy_per_unit(library, ds, variant)


def test_the_report_and_the_long_table_show_the_energy_interval(energy_mc):
    from lca.io.tables import result_rows
    from lca.report import render_html

    payload = energy_mc.to_dict()
    section = render_html(payload).split('id="uncertainty"')[1]
    assert "Final energy consumed (kWh)" in section
    rows = [r for r in result_rows(payload, "x.json") if r[3] == "energy" and r[6] == "p97_5"]
    assert {(r[2], r[8]) for r in rows} == {("ai", "kWh"), ("reference", "kWh"), ("net", "kWh")}
