"""Heat pumps heating buildings: seasonal COP (SCOP) of the French DPE method's default table.

    python inventories/generators/heat_pumps.py [--wheels DIR] [--out DIR]

Reads the Open3CL engine (npm ``@open3cl/engine``, pinned, see _common.NPM_PINS; GPL-3.0, read from
its tarball at build time only) ``tv.js``, table ``scop``: the default SCOP (or COP, for the
oldest heat pumps) of the French energy performance certificate method 3CL-DPE 2021 (annex 1 of the
arrêté of 31 March 2021 on the methods for the DPE, which the engine implements), by heat pump
type, installation period, climate zone (H1 and H2, or H3, the Mediterranean) and emitter
(underfloor or ceiling heating, or any other: radiators, fan coils).

One dataset per heat pump type, per kWh of heat delivered; one variant per row of the table.
These datasets carry attributes only, like the datacentre.* datasets: a heat pump's impacts are
those of its electricity, ``heat / scop`` kWh of an ``electricity.*`` dataset, which the study
chooses (a study parameter reads ``scop`` with ``{dataset: ..., attribute: scop}``). The heat
pump's own production, refrigerant leaks and end of life are not included.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cli, dump_datasets, header, num, open_npm_package

SCRIPT = "heat_pumps.py"
TABLES = "tv.js"
METHOD = ("French DPE method 3CL-DPE 2021 (annex 1 of the arrêté of 31 March 2021 on the methods and "
          "procedures for the energy performance certificate), default SCOP table")
# the table's heat pump types (type_generateur starts with the key) -> dataset id, name, source
TYPES = {
    "PAC air/eau": ("heat.heat-pump-air-water-fr", "Air-to-water heat pump (air source)"),
    "PAC géothermique": ("heat.heat-pump-ground-water-fr", "Geothermal (ground-source) heat pump"),
    "PAC air/air": ("heat.heat-pump-air-air-fr", "Air-to-air heat pump (air source)"),
}
ZONES = {"Zone H1 et H2": "h1h2", "Zone H3": "h3"}
EMITTERS = {None: "", "autre": "-radiators", "Planchers / Plafonds": "-underfloor"}
PERIODS = {"avant 2008": "before-2008", "entre 2008 et 2014": "2008-2014", "entre 2015 et 2016": "2015-2016",
           "après 2017": "after-2017", "à partir de 2015": "after-2015"}
DEFAULT_ZONE, DEFAULT_EMITTER = "h1h2", {"PAC air/air": "", "PAC air/eau": "-radiators",
                                         "PAC géothermique": "-radiators"}


def read_tables(text: str) -> dict:
    """The JSON object of ``export const tvs = {...};`` (the engine's tables, a JavaScript module)."""
    start, end = text.index("= {") + 2, text.rindex("};")
    return json.loads(text[start:end + 1])


def _variant(pkg, row: dict) -> tuple[str, dict]:
    kind, _, period = row["type_generateur"].partition(" installée ")
    zone = ZONES[row["zone_climatique"]]
    emitter = EMITTERS[row.get("type_emetteur")]
    name = f"{zone}{emitter}-{PERIODS[period]}"
    key = f"scop[tv_scop_id={row['tv_scop_id']}]"
    what = "COP" if row["scop_ou_cop"] == "cop" else "SCOP"
    label = (f"{row['type_generateur']}, {row['zone_climatique']}, emitters: {row.get('type_emetteur') or 'any'} "
             f"({what} {row['scop']})")
    source = f"{METHOD}; as shipped in {pkg.cite(TABLES, key)}"
    note = ("the table gives a COP (not seasonal) for heat pumps installed before 2008" if what == "COP"
            else "seasonal COP of the method's climate zone")
    return name, {
        "label": label,
        "attributes": {
            "scop": {"value": num(float(row["scop"])), "source": source, "year": 2021, "note": note},
            "electricity_per_heat": {"value": f"1 / {num(float(row['scop']))}", "source": source, "year": 2021,
                                     "note": "kWh of electricity per kWh of heat delivered = 1 / scop"},
        },
        "impacts": {"gwp": "no data", "adpe": "no data", "pe": "no data", "water": "no data"},
        "note": "the electricity is the study's: heat / scop kWh of an electricity.* dataset",
    }


def generate(wheels=None) -> dict[str, str]:
    """Write the heat pumps (default SCOP of the 3CL-DPE 2021 method) from the pinned Open3CL tables."""
    pkg = open_npm_package("@open3cl/engine", wheels)
    rows = read_tables(pkg.read_text(TABLES))["scop"]
    datasets = []
    for kind, (ident, title) in TYPES.items():
        variants = dict(_variant(pkg, r) for r in rows if r.get("type_generateur", "").startswith(kind + " "))
        default = next(v for v in variants if v.startswith(DEFAULT_ZONE + DEFAULT_EMITTER[kind] + "-after"))
        datasets.append({
            "id": ident, "kind": "energy", "name": f"{title} heating a building in France, per kWh of heat delivered",
            "unit": "kWh", "covers": "C1", "geography": "FRA",
            "description": (
                "Attributes only: the heat pump's seasonal coefficient of performance (scop) and the electricity it "
                "draws per kWh of heat (electricity_per_heat = 1 / scop). A study charges heat / scop kWh of the "
                "electricity.* dataset of its grid; the heat pump's production, refrigerant leaks and end of life are "
                "not included. Variants: climate zone (H1 and H2: most of France; H3: the Mediterranean), emitters "
                "(underfloor or ceiling heating, or radiators and any other) and installation period, as the French "
                "DPE method tabulates them; the default is a recent heat pump with radiators in zones H1-H2."),
            "default": default,
            "variants": variants,
        })
    return {"target-systems-heat-pumps.yaml": dump_datasets(datasets, header(SCRIPT, [pkg], [
        "Heat pumps heating buildings (target systems): default SCOP of the French DPE method, per kWh of heat."]))}


if __name__ == "__main__":
    sys.exit(cli(SCRIPT, generate))
