"""Generate the catalogue part of docs/data.md from the files of inventories/.

    python -m lca.datadoc          # rewrite the generated section of docs/data.md
    python -m lca.datadoc --check  # exit 1 if it is out of date (the test suite checks this)

The text above the BEGIN marker is written by hand; everything between the markers comes from
``load_library()`` through ``lca.catalog``: criteria, then one table per kind of dataset (default
values, range over variants, years), then every dataset's variants with their sources.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import catalog
from .background import Library, load_library
from .docsection import begin_marker, generator_main, splice

DOC = Path(__file__).resolve().parent.parent / "docs" / "data.md"
BEGIN = begin_marker("lca.datadoc")

KIND_TITLES = {
    "electricity": "Electricity (per kWh delivered)",
    "equipment": "ICT equipment (embodied, per device)",
    "storage": "Storage",
    "network": "Networks (per GB transferred)",
    "datacentre": "Data centres (PUE)",
    "end_of_life": "End of life",
    "material": "Materials",
    "energy": "Other energy",
    "transport": "Transport",
    "agriculture": "Agriculture and fertiliser",
    "water": "Water supply and wastewater",
    "service": "Services",
}


def _num(x: float) -> str:
    return f"{x:.4g}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _range(entry: dict, crit: str) -> str:
    values = [v["impacts"][crit]["amount"] for v in entry["variants"].values()
              if isinstance(v["impacts"][crit], dict)]
    if len(values) < 2:
        return ""
    lo, hi = min(values), max(values)
    if lo == hi:
        return ""
    ratio = f" ({hi / lo:.1f}x)" if lo > 0 else ""
    return f"{_num(lo)} to {_num(hi)}{ratio}"


def _years(entry: dict) -> str:
    years = {v.get("year") for var in entry["variants"].values() for v in var["impacts"].values()
             if isinstance(v, dict)}
    years |= {a.get("year") for a in entry["attributes"].values()}
    years |= {a.get("year") for var in entry["variants"].values() for a in var["attributes"].values()}
    years.discard(None)
    if not years:
        return "not stated"
    return str(min(years)) if min(years) == max(years) else f"{min(years)}-{max(years)}"


def _criteria_table(library: Library) -> list[str]:
    lines = ["### Criteria", "", "| id | criterion | unit | factors | source |", "| --- | --- | --- | --- | --- |"]
    for cid, c in library.criteria.items():
        lines.append(f"| `{cid}` | {_cell(c.name)} | {c.unit} | {len(library.factors.get(cid, []))} "
                     f"| {_cell(c.source)} |")
    lines += ["", f"{len(library.flows)} biosphere3 flows (names, compartments and UUIDs of ecoinvent 3.9) "
                  "are listed in `inventories/methods/flows-biosphere3.yaml`.", ""]
    return lines


def _kind_table(library: Library, kind: str, entries: list[dict]) -> list[str]:
    crits = list(library.criteria)
    head = ["id", "per", "covers", "default"] + [f"{c} ({library.criteria[c].unit})" for c in crits] + [
        "range of gwp over variants", "attributes", "years"]
    lines = [f"### {KIND_TITLES.get(kind, kind)}", "", "| " + " | ".join(head) + " |",
             "|" + " --- |" * len(head)]
    for e in entries:
        values = [(_num(e["values"][c]["amount"]) if isinstance(e["values"][c], dict) else "no data") for c in crits]
        attrs = dict(e["attributes"])
        attrs.update(e["variants"][e["default"]]["attributes"])
        attr_text = ", ".join(f"{k} {a['value']}" for k, a in attrs.items())
        row = [f"`{e['id']}`", e["unit"], e["covers"], f"`{e['default']}`"] + values + [
            _range(e, "gwp") if "gwp" in crits else "", attr_text, _years(e)]
        lines.append("| " + " | ".join(_cell(x) for x in row) + " |")
    lines.append("")
    return lines


def _details(library: Library, entries: list[dict]) -> list[str]:
    lines = ["### Every dataset, variant by variant", ""]
    for e in entries:
        lines.append(f"#### `{e['id']}`: {_cell(e['name'])}")
        lines.append("")
        lines.append(f"Per {e['unit']}, covers {e['covers']}"
                     + (f", geography {e['geography']}" if e.get("geography") else "")
                     + f"; file `{e['file']}`; default variant `{e['default']}`.")
        if e.get("description"):
            lines += ["", e["description"].strip()]
        lines.append("")
        for k, a in e["attributes"].items():
            lines.append(f"- attribute `{k}` = {a['value']}: {a['source']}" + (f" ({a['year']})" if a.get("year") else ""))
        for vname, var in e["variants"].items():
            label = f": {var['label']}" if var.get("label") else ""
            lines.append(f"- variant `{vname}`{' (default)' if var['default'] else ''}{label}")
            for k, a in var["attributes"].items():
                lines.append(f"  - `{k}` = {a['value']}: {a['source']}" + (f" ({a['year']})" if a.get("year") else ""))
            for crit, v in var["impacts"].items():
                if isinstance(v, dict):
                    year = f" ({v['year']})" if v.get("year") else ""
                    note = f"; {v['note']}" if v.get("note") else ""
                    lines.append(f"  - `{crit}` {_num(v['amount'])} {v['unit']} (written `{v['as_written']}`): "
                                 f"{v['source']}{year}{note}")
                else:
                    lines.append(f"  - `{crit}` no data")
            if var.get("note"):
                lines.append(f"  - note: {var['note']}")
        lines.append("")
    return lines


def generated(library: Library | None = None) -> str:
    """The generated section (without the markers)."""
    library = library or load_library()
    entries = catalog.list_datasets(library)
    by_kind: dict[str, list[dict]] = {}
    for e in entries:
        by_kind.setdefault(e["kind"], []).append(e)
    counts = ", ".join(f"{len(v)} {k}" for k, v in by_kind.items())
    lines = [f"{len(entries)} datasets ({counts}); values are per reference unit, in the criterion's unit, "
             "for the default variant.", ""]
    lines += _criteria_table(library)
    for kind, group in by_kind.items():
        lines += _kind_table(library, kind, group)
    lines += _details(library, entries)
    return "\n".join(lines).rstrip() + "\n"


def render(text: str, library: Library | None = None) -> str:
    """``text`` with the part between the markers replaced by the generated catalogue."""
    return splice(text, BEGIN, generated(library), DOC.name)


def main(argv: list[str] | None = None) -> int:
    return generator_main(DOC, "lca.datadoc", render, argv)


if __name__ == "__main__":
    sys.exit(main())
