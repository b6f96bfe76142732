"""One dataset of each kind computed through Brightway, compared with the value in its file.

A small study consumes one reference unit (or a round amount) of a dataset per activity; the
engine writes the datasets as Brightway activities and characterises them; each activity's
result must equal the figure written in inventories/background (arithmetic in the comments).
"""

from __future__ import annotations

import pytest

import lca

STUDY = """
study: {id: one-of-each-kind, name: One dataset of each kind, functional_unit: {description: check}}
systems:
  ai:
    name: One of each kind
    activities:
      - {id: grid, name: German grid, stage: C1, phase: inference, tier: data_centre,
         exchanges: [{dataset: electricity.de, amount: "1000 kWh", assumption: test}]}
      - {id: grid-ademe, name: World grid with ADEME ADPe, stage: C1, phase: inference, tier: data_centre,
         exchanges: [{dataset: electricity.world@iea-2019-ademe-2011, amount: "1000 kWh", assumption: test}]}
      - {id: gpu, name: One H100 (vendor PCF), stage: A+B1, phase: training, tier: data_centre,
         exchanges: [{dataset: gpu.nvidia-h100@nvidia-pcf, amount: 1, assumption: test}]}
      - {id: gpu-bz, name: One H100 (BoaviztAPI), stage: A+B1, phase: training, tier: data_centre,
         exchanges: [{dataset: gpu.nvidia-h100, amount: 1, assumption: test}]}
      - {id: ssd, name: SSD capacity, stage: A+B1, phase: data_storage, tier: data_centre,
         exchanges: [{dataset: storage.ssd, amount: "2 TB", assumption: test}]}
      - {id: net, name: Mobile transfer, stage: C1, phase: inference, tier: network,
         exchanges: [{dataset: network.mobile@shift-2019-4g, amount: "10 GB", assumption: test}]}
      - {id: eol, name: WEEE treatment, stage: D2, phase: training, tier: data_centre,
         exchanges: [{dataset: eol.weee-ict, amount: "2 kg", assumption: test}]}
      - {id: dc, name: PUE-only dataset, stage: C2, phase: inference, tier: data_centre,
         exchanges: [{dataset: datacentre.industry-average, amount: "1 kWh", assumption: test}]}
      - {id: gas, name: Dataset written as biosphere flows, stage: C1, phase: none, tier: other,
         exchanges: [{dataset: heat.natural-gas-boiler, amount: "1 kWh", assumption: test}]}
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory, data_dir, library):
    path = tmp_path_factory.mktemp("kinds") / "kinds.yaml"
    path.write_text(STUDY)
    return lca.assess(path, data_dir=data_dir, library=library)


@pytest.mark.parametrize("activity, criterion, expected", [
    # electricity: 1000 kWh x 381.0 gCO2e/kWh (OWID/Ember 2023, DEU) = 381 kgCO2e
    ("grid", "gwp", 381.0),
    # electricity, combined variant: 1000 kWh x 475 g = 475 kgCO2e; x 7.37708e-8 kgSbe/kWh = 7.37708e-5 kgSbe;
    # x 9.988 MJ/kWh = 9988 MJ
    ("grid-ademe", "gwp", 475.0),
    ("grid-ademe", "adpe", 7.37708e-5),
    ("grid-ademe", "pe", 9988.0),
    # equipment: one H100, vendor PCF 164 kgCO2e; BoaviztAPI 575.1 kgCO2e, 0.005832 kgSbe, 7912 MJ
    ("gpu", "gwp", 164.0),
    ("gpu-bz", "gwp", 575.1),
    ("gpu-bz", "adpe", 0.005832),
    ("gpu-bz", "pe", 7912.0),
    # storage: 2 TB x 50.0 kgCO2e/TB = 100 kgCO2e; 2 x 0.0017 = 0.0034 kgSbe; 2 x 600 = 1200 MJ
    ("ssd", "gwp", 100.0),
    ("ssd", "adpe", 0.0034),
    ("ssd", "pe", 1200.0),
    # network: 10 GB x 0.884 kWh/GB x 0.475 kgCO2e/kWh = 4.199 kgCO2e
    ("net", "gwp", 4.199),
    # end of life: 2 kg x 1.5062 kgCO2e/kg = 3.0124 kgCO2e; 2 x 3.714e-6 = 7.428e-6 kgSbe; 2 x 22.348 = 44.696 MJ
    ("eol", "gwp", 3.0124),
    ("eol", "adpe", 7.428e-6),
    ("eol", "pe", 44.696),
])
def test_activity_result_equals_the_file_value(result, activity, criterion, expected):
    assert result.systems["ai"].by_activity[activity][criterion] == pytest.approx(expected, rel=1e-6)  # Brightway stores matrices in single precision


def test_per_unit_values_from_brightway_match_the_library(result, library):
    # the JSON result's dataset table holds Brightway's score for one reference unit of each dataset
    for ref, row in result.datasets.items():
        ds, variant = library.dataset(ref)
        if ds.variants[variant].flows:
            continue  # biosphere flows: checked against the catalogue below
        for crit, score in row["per_unit"].items():
            expected = library.impact(ds, variant, crit).amount
            assert score == pytest.approx(expected or 0.0, rel=1e-6, abs=1e-12), (ref, crit)  # abs: solver noise around 0


def test_no_data_is_reported_not_zero(result):
    # the PUE-only dataset has "no data" everywhere: Brightway gives 0, and the result says why
    assert result.systems["ai"].by_activity["dc"]["gwp"] == 0
    gaps = [f.message for f in result.findings if f.code == "DATA_GAP"]
    assert any("datacentre.industry-average" in m and "gwp" in m for m in gaps), gaps
    # the vendor PCF variant has only a climate figure: its ADPe gap is flagged too
    assert any("gpu.nvidia-h100@nvidia-pcf" in m and "adpe" in m for m in gaps), gaps


def test_catalogue_values_equal_brightway_for_every_dataset_used(result, library):
    # what `lca data list --json` prints (aggregated figure + characterised flows) is what Brightway computes
    from lca.library import catalog

    for ref, row in result.datasets.items():
        ds, variant = library.dataset(ref)
        entry = catalog.dataset_entry(library, ds)
        for crit, score in row["per_unit"].items():
            shown = entry["variants"][variant]["impacts"][crit]
            expected = shown["amount"] if isinstance(shown, dict) else 0.0
            assert score == pytest.approx(expected, rel=1e-6, abs=1e-12), (ref, crit)


def test_equipment_allocation_uses_the_variant_lifetime(tmp_path, data_dir, library):
    # share = count x hours / (lifetime x utilisation); the BoaviztAPI A100 figure goes with its own
    # 3-year life (26280 h): 1 GPU x 2628 h / 26280 h = 0.1 x 319.3 kgCO2e = 31.93 kgCO2e, whereas the
    # dataset's default (BLOOM) life is 6 years: 2628 / 52560 = 0.05 x 150 kgCO2e = 7.5 kgCO2e
    study = tmp_path / "lifetime.yaml"
    study.write_text("""
study: {id: lifetime, name: Variant lifetime, functional_unit: {description: check}}
systems:
  ai:
    name: AI
    activities:
      - {id: bz, name: BoaviztAPI A100, phase: training, tier: data_centre,
         equipment: {dataset: gpu.nvidia-a100-40gb@boavizta-2025, count: 1, hours: "2628 h", assumption: test}}
      - {id: bloom, name: BLOOM A100, phase: training, tier: data_centre,
         equipment: {dataset: gpu.nvidia-a100-40gb, count: 1, hours: "2628 h", assumption: test}}
""")
    result = lca.assess(study, data_dir=data_dir, library=library)
    assert result.systems["ai"].by_activity["bz"]["gwp"] == pytest.approx(31.93, rel=1e-6)
    assert result.systems["ai"].by_activity["bloom"]["gwp"] == pytest.approx(7.5, rel=1e-6)
