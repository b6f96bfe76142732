"""Runs carculator's car model and prints its per-vehicle-km results as JSON (used by vehicles.py).

    AI_LCA_CARCULATOR_PYTHON=... python inventories/generators/vehicles.py

This file is run by vehicles.py with a Python interpreter where carculator (pinned, see
vehicles.PIN) is installed; carculator pins numpy below 2, so that is usually a separate virtual
environment, never ai-lca's own. It reads its arguments as JSON on stdin (scope, countries,
cycle, categories) and writes one JSON document on stdout; carculator's own messages go to stderr.
"""

from __future__ import annotations

import contextlib
import json
import sys
from importlib import metadata


def run(request: dict) -> dict:
    from carculator import CarInputParameters, CarModel, InventoryCar, fill_xarray_from_input_parameters

    cip = CarInputParameters()
    cip.static()  # carculator's default (most likely) value of every input parameter
    _, array = fill_xarray_from_input_parameters(cip, scope=request["scope"])
    out: dict = {"versions": {name: metadata.version(name) for name in request["packages"]}, "results": {}}
    for country in request["countries"]:
        model = CarModel(array, cycle=request["cycle"], country=country)
        model.set_all()
        per_country = out["results"].setdefault(country, {})
        for method, categories in request["categories"].items():
            inventory = InventoryCar(model, method=method, indicator="midpoint",
                                     scenario=request["scenario"], functional_unit="vkm")
            impacts = inventory.calculate_impacts().sum(dim="impact")  # all of its life-cycle parts
            for category in categories:
                table = impacts.sel(impact_category=category, value=0)
                for powertrain in table.powertrain.values:
                    for size in table["size"].values:
                        for year in table.year.values:
                            key = f"{powertrain}|{size}|{int(year)}"
                            value = float(table.sel(powertrain=powertrain, size=size, year=year))
                            per_country.setdefault(key, {})[f"{method}|{category}"] = value
    return out


def main() -> int:
    request = json.loads(sys.stdin.read())
    with contextlib.redirect_stdout(sys.stderr):  # carculator prints its background summary
        result = run(request)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
