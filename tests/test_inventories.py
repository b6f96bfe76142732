"""Every file of inventories/ loads, every value has a source, every unit parses, ids are unique.

These checks read the YAML files themselves (not only the loaded library), so that a value
hidden in a variant, an attribute or an uncertainty cannot escape them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import lca
from lca.core import units
from lca.library.background import NO_DATA, load_library
from lca.core.errors import InputError

from conftest import ROOT

INVENTORIES = ROOT / "inventories"
BACKGROUND_FILES = sorted((INVENTORIES / "background").rglob("*.yaml"))
METHOD_FILES = sorted((INVENTORIES / "methods").glob("*.yaml"))
ALL_FILES = sorted(p for p in INVENTORIES.rglob("*.yaml"))


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the generated files are large


def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


def _sourced_values(doc):
    """Yield (where, value-dict) for every sourced value of a background file."""
    for ds in doc.get("datasets", []):
        for name, attr in (ds.get("attributes") or {}).items():
            yield f"{ds['id']}.attributes.{name}", attr
        for vname, variant in ds["variants"].items():
            for name, attr in (variant.get("attributes") or {}).items():
                yield f"{ds['id']}@{vname}.attributes.{name}", attr
            for crit, value in (variant.get("impacts") or {}).items():
                if value != NO_DATA:
                    yield f"{ds['id']}@{vname}.impacts.{crit}", value
            for j, fa in enumerate(variant.get("flows") or []):
                yield f"{ds['id']}@{vname}.flows[{j}]", fa


def test_there_are_inventory_files():
    assert len(BACKGROUND_FILES) >= 5
    assert {p.stem for p in METHOD_FILES} >= {"gwp", "adpe", "pe", "flows-biosphere3"}


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(INVENTORIES)))
def test_every_file_is_valid_yaml(path):
    assert _load(path) is not None


def test_library_loads_without_problems():
    library = load_library()
    assert set(library.criteria) >= {"gwp", "adpe", "pe"}
    assert len(library.datasets) >= 40


@pytest.mark.parametrize("path", BACKGROUND_FILES, ids=lambda p: p.name)
def test_every_value_has_a_source(path):
    missing = [where for where, v in _sourced_values(_load(path))
               if not isinstance(v, dict) or not str(v.get("source") or "").strip()]
    assert not missing, f"values without a source in {path.name}: {missing}"


@pytest.mark.parametrize("path", BACKGROUND_FILES, ids=lambda p: p.name)
def test_every_unit_parses(path):
    bad = []
    for ds in _load(path).get("datasets", []):
        try:
            units.parse_unit(ds["unit"])
        except units.UnitError as exc:
            bad.append(f"{ds['id']}.unit: {exc}")
    for where, v in _sourced_values(_load(path)):
        for key in ("value", "amount"):
            if key in v:
                try:
                    units.parse_quantity(v[key])
                except units.UnitError as exc:
                    bad.append(f"{where}: {exc}")
        unc = v.get("uncertainty") or {}
        for key in ("sd", "min", "max"):
            if key in unc:
                try:
                    units.parse_quantity(unc[key])
                except units.UnitError as exc:
                    bad.append(f"{where}.uncertainty.{key}: {exc}")
    assert not bad, bad


def test_impacts_have_the_dimension_of_their_criterion(library):
    # Library.impact converts every value to the criterion's unit per reference unit; a value in
    # the wrong dimension (e.g. "56 g/kWh" for gwp) raises UnitError here.
    count = 0
    for ds in library.datasets.values():
        for vname in ds.variants:
            for crit in library.criteria:
                iv = library.impact(ds, vname, crit)
                if iv.amount is not None:
                    assert iv.source, (ds.id, vname, crit)
                    count += 1
    assert count > 100


def test_dataset_ids_are_unique_across_files():
    seen: dict[str, str] = {}
    duplicated = []
    for path in BACKGROUND_FILES:
        for ds in _load(path).get("datasets", []):
            if ds["id"] in seen:
                duplicated.append(f"{ds['id']} in {seen[ds['id']]} and {path.name}")
            seen[ds["id"]] = path.name
    assert not duplicated, duplicated


def test_a_duplicated_id_is_a_located_error(tmp_path):
    # copy methods and one background file twice: the loader must name the second file and line
    (tmp_path / "methods").mkdir()
    (tmp_path / "background").mkdir()
    for p in METHOD_FILES:
        (tmp_path / "methods" / p.name).write_text(p.read_text())
    text = (INVENTORIES / "background" / "storage.yaml").read_text()
    (tmp_path / "background" / "a.yaml").write_text(text)
    (tmp_path / "background" / "b.yaml").write_text(text)
    with pytest.raises(InputError) as exc:
        load_library(tmp_path)
    messages = [str(p) for p in exc.value.problems]
    assert any("b.yaml:" in m and "storage.ssd" in m and "already defined" in m for m in messages), messages


def _library_with(tmp_path, text):
    (tmp_path / "methods").mkdir()
    (tmp_path / "background").mkdir()
    for p in METHOD_FILES:
        (tmp_path / "methods" / p.name).write_text(p.read_text())
    (tmp_path / "background" / "bad.yaml").write_text(
        "datasets:\n"
        "  - id: x.bad\n    kind: equipment\n    name: Bad\n    unit: unit\n    covers: A+B1\n"
        "    default: v\n    variants:\n      v:\n        impacts:\n" + text)
    with pytest.raises(InputError) as exc:
        load_library(tmp_path)
    return [str(p) for p in exc.value.problems]


def test_a_value_without_a_source_is_a_located_error(tmp_path):
    messages = _library_with(tmp_path, '          gwp: {value: "12 kgCO2e"}\n')
    assert any("bad.yaml:11:" in m and "impacts.gwp" in m for m in messages), messages


def test_a_value_with_an_unknown_unit_is_a_located_error(tmp_path):
    messages = _library_with(tmp_path, '          adpe: {value: "3 zorkmids", source: s}\n')
    assert any("bad.yaml:11:" in m and "zorkmids" in m for m in messages), messages


def test_a_value_in_the_wrong_dimension_is_a_located_error(tmp_path):
    messages = _library_with(tmp_path, '          gwp: {value: "3 kWh", source: s}\n')
    assert any("bad.yaml:11:" in m and "impacts.gwp" in m and "kgCO2e" in m for m in messages), messages


def test_no_silent_zero():
    # a zero impact would hide a gap: missing data must be written "no data"
    zeros = []
    for path in BACKGROUND_FILES:
        for where, v in _sourced_values(_load(path)):
            if ".impacts." in where and units.parse_quantity(v["value"]).magnitude == 0:
                zeros.append(where)
    assert not zeros, zeros


def test_kinds_and_counts(library):
    by_kind: dict[str, list[str]] = {}
    for ds in library.datasets.values():
        by_kind.setdefault(ds.kind, []).append(ds.id)
    assert len(by_kind["electricity"]) >= 15
    assert len(by_kind["equipment"]) >= 20
    for kind in ("storage", "network", "datacentre", "end_of_life"):
        assert by_kind.get(kind), kind


def test_ids_other_engineers_rely_on(library):
    needed = """electricity.fr electricity.world electricity.us electricity.de gpu.nvidia-v100
    gpu.nvidia-a100-40gb gpu.nvidia-a100-80gb gpu.nvidia-h100 gpu.nvidia-h200 gpu.nvidia-b200
    server.gpu-chassis server.generic terminal.smartphone terminal.laptop terminal.desktop
    terminal.monitor terminal.tablet terminal.tv terminal.internet-box terminal.iot-sensor
    network.fixed network.mobile storage.ssd storage.hdd eol.weee-ict""".split()
    assert not [i for i in needed if i not in library.datasets]
    # pinned values (gCO2e/kWh and kgCO2e per GPU, as written in the files)
    fr, _ = library.dataset("electricity.fr")
    assert library.impact(fr, "owid-2023", "gwp").amount == pytest.approx(0.056)
    assert library.impact(fr, "bloom-2023", "gwp").amount == pytest.approx(0.057)
    world, default = library.dataset("electricity.world")
    assert default == "iea-2019" and library.impact(world, default, "gwp").amount == pytest.approx(0.475)
    assert library.impact(world, "owid-2024", "gwp").amount == pytest.approx(0.47301)
    a100, default = library.dataset("gpu.nvidia-a100-40gb")
    assert default == "luccioni-2023" and library.impact(a100, default, "gwp").amount == 150
    assert library.impact(a100, "boavizta-2025", "gwp").amount == pytest.approx(319.3)


def test_gpu_embodied_ranges_are_shipped(library):
    # the sources disagree up to 4x: A100 150 kg (BLOOM) vs 567.7 kg (BoaviztAPI, 80 GB); H100 164 vs 575.1
    for ident, low, high in (("gpu.nvidia-a100-80gb", 150, 567.7), ("gpu.nvidia-h100", 164, 575.1)):
        ds, _ = library.dataset(ident)
        values = [library.impact(ds, v, "gwp").amount for v in ds.variants]
        values = [v for v in values if v is not None]
        assert min(values) == pytest.approx(low) and max(values) == pytest.approx(high)


def test_equipment_has_a_lifetime(library):
    no_lifetime = [ds.id for ds in library.datasets.values()
                   if ds.kind == "equipment" and ds.unit == "unit" and "lifetime" not in ds.attributes]
    assert not no_lifetime, no_lifetime


def test_no_data_end_of_life_is_seen_as_missing(library):
    ds, variant = library.dataset("eol.reuse-preparation")
    assert all(library.impact(ds, variant, c).amount is None for c in library.criteria)


def test_variant_attributes_override_dataset_attributes(library):
    ds, _ = library.dataset("network.mobile")
    attrs = library.attributes(ds, "shift-2019-4g")
    # 8.84e-10 kWh/byte x 1e9 byte/GB = 0.884 kWh/GB
    assert units.convert(units.parse_quantity(attrs["energy_intensity"].value), "kWh/GB") == pytest.approx(0.884)


def test_public_api_still_loads_the_library():
    assert lca.load_library().fingerprint


# IPCC AR6 (2021) GWP100, Chapter 7 Table 7.SM.7, as implemented in ecoinvent 3.9 (bw2io 0.9.17)
AR6_GWP100 = {
    "Carbon dioxide, fossil": 1, "Methane, fossil": 29.8, "Methane, non-fossil": 27.0,
    "Dinitrogen monoxide": 273, "Sulfur hexafluoride": 25200, "Nitrogen fluoride": 17400,
    "Methane, tetrafluoro-, R-14": 7380, "Ethane, hexafluoro-, HFC-116": 12400,
    "Methane, trifluoro-, HFC-23": 14600, "Methane, difluoro-, HFC-32": 771,
    "Ethane, 1,1,1,2-tetrafluoro-, HFC-134a": 1530,
}
# CML v4.8 (2016) ADP elements, ultimate reserves, kg Sb-eq per kg extracted
CML_ADPE = {
    "Antimony": 1, "Gold": 52.04250371, "Silver": 1.183978618, "Platinum": 2.216820008,
    "Palladium": 0.5706016, "Copper": 0.001365923, "Tin": 0.016229792, "Indium": 0.006888901,
    "Tantalum": 4.05816e-05, "Cobalt": 1.56882e-05, "Nickel": 6.52943e-05, "Lithium": 1.14656e-05,
    "Manganese": 2.53988e-06, "Gallium": 1.45748e-07, "Germanium": 6.52264e-07,
}


def _factor(library, criterion, name, categories):
    matches = [cf.factor for cf in library.factors[criterion]
               if library.flows[cf.flow].name == name and library.flows[cf.flow].categories == categories]
    assert len(matches) == 1, (criterion, name, categories, matches)
    return matches[0]


@pytest.mark.parametrize("gas, gwp", sorted(AR6_GWP100.items()))
def test_gwp100_factors_of_the_main_greenhouse_gases(library, gas, gwp):
    assert _factor(library, "gwp", gas, ("air",)) == pytest.approx(gwp, rel=1e-9)


@pytest.mark.parametrize("metal, adpe", sorted(CML_ADPE.items()))
def test_adpe_factors_of_electronics_and_battery_metals(library, metal, adpe):
    assert _factor(library, "adpe", metal, ("natural resource", "in ground")) == pytest.approx(adpe, rel=1e-6)


def test_flows_keep_biosphere3_uuids(library):
    # ecoinvent 3.9 biosphere3 identifiers, as used by tests/data/tiny.yaml and target-systems.yaml
    assert library.find_flow("Carbon dioxide, fossil (air)").id == "349b29d1-3e58-4c66-98b9-9d1a076efd2e"
    assert library.find_flow("Methane, fossil (air)").id == "0795345f-c7ae-410c-ad25-1845784c75f5"


def test_attribute_quantity_reads_sourced_attributes(library):
    # Uptime Institute 2023 average PUE 1.58; the 2022 variant 1.55; H100 SXM TDP 700 W
    assert library.attribute_quantity("datacentre.industry-average", "pue").magnitude == pytest.approx(1.58)
    assert library.attribute_quantity("datacentre.industry-average@uptime-2022", "pue").magnitude == pytest.approx(1.55)
    assert units.convert(library.attribute_quantity("gpu.nvidia-h100", "tdp"), "kW") == pytest.approx(0.7)
    with pytest.raises(KeyError, match="has no attribute 'wue'"):
        library.attribute_quantity("datacentre.jean-zay", "wue")


def test_load_dump_round_trip_keeps_every_citation(library):
    # every dataset survives model_dump -> model_validate unchanged, sources included
    from lca.library.background import Dataset

    for ds in library.datasets.values():
        again = Dataset.model_validate(ds.model_dump())
        assert again == ds
        dumped = str(again.model_dump())
        for variant in ds.variants.values():
            for value in variant.impacts.values():
                if value != NO_DATA:
                    assert value.source in dumped
