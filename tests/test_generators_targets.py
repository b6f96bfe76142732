"""Target systems generated from package data: heat pumps (Open3CL engine) and transport (atomic6ghg).

The regeneration itself (files equal to a fresh run) is tests/test_generated_library.py. Here: values
a person can check in the packages' files and by hand.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import tarfile

import pytest

from conftest import ROOT
from lca.library.catalog import show_dataset

GENERATORS = ROOT / "inventories" / "generators"


def _module(name: str):
    sys.path.insert(0, str(GENERATORS))
    spec = importlib.util.spec_from_file_location(f"generator_{name}", GENERATORS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_heat_pump_default_is_the_tables_recent_heat_pump_with_radiators(library):
    # Open3CL 1.4.6 tv.js, scop rows 10 (PAC air/eau après 2017, zone H1 et H2, emitters "autre"): 2.8,
    # and 58 (PAC géothermique, same): 3
    assert library.attribute_quantity("heat.heat-pump-air-water-fr", "scop").m == pytest.approx(2.8)
    assert library.attribute_quantity("heat.heat-pump-ground-water-fr", "scop").m == pytest.approx(3.0)
    # electricity per kWh of heat = 1 / scop = 1 / 2.8 = 0.357 kWh/kWh
    assert library.attribute_quantity("heat.heat-pump-air-water-fr", "electricity_per_heat").m == pytest.approx(1 / 2.8)
    # row 70: PAC géothermique après 2017, zone H3, underfloor heating: 4
    ref = "heat.heat-pump-ground-water-fr@h3-underfloor-after-2017"
    assert library.attribute_quantity(ref, "scop").m == pytest.approx(4.0)


def test_heat_pumps_carry_attributes_only(library):
    # its impacts are the study's electricity (heat / scop kWh): never a number of its own
    for ident in ("heat.heat-pump-air-water-fr", "heat.heat-pump-ground-water-fr", "heat.heat-pump-air-air-fr"):
        ds = library.datasets[ident]
        assert len(ds.variants) >= 6, ident  # 2 zones x (2 emitters) x periods, as the table has them
        for vname in ds.variants:
            for crit in library.criteria:
                assert library.impact(ds, vname, crit).amount is None, (ident, vname, crit)
            assert not ds.variants[vname].flows


def test_the_engine_tables_are_read_from_the_javascript_module():
    module = _module("heat_pumps")
    text = '/** @type {TableValeur} **/\nexport const tvs = {\n  "scop": [{"scop": "2.8"}]\n};\n export default tvs;\n'
    assert module.read_tables(text) == {"scop": [{"scop": "2.8"}]}


def test_a_wrong_npm_version_is_refused(tmp_path):
    common = _module("_common")
    data = json.dumps({"name": "@open3cl/engine", "version": "0.0.1"}).encode()
    with tarfile.open(tmp_path / common.npm_tarball_name("@open3cl/engine", common.NPM_PINS["@open3cl/engine"]),
                      "w:gz") as tar:
        info = tarfile.TarInfo("package/package.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(common.PackageVersionMismatch, match="pinned to @open3cl/engine@1.4.6"):
        common.open_npm_package("@open3cl/engine", tmp_path)


def test_truck_freight_per_tonne_km_by_hand(library):
    # atomic6ghg 1.1.1 product_transport_emission_factors.json, mediumAndHeavyDutyTruck.ton-mile:
    # co2 0.17 kg, ch4 0.0016 g, n2o 0.0047 g per short ton-mile; 1 short ton-mile = 0.90718474 t x 1.609344 km
    # = 1.459972 t*km; GWP100 (inventories/methods/gwp.yaml): CH4 fossil 29.8, N2O 273.
    per_tkm = 1 / (0.90718474 * 1.609344)
    expected = (0.17 + 0.0016e-3 * 29.8 + 0.0047e-3 * 273) * per_tkm  # = 0.11738 kgCO2e per t*km
    entry = show_dataset(library, "transport.truck-freight-us")
    gwp = entry["variants"]["epa-hub-2023"]["impacts"]["gwp"]
    assert gwp["amount"] == pytest.approx(expected, rel=1e-6)
    assert library.datasets["transport.truck-freight-us"].unit == "t*km"


def test_bus_per_passenger_km_by_hand(library):
    # business_travel_factors.json, bus: co2 0.055 kg, ch4 0.0063 g, n2o 0.0011 g per passenger-mile
    expected = (0.055 + 0.0063e-3 * 29.8 + 0.0011e-3 * 273) / 1.609344  # = 0.03447 kgCO2e per passenger-km
    entry = show_dataset(library, "transport.bus-us-average")
    assert entry["variants"]["epa-hub-2023"]["impacts"]["gwp"]["amount"] == pytest.approx(expected, rel=1e-6)
    assert library.datasets["transport.bus-us-average"].unit == "person*km"


def test_transport_covers_passenger_and_freight_modes(library):
    ids = {i for i, d in library.datasets.items() if d.kind == "transport"}
    assert {"transport.car-us-average", "transport.bus-us-average", "transport.rail-intercity-us",
            "transport.air-short-haul-us", "transport.air-long-haul-us", "transport.truck-freight-us",
            "transport.light-duty-truck-us-average", "transport.rail-freight-us"} <= ids


# ---------------------------------------------------------------- cars per vehicle-km (carculator 1.9.5)
def test_cars_by_powertrain_size_and_country(library):
    # 4 powertrains x 3 sizes x 2 countries, each one carculator run of the pinned release
    cars = [d for d in library.datasets.values() if d.id.startswith("transport.car-") and d.id[-3:] in ("-fr", "-de")]
    assert len(cars) == 24
    ds, variant = library.dataset("transport.car-electric-medium-fr")
    assert variant == "carculator-1.9.5-2020" and ds.unit == "km" and ds.geography == "FRA"
    source = ds.variants[variant].impacts["gwp"].source
    for part in ("carculator 1.9.5", "powertrain BEV", "size Medium", "year 2020", "cycle=WLTC", "country=FR",
                 "method=recipe", "'climate change'"):
        assert part in source, part


def test_car_values_are_read_as_the_library_criteria(library):
    ds, variant = library.dataset("transport.car-diesel-medium-fr")
    pe = ds.variants[variant].impacts["pe"]
    nren, _, ren = pe.value.partition(" + ")  # CED non-renewable + renewable, both written, summed by pint
    expected = float(nren.split()[0]) + float(ren.split()[0])
    assert library.impact(ds, variant, "pe").amount == pytest.approx(expected, rel=1e-12)
    water = ds.variants[variant].impacts["water"]  # m3 of ReCiPe's water consumption, in litres
    assert library.impact(ds, variant, "water").amount == pytest.approx(float(water.value.split()[0]) * 1000)
    assert "EF v3.1" in ds.variants[variant].impacts["adpe"].note


def test_electric_cars_emit_less_on_the_french_grid_than_on_the_german(library):
    # the same car: only the country of use (its electricity) differs; diesel above both in France
    gwp = {ident: library.impact(*library.dataset(ident), "gwp").amount
           for ident in ("transport.car-electric-medium-fr", "transport.car-electric-medium-de",
                         "transport.car-diesel-medium-fr")}
    assert gwp["transport.car-electric-medium-fr"] < gwp["transport.car-electric-medium-de"]
    assert gwp["transport.car-electric-medium-de"] < gwp["transport.car-diesel-medium-fr"]
    assert 0.1 < gwp["transport.car-electric-medium-fr"] < 0.2  # kgCO2e per vehicle-km (0.133)
