"""Passenger cars per vehicle-km by powertrain and size: carculator's life-cycle model, run at build time.

    AI_LCA_CARCULATOR_PYTHON=DIR/bin/python python inventories/generators/vehicles.py [--out DIR]

carculator (Paul Scherrer Institute, BSD-3-Clause; pinned with its data package carculator_utils,
see PIN) is a life-cycle model of passenger cars that computes offline: its background
inventories ship with carculator_utils. It pins numpy below 2, so it runs in its own virtual
environment, never in ai-lca's: ``python -m venv DIR && DIR/bin/pip install carculator==1.9.5``,
then name that interpreter in ``AI_LCA_CARCULATOR_PYTHON`` (or install carculator where this script
runs). ``_carculator_run.py`` runs the model there and hands back its results as JSON.

The run, stated in every value's source: ``CarInputParameters().static()`` (carculator's default
value of every input), ``CarModel(cycle="WLTC", country=...)``, ``InventoryCar(method=...,
indicator="midpoint", scenario="SSP2-NPi", functional_unit="vkm").calculate_impacts()`` summed over
all its parts (vehicle manufacture, maintenance, energy chain, exhaust, road, end of life). What
becomes which criterion (the library's methods are named in inventories/methods/):

- gwp: ReCiPe-mode category ``climate change`` (IPCC 2021 GWP100, as the library's);
- adpe: EF v3.1 category ``material resources: metals/minerals`` (ADP elements, ultimate reserves,
  kg Sb-eq: CML's, as the library's);
- pe: ReCiPe-mode ``energy resources: non-renewable`` + ``energy resources: renewable``
  (cumulative energy demand, HHV, as the library's);
- water: ReCiPe 2016 ``water use`` (water consumption potential, m3, as the library's).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import HERE, Package, PackageUnavailable, PackageVersionMismatch, cli, dump_datasets, header, num

SCRIPT = "vehicles.py"
PIN = {"carculator": "1.9.5", "carculator_utils": "1.3.5"}  # a new release is a reviewed change
ENV = "AI_LCA_CARCULATOR_PYTHON"
CYCLE, SCENARIO, YEAR = "WLTC", "SSP2-NPi", 2020
POWERTRAINS = {"ICEV-p": ("petrol", "petrol"), "ICEV-d": ("diesel", "diesel"),
               "HEV-p": ("hybrid-petrol", "petrol hybrid"), "BEV": ("electric", "battery electric")}
SIZES = {"Small": "small", "Medium": "medium", "Large": "large"}
COUNTRIES = {"FR": ("fr", "FRA", "France"), "DE": ("de", "DEU", "Germany")}
CATEGORIES = {
    "recipe": ["climate change", "energy resources: non-renewable", "energy resources: renewable", "water use"],
    "ef": ["material resources: metals/minerals"],
}


def carculator_python() -> str:
    """The interpreter that runs carculator: $AI_LCA_CARCULATOR_PYTHON, or this one if it has the pin."""
    named = os.environ.get(ENV)
    if named:
        return named
    try:
        version = metadata.version("carculator")
    except metadata.PackageNotFoundError:
        raise PackageUnavailable(
            f"carculator=={PIN['carculator']} is not installed here (it pins numpy<2): run `python -m venv DIR && "
            f"DIR/bin/pip install carculator=={PIN['carculator']}` and set {ENV}=DIR/bin/python") from None
    if version != PIN["carculator"]:
        raise PackageVersionMismatch(f"carculator {version} is installed, but the generator is pinned to "
                                     f"carculator=={PIN['carculator']}")
    return sys.executable


def run_model(python: str) -> dict:
    """carculator's results, ``{country: {"POWERTRAIN|SIZE|YEAR": {"method|category": value}}}``."""
    request = {"scope": {"powertrain": list(POWERTRAINS), "size": list(SIZES), "year": [YEAR]},
               "countries": list(COUNTRIES), "cycle": CYCLE, "scenario": SCENARIO, "categories": CATEGORIES,
               "packages": list(PIN)}
    try:
        proc = subprocess.run([python, str(HERE / "_carculator_run.py")], input=json.dumps(request),
                              capture_output=True, text=True, timeout=600)
    except OSError as exc:
        raise PackageUnavailable(f"{ENV}={python} cannot be run: {exc}") from None
    if proc.returncode != 0:
        raise PackageUnavailable(f"carculator did not run with {python}: {proc.stderr.strip()[-400:]}")
    out = json.loads(proc.stdout)
    if out["versions"] != PIN:
        raise PackageVersionMismatch(f"{python} has {out['versions']}, but the generator is pinned to {PIN}")
    return out["results"]


