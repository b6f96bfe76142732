"""Replays of published results: each study reproduces the figures its source published (2 %).

Where a published table is not internally consistent, the study reproduces what the table's own
inputs imply, and the test states the published figure and by how much it deviates.
"""

from __future__ import annotations

import pytest

import lca

from conftest import STUDIES

REL = 0.02  # the published figures are rounded to 3 significant digits at best


def run(name, library, data_dir):
    return lca.assess(STUDIES / f"{name}.yaml", data_dir=data_dir, library=library)


@pytest.fixture(scope="module")
def bloom(library, data_dir):
    return run("bloom-training", library, data_dir)


# ------------------------------------------------------------------ BLOOM (Luccioni et al. 2023)
def test_bloom_total_is_50_5_tonnes(bloom):
    # 24.69 (dynamic) + 14.6 (idle) + 7.57 (servers) + 3.64 (GPUs) = 50.5 t CO2e
    assert bloom.systems["ai"].total["gwp"] / 1000 == pytest.approx(50.5, rel=REL)
    assert bloom.net is None  # footprint only: no reference


def test_bloom_breakdown_by_activity(bloom):
    t = {k: v["gwp"] / 1000 for k, v in bloom.systems["ai"].by_activity.items()}
    # dynamic: 1,082,990 GPU-h x 0.4 kW = 433,196 kWh x 57 g/kWh = 24.69 t
    assert t["dynamic"] == pytest.approx(24.69, rel=REL)
    # idle: 256,646 kWh x 57 g/kWh = 14.63 t
    assert t["idle"] == pytest.approx(14.6, rel=REL)
    # GPUs: 384 x 150 kg x 2,820 h / (6 x 8760 h x 0.85) = 3.64 t
    assert t["gpus"] == pytest.approx(3.64, rel=REL)
    # servers: 48 x 2500 kg x 2,820 h / (6 x 8760 h x 0.85) = 7.57 t
    assert t["servers"] == pytest.approx(7.57, rel=REL)


def test_bloom_breakdown_by_stage(bloom):
    stages = {k: v["gwp"] / 1000 for k, v in bloom.systems["ai"].by_stage.items()}
    assert set(stages) == {"A+B", "C"}  # no end of life: the paper leaves it out
    assert stages["A+B"] == pytest.approx(11.2, rel=REL)  # embodied: 7.57 + 3.64
    assert stages["C"] == pytest.approx(24.69 + 14.6, rel=REL)  # use: dynamic + idle


def test_bloom_completeness_shows_end_of_life_missing(bloom):
    """The paper counts no end of life: the completeness check must say so, not hide it."""
    table = bloom.to_dict()["completeness"]["ai"]
    assert "D" not in bloom.systems["ai"].by_stage
    assert table["D1"]["status"] == "missing" and table["D1"]["mandatory"]
    assert table["D2"]["status"] == "missing" and table["D2"]["mandatory"]
    # nor the data-centre overhead (PUE 1.2 is in the paper's comparison table, not in the 50.5 t)
    assert table["C2"]["status"] == "missing"
    assert table["C1"]["status"] == "covered" and table["A"]["status"] == "combined"
    missing = [f.message for f in bloom.findings if f.code == "MISSING_MANDATORY_UNIT_PROCESS"]
    assert len(missing) == 1 and "D2" in missing[0]


# ------------------------------------------------------------------ LLM comparison table
def test_gpt3_inputs_imply_552_t_and_the_table_prints_502(library, data_dir):
    r = run("gpt3-training", library, data_dir)
    acts = {k: v["gwp"] / 1000 for k, v in r.systems["ai"].by_activity.items()}
    # 1,287 MWh (PUE 1.1 included) x 429 g/kWh = 552.1 t
    assert r.systems["ai"].total["gwp"] / 1000 == pytest.approx(552, rel=REL)
    # Documented deviation: the table's 502 t is 552 / 1.1, i.e. the IT equipment alone
    # (1,170 MWh x 429 g = 501.9 t), although its 1,287 MWh already include the PUE.
    assert acts["it-energy"] == pytest.approx(502, rel=REL)
    assert acts["facility-overhead"] == pytest.approx(552 - 502, rel=REL)


def test_gopher_352_t_and_380_t_with_pue(library, data_dir):
    r = run("gopher-training", library, data_dir)
    acts = {k: v["gwp"] / 1000 for k, v in r.systems["ai"].by_activity.items()}
    # 1,066 MWh x 330 g/kWh = 351.8 t (IT equipment)
    assert acts["it-energy"] == pytest.approx(352, rel=REL)
    # x PUE 1.08: 1,151 MWh x 330 g = 379.9 t
    assert r.systems["ai"].total["gwp"] / 1000 == pytest.approx(380, rel=REL)


