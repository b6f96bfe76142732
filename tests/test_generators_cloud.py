"""Cloud instances generated from BoaviztAPI 2.5.0's archetypes (inventories/generators/cloud_instances.py).

The regeneration itself (files equal to a fresh run) is tests/test_generated_library.py, which runs
every generator. Here: the counts and values a person can check in BoaviztAPI's CSV files, and the
rule that keeps a precomputed Azure figure only when it agrees with the 2.5.0 archetype.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import ROOT

GENERATORS = ROOT / "inventories" / "generators"


@pytest.fixture(scope="module")
def generator():
    sys.path.insert(0, str(GENERATORS))
    spec = importlib.util.spec_from_file_location("generator_cloud_instances", GENERATORS / "cloud_instances.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_dataset_per_archetype_row(library):
    # rows of data/archetypes/cloud/<provider>.csv in the 2.5.0 wheel (wc -l minus the header line)
    expected = {"aws": 1479, "azure": 394, "gcp": 339, "ovhcloud": 50, "scaleway": 69}
    counts = {p: sum(1 for i in library.datasets if i.startswith(f"instance.{p}.")) for p in expected}
    assert counts == expected


def test_configuration_only_instance_has_attributes_and_no_impacts(library):
    # aws.csv row "a1.medium,1,2,0,0,0,a1.metal,"; server.csv a1.metal USAGE.hours_life_time 52560
    ds, variant = library.dataset("instance.aws.a1.medium")
    attrs = library.attributes(ds, variant)
    assert library.attribute_quantity("instance.aws.a1.medium", "vcpu").m == 1
    assert library.attribute_quantity("instance.aws.a1.medium", "memory").to("GB").m == 2
    assert library.attribute_quantity("instance.aws.a1.medium", "lifetime").to("year").m == pytest.approx(6.0)
    assert "ssd_storage" not in attrs and "gpu_units" not in attrs  # 0 in the file: not an attribute
    assert all(library.impact(ds, variant, c).amount is None for c in library.criteria)
    assert "Configuration only" in ds.description and "Annapurna Labs Graviton" in ds.description


def test_azure_instance_with_boavizta_output(library):
    # result.csv row d2ads_v5: gwp_manufacturing_1h_impact 0.0005, ..._total_host_lifetime_impact 26.0,
    # energy_1h_load50 7.3752240625; the host Dadsv5-Type1 lives 52560 h: 26 / 52560 = 0.000495 per hour,
    # the file's 0.0005 to its 2 significant digits
    ds, variant = library.dataset("instance.azure.d2ads_v5")
    assert variant == "boaviztapi-result"
    assert library.impact(ds, variant, "gwp").amount == pytest.approx(26.0)
    assert library.impact(ds, variant, "adpe").amount is None
    assert library.attribute_quantity("instance.azure.d2ads_v5", "power_load50").m == pytest.approx(7.375)
    assert library.attribute_quantity("instance.azure.d2ads_v5", "ssd_storage").m == 75
    # 290 of the 394 Azure rows have the same configuration and platform in result.csv
    with_gwp = [i for i, d in library.datasets.items() if i.startswith("instance.azure.")
                and library.impact(d, d.default, "gwp").amount is not None]
    assert len(with_gwp) == 290
    # d16as_v4 sits on Dasv4-Type2 in azure.csv but on Dasv4-Type1 in result.csv: no figure
    other, v = library.dataset("instance.azure.d16as_v4")
    assert library.impact(other, v, "gwp").amount is None


def test_result_rows_are_kept_only_when_they_agree(generator):
    servers = {"H": {"USAGE.hours_life_time": "52560"}}
    arch = [{"id": x, "vcpu": "2", "memory": "8", "ssd_storage": "0", "hdd_storage": "0", "gpu_units": "0",
             "platform": "H"} for x in ("ok", "other-life", "other-platform", "other-memory")]
    base = {"vcpu": "2", "memory": "8.0", "ssd_storage": "0.0", "hdd_storage": "0.0", "gpu_units": "0",
            "platform": "H", "gwp_manufacturing_1h_impact": "0.0005",
            "gwp_manufacturing_total_host_lifetime_impact": "26.0"}
    rows = [dict(base, id="ok"),
            # 0.0005 x 52560 = 26.3, but 13.0 here: computed with another lifetime (or another host)
            dict(base, id="other-life", gwp_manufacturing_total_host_lifetime_impact="13.0"),
            dict(base, id="other-platform", platform="G"),
            dict(base, id="other-memory", memory="16.0")]

    class Fake:
        def csv_dicts(self, path):
            assert path == generator.AZURE_RESULT
            return rows

    assert list(generator._azure_results(Fake(), arch, servers)) == ["ok"]


def test_every_instance_says_how_it_was_derived(library):
    for ident, ds in library.datasets.items():
        if ident.startswith("instance."):
            assert ("Configuration only" in ds.description) != ("model output" in ds.description), ident