def _source(country: str, powertrain: str, size: str, method: str, categories: str) -> str:
    return (f"carculator {PIN['carculator']} (carculator_utils {PIN['carculator_utils']}), run at build time: "
            f"CarInputParameters().static(), scope powertrain {powertrain}, size {size}, year {YEAR}; "
            f"CarModel(cycle={CYCLE}, country={country}); InventoryCar(method={method}, indicator=midpoint, "
            f"scenario={SCENARIO}, functional_unit=vkm).calculate_impacts() summed over its parts, "
            f"impact_category {categories}")


def _impacts(values: dict, country: str, powertrain: str, size: str) -> dict:
    def src(method, *cats):
        return _source(country, powertrain, size, method, " + ".join(f"'{c}'" for c in cats))

    nren, ren = values["recipe|energy resources: non-renewable"], values["recipe|energy resources: renewable"]
    water = values["recipe|water use"]
    adpe = values["ef|material resources: metals/minerals"]
    return {
        "gwp": {"value": f"{num(values['recipe|climate change'])} kgCO2e/km", "year": YEAR,
                "source": src("recipe", "climate change"), "note": "IPCC 2021 GWP100"},
        "adpe": ({"value": f"{num(adpe)} kgSbe/km", "year": YEAR,
                  "source": src("ef", "material resources: metals/minerals"),
                  "note": "EF v3.1, ADP elements (ultimate reserves)"} if adpe > 0 else "no data"),
        "pe": {"value": f"{num(nren)} MJ/km + {num(ren)} MJ/km", "year": YEAR,
               "source": src("recipe", "energy resources: non-renewable", "energy resources: renewable"),
               "note": f"cumulative energy demand (HHV), non-renewable + renewable = {nren + ren:.4g} MJ/km"},
        "water": ({"value": f"{num(water)} m**3/km", "year": YEAR, "source": src("recipe", "water use"),
                   "note": f"ReCiPe 2016 water consumption potential: {water * 1000:.4g} L/km"}
                  if water > 0 else "no data"),
    }


def _dataset(country: str, powertrain: str, size: str, values: dict) -> dict:
    slug, what = POWERTRAINS[powertrain]
    cslug, iso3, cname = COUNTRIES[country]
    variant = f"carculator-{PIN['carculator']}-{YEAR}"
    return {
        "id": f"transport.car-{slug}-{SIZES[size]}-{cslug}", "kind": "transport",
        "name": f"Passenger car, {what}, {SIZES[size]}, {YEAR}, driven in {cname}, per vehicle-km (carculator)",
        "unit": "km", "covers": "C1", "geography": iso3,
        "description": (f"carculator's life-cycle model of a {SIZES[size]} {what} car of {YEAR} on the {CYCLE} cycle, "
                        f"used in {cname} (its electricity and fuel blends), per vehicle-km: vehicle manufacture, "
                        "maintenance, energy chain, exhaust, road and end of life, summed (a target system: a study "
                        "charges it in its use stage). Every input at carculator's default; one run of the pinned "
                        "release, no uncertainty range."),
        "default": variant,
        "variants": {variant: {
            "label": f"carculator {PIN['carculator']}, {powertrain} {size} {YEAR}, {CYCLE}, country {country}",
            "impacts": _impacts(values, country, powertrain, size)}},
    }


def generate(wheels=None) -> dict[str, str]:
    """Write passenger cars per vehicle-km from the pinned carculator model, run at build time."""
    results = run_model(carculator_python())
    datasets = [_dataset(country, powertrain, size, results[country][f"{powertrain}|{size}|{YEAR}"])
                for country in COUNTRIES for powertrain in POWERTRAINS for size in SIZES]
    pkg = Package("carculator", PIN["carculator"], None, "run")
    return {"target-systems-vehicles.yaml": dump_datasets(datasets, header(SCRIPT, [pkg], [
        f"Passenger cars per vehicle-km, carculator {PIN['carculator']} with carculator_utils "
        f"{PIN['carculator_utils']}, run at build time (its model, not a data file): see the generator's docstring."]))}


if __name__ == "__main__":
    sys.exit(cli(SCRIPT, generate))
