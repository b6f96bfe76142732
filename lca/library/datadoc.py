"""Generate the catalogue part of docs/data.md from the files of inventories/.

    python -m lca.library.datadoc          # rewrite the generated section of docs/data.md
    python -m lca.library.datadoc --check  # exit 1 if it is out of date (the test suite checks this)

The text above the BEGIN marker is written by hand; everything between the markers comes from
``load_library()`` through ``lca.catalog``: criteria, then one table per kind of dataset (default
values, range over variants, years), then every dataset's variants with their sources.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lca.library import catalog
from lca.library.background import Library, load_library
from lca.core.docsection import begin_marker, generator_main, splice

DOC = Path(__file__).resolve().parents[2] / "docs" / "data.md"  # a checkout: docs are not installed
BEGIN = begin_marker("lca.library.datadoc")

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
    stated = {y for y in years if y is not None}
    if not stated:
        return "not stated"
    return str(min(stated)) if min(stated) == max(stated) else f"{min(stated)}-{max(stated)}"


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


def _by_kind(library: Library) -> dict[str, list[dict]]:
    by_kind: dict[str, list[dict]] = {}
    for e in catalog.list_datasets(library):
        by_kind.setdefault(e["kind"], []).append(e)
    return by_kind


# id prefixes of large families of datasets made alike (one generator, one description pattern): each
# gets its own page with the table only (``lca data show ID`` gives a member's sources), so that the
# kind page stays readable
FAMILIES = {"instance": "Cloud instances of {0}, as BoaviztAPI's archetypes describe them"}


def _family(ident: str) -> str | None:
    """``instance.aws`` for ``instance.aws.m5.large``; None for a dataset outside the families."""
    parts = ident.split(".")
    return ".".join(parts[:2]) if parts[0] in FAMILIES and len(parts) > 2 else None


def _family_page(library: Library, family: str, entries: list[dict]) -> str:
    head, _, member = family.partition(".")
    first = entries[0]
    who = first["name"].split(f" {first['id'][len(family) + 1:]} ")[0]  # "Microsoft Azure d2ads_v5 ..." -> the provider
    lines = [f"# {FAMILIES[head].format(who or member)}", "",
             "<!-- generated by python -m lca.library.datadoc from the library; do not edit -->", "",
             f"{len(entries)} datasets `{family}.*`; back to the [summary](../data.md). Each dataset's "
             "description says how its values were derived; `lca data show ID` gives every source.", ""]
    lines += _kind_table(library, entries[0]["kind"], entries)[2:]
    return "\n".join(lines).rstrip() + "\n"


def kind_page(library: Library, kind: str, entries: list[dict]) -> str:
    """``docs/data/<kind>.md``: the kind's table, then every dataset variant by variant (families: a link)."""
    families: dict[str, int] = {}
    for e in entries:
        if (fam := _family(e["id"])) is not None:
            families[fam] = families.get(fam, 0) + 1
    own = [e for e in entries if _family(e["id"]) is None]
    lines = [f"# {KIND_TITLES.get(kind, kind)}", "",
             "<!-- generated by python -m lca.library.datadoc from the library; do not edit -->", "",
             f"{len(entries)} datasets; back to the [summary](../data.md).", ""]
    if families:
        lines += ["| family | datasets | page |", "| --- | --- | --- |"]
        lines += [f"| `{f}.*` | {n} | [{f}.md]({f}.md) |" for f, n in families.items()] + [""]
    if own:
        lines += _kind_table(library, kind, own)[2:]  # the page title stands for the table's heading
        lines += _details(library, own)
    return "\n".join(lines).rstrip() + "\n"


def generated(library: Library | None = None) -> str:
    """The generated section of docs/data.md (without the markers): counts, criteria, links."""
    library = library or load_library()
    by_kind = _by_kind(library)
    total = sum(len(v) for v in by_kind.values())
    lines = [f"{total} datasets; values are per reference unit, in the criterion's unit, for the default "
             "variant. One page per kind lists every dataset with its variants and sources:", "",
             "| kind | datasets | page |", "| --- | --- | --- |"]
    lines += [f"| {KIND_TITLES.get(k, k)} | {len(v)} | [data/{k}.md](data/{k}.md) |" for k, v in by_kind.items()]
    lines.append("")
    lines += _criteria_table(library)
    return "\n".join(lines).rstrip() + "\n"


def render(text: str, library: Library | None = None) -> str:
    """``text`` with the part between the markers replaced by the generated summary."""
    return splice(text, BEGIN, generated(library), DOC.name)


def pages(library: Library | None = None) -> dict[Path, str]:
    """Every generated kind page, by path."""
    library = library or load_library()
    by_kind = _by_kind(library)
    out = {DOC.parent / "data" / f"{k}.md": kind_page(library, k, v) for k, v in by_kind.items()}
    families: dict[str, list[dict]] = {}
    for e in (e for entries in by_kind.values() for e in entries):
        if (fam := _family(e["id"])) is not None:
            families.setdefault(fam, []).append(e)
    out.update({DOC.parent / "data" / f"{f}.md": _family_page(library, f, v) for f, v in families.items()})
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    status = generator_main(DOC, "lca.library.datadoc", render, argv)
    folder = DOC.parent / "data"
    fresh = pages()
    stale = sorted(set(folder.glob("*.md")) - set(fresh)) if folder.is_dir() else []
    if "--check" in argv:
        bad = [p for p, text in fresh.items() if not p.is_file() or p.read_text(encoding="utf-8") != text] + stale
        for p in bad:
            print(f"docs/data/{p.name} is out of date: run `python -m lca.library.datadoc`", file=sys.stderr)
        return 1 if bad or status else 0
    folder.mkdir(exist_ok=True)
    for p in stale:
        p.unlink()
    for p, text in fresh.items():
        p.write_text(text, encoding="utf-8")
    print(f"wrote {len(fresh)} pages in docs/data/")
    return status


if __name__ == "__main__":
    sys.exit(main())