def test_opt_inputs_imply_74_8_t_not_the_published_70(library, data_dir):
    r = run("opt-training", library, data_dir)
    it = r.systems["ai"].by_activity["it-energy"]["gwp"] / 1000
    # 324 MWh x 231 g/kWh = 74.84 t
    assert it == pytest.approx(74.8, rel=REL)
    # Documented deviation: the table prints 70 t, 6.9 % below what its own inputs give;
    # no reading of the inputs gives 70 t (with PUE 1.09: 81.6 t, shown as the study total).
    assert it / 70 == pytest.approx(1.069, abs=0.002)
    assert it != pytest.approx(70, rel=REL)
    assert r.systems["ai"].total["gwp"] / 1000 == pytest.approx(324 * 1.09 * 0.231, rel=1e-6)


# ------------------------------------------------------------------ video streaming
def test_streaming_5_14_mt_and_901_760_people(library, data_dir):
    r = run("video-streaming", library, data_dir)
    total_t = r.systems["ai"].total["gwp"] / 1000
    # 93,455,200,000 h x 55 g/h = 5.140 Mt CO2e
    assert total_t / 1e6 == pytest.approx(5.14, rel=REL)
    # 5,140,036 t / 5.7 t per person and year = 901,760.7 people: computed by the tool (equivalents)
    (people,) = r.extras["equivalents"]
    assert people["value"] == pytest.approx(901_760.7, rel=REL)
    assert people["unit"] == "year"
    assert people["per"] == pytest.approx(5700.0)


def test_streaming_hour_split_into_tiers(library, data_dir):
    r = run("video-streaming", library, data_dir)
    tiers = {k: v["gwp"] / 1000 for k, v in r.systems["ai"].by_tier.items()}
    total = sum(tiers.values())
    assert tiers["terminal"] / total == pytest.approx(0.5, rel=1e-9)  # Carbon Trust: > 50 %, taken at 50 %
    # servers: 25 W / 2000 flows x 1 h = 12.5 mWh per hour; x 475 g/kWh = 0.0059 g of 55 g = 0.011 %
    assert tiers["data_centre"] / total == pytest.approx(0.0125e-3 * 475 / 55, rel=1e-6)
    assert tiers["network"] / total == pytest.approx(0.5 - 0.0125e-3 * 475 / 55, rel=1e-6)


# ------------------------------------------------------------------ EV battery minerals
def test_ev_minerals_in_years_of_world_production(library, data_dir):
    r = run("ev-battery-minerals", library, data_dir)
    rows = {m["name"]: m for m in r.to_dict()["raw_materials"]["systems"]["ai"]}
    # cobalt: 39.3 M cars x 8 kg = 314.4 kt / 230 kt per year = 1.37 years
    assert rows["Cobalt"]["amount_kg"] == pytest.approx(314.4e6, rel=1e-9)
    assert rows["Cobalt"]["years_of_world_production"] == pytest.approx(1.37, rel=REL)
    # nickel: 39.3 M x 29 kg = 1,139.7 kt / 3,600 kt = 0.317 year (about a third)
    assert rows["Nickel"]["years_of_world_production"] == pytest.approx(0.317, rel=REL)
    # manganese: 39.3 M x 10 kg = 393 kt / 20,000 kt = 0.0197 year (about 2 %), not "20 years":
    # the USGS table is in thousand tonnes; reading 20,000 as tonnes would give 19.65 years.
    assert rows["Manganese"]["years_of_world_production"] == pytest.approx(0.0197, rel=REL)
    assert rows["Manganese"]["world_production_kg_per_year"] == pytest.approx(20e9)


def test_ev_minerals_adpe(library, data_dir):
    r = run("ev-battery-minerals", library, data_dir)
    # ADPe (CML v4.8 2016 factors, kg Sb-eq per kg):
    # cobalt 314.4e6 x 1.56882e-5 = 4,932; nickel 1,139.7e6 x 6.52943e-5 = 74,416;
    # manganese 393e6 x 2.53988e-6 = 998; total 80,346 kg Sb-eq
    assert r.systems["ai"].total["adpe"] == pytest.approx(80_346, rel=1e-3)
    assert list(r.systems["ai"].by_stage) == ["A"]  # raw material acquisition only
    assert r.systems["ai"].by_stage["A"]["adpe"] == pytest.approx(r.systems["ai"].total["adpe"], rel=1e-6)
