"""Transport per passenger-km, vehicle-km and tonne-km: the US EPA GHG Emission Factors Hub.

    python inventories/generators/transport.py [--wheels DIR] [--out DIR]

Reads atomic6ghg (pinned, see _common.PINS; BSD-3-Clause) ``factors/source_data/``
``business_travel_factors.json`` (passenger travel: kg CO2, g CH4 and g N2O per vehicle-mile or
passenger-mile) and ``product_transport_emission_factors.json`` (freight: the same per
vehicle-mile or short ton-mile). atomic6ghg 1.1.1 took them from the U.S. EPA GHG Emission
Factors Hub of 15 March 2023 (its release commit says so; the files do not name the edition): the
Hub's business travel and product transport factors.

Each factor becomes three biosphere flows (CO2, CH4, N2O) that the library's own methods
characterise (IPCC AR6 GWP100), converted from miles and short tons to km and tonnes by pint
(``"0.17 kg/(short_ton*mi) * 1 t*km"``). US averages. The package's files do not say which stages
the Hub's factors cover (fuel production, the electricity of electric rail): the datasets say so
and claim no more; vehicle manufacture and infrastructure are not in them; no ADPe,
primary-energy or water data.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cli, dump_datasets, header, num, open_package

SCRIPT = "transport.py"
DATA = "atomic6ghg/factors/source_data/"
TRAVEL = DATA + "business_travel_factors.json"
FREIGHT = DATA + "product_transport_emission_factors.json"
HUB = "U.S. EPA GHG Emission Factors Hub (15 March 2023)"
FLOWS = {  # gas -> (biosphere3 UUID, name, unit the file gives it in)
    "co2": ("349b29d1-3e58-4c66-98b9-9d1a076efd2e", "Carbon dioxide, fossil (air)", "kg"),
    "ch4": ("0795345f-c7ae-410c-ad25-1845784c75f5", "Methane, fossil (air)", "g"),
    "n2o": ("20185046-64bb-4c09-a8e7-e8a9e144ca98", "Dinitrogen monoxide (air)", "g"),
}
# the file's unit -> (our reference unit, the pint expression of one such unit, what it means)
UNITS = {
    "vehicle-mile": ("km", "mi", "vehicle-km"),
    "passenger-mile": ("person*km", "(person*mi)", "passenger-km"),
    "ton-mile": ("t*km", "(short_ton*mi)", "tonne-km"),
}
# key in the file -> (dataset id, name); passenger travel first, then freight (file, key, unit key)
TRAVEL_MODES = {
    "passengerCars": ("transport.car-us-average", "Passenger car, US average"),
    "lightDutyTruck": ("transport.light-duty-truck-us-average", "Light-duty truck, US average"),
    "motorcycle": ("transport.motorcycle-us-average", "Motorcycle, US average"),
    "bus": ("transport.bus-us-average", "Bus, US average"),
    "intercityRailNationalAverage": ("transport.rail-intercity-us", "Intercity rail, US national average"),
    "commuterRail": ("transport.rail-commuter-us", "Commuter rail, US average"),
    "transitRail": ("transport.rail-transit-us", "Transit rail, US average"),
    "shortHaul": ("transport.air-short-haul-us", "Air travel, short haul, US"),
    "mediumHaul": ("transport.air-medium-haul-us", "Air travel, medium haul, US"),
    "longHaul": ("transport.air-long-haul-us", "Air travel, long haul, US"),
}
FREIGHT_MODES = {
    ("mediumAndHeavyDutyTruck", "ton-mile"): ("transport.truck-freight-us", "Medium- and heavy-duty truck freight"),
    ("mediumAndHeavyDutyTruck", "vehicle-mile"): ("transport.truck-medium-heavy-us",
                                                  "Medium- and heavy-duty truck, per vehicle-km"),
    ("rail", "ton-mile"): ("transport.rail-freight-us", "Rail freight"),
    ("waterborneCraft", "ton-mile"): ("transport.waterborne-freight-us", "Waterborne freight"),
    ("aircraft", "ton-mile"): ("transport.air-freight-us", "Air freight"),
}
VARIANT = "epa-hub-2023"


def _dataset(pkg, path: str, key: str, factors: dict, unit_key: str, ident: str, title: str) -> dict:
    unit, per, meaning = UNITS[unit_key]
    flows = []
    for gas, (uuid, flow_name, file_unit) in FLOWS.items():
        value = float(factors[gas])
        if value == 0:
            continue  # a zero is not shipped as a flow (the file's aircraft CH4): no data for that gas
        flows.append({"flow": uuid, "amount": f"{num(value)} {file_unit}/{per} * 1 {unit}",
                      "source": f"{HUB}, as shipped in {pkg.cite(path, f'{key}.{gas}')} ({file_unit} per {unit_key})",
                      "note": flow_name})
    return {
        "id": ident, "kind": "transport", "name": f"{title}, per {meaning}", "unit": unit, "covers": "C1",
        "geography": "USA",
        "description": (f"CO2, CH4 and N2O per {meaning} as the U.S. EPA GHG Emission Factors Hub gives them (its "
                        f"factor per {unit_key}, converted by pint), characterised by the library's GWP method; US "
                        "averages. The package's file does not say which stages the factor covers (fuel production, "
                        "electricity of electric vehicles): see the Hub's notes before comparing it with a "
                        "life-cycle figure. No vehicle manufacture or infrastructure."),
        "default": VARIANT,
        "variants": {VARIANT: {
            "label": f"{HUB} via {pkg.label}, {key} per {unit_key}",
            "impacts": {"adpe": "no data", "pe": "no data", "water": "no data"},
            "flows": flows,
            "note": "stages covered not stated in the file; edition from the package's release notes (the file "
                    "does not state it); no ADPe, primary-energy or water data",
        }},
    }


def generate(wheels=None) -> dict[str, str]:
    """Write the EPA Hub transport factors (per passenger-km, vehicle-km, tonne-km) from pinned atomic6ghg."""
    pkg = open_package("atomic6ghg", wheels)
    travel, freight = pkg.json(TRAVEL), pkg.json(FREIGHT)
    datasets = []
    for key, (ident, title) in TRAVEL_MODES.items():
        datasets.append(_dataset(pkg, TRAVEL, key, travel[key], travel[key]["units"], ident, title))
    for (key, unit_key), (ident, title) in FREIGHT_MODES.items():
        datasets.append(_dataset(pkg, FREIGHT, f"{key}.{unit_key}", freight[key][unit_key], unit_key, ident, title))
    return {"target-systems-transport.yaml": dump_datasets(datasets, header(SCRIPT, [pkg], [
        "Transport per passenger-km, vehicle-km and tonne-km (target systems): US EPA GHG Emission Factors "
        "Hub 2023."]))}


if __name__ == "__main__":
    sys.exit(cli(SCRIPT, generate))
