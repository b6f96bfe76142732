"""Browse the background library: the rows behind ``lca data list`` and ``lca data show``.

Every dataset becomes a plain dictionary (JSON-ready) with its id, kind, reference unit, the
unit processes it covers, its sourced attributes, and per variant the value of each criterion
*in the criterion's unit per reference unit* (e.g. kgCO2e per kWh), with the source, year and the
value exactly as written in the file. A criterion without data is reported as ``"no data"``,
never as zero.
"""

from __future__ import annotations

import json
import typing
from functools import lru_cache
from pathlib import Path

from lca.core import units
from lca.library.background import NO_DATA, Dataset, DatasetKind, Library, SourcedValue
from lca.core.errors import InputError, Problem

KINDS_ORDER = typing.get_args(DatasetKind)  # the order of the listing: electricity, equipment, ...


def dataset_file(library: Library, ident: str) -> str:
    """The file that defines dataset ``ident``: ``inventories/background/x.yaml`` for the library's
    own (the same name on every machine and in the repository), a study's own file as given, or ""."""
    return _relative(library.dataset_files.get(ident), library.root) or ""


def _relative(path: str | None, root: Path | None) -> str | None:
    """The dataset file as ``inventories/background/x.yaml`` when inside the library root."""
    if path is None or root is None:
        return path
    return _relative_to(path, str(root))


@lru_cache(maxsize=256)  # a few dozen files for thousands of datasets: each path resolved once
def _relative_to(path: str, root: str) -> str:
    try:
        return "inventories/" + Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return path


def _sourced(value: SourcedValue) -> dict:
    out: dict[str, object] = {"value": str(value.value), "source": value.source, "year": value.year}
    if value.note:
        out["note"] = value.note
    if value.covers:
        out["covers"] = value.covers
    if value.uncertainty:
        out["uncertainty"] = value.uncertainty.model_dump(exclude_none=True)
    return out


def _from_flows(library: Library, ds: Dataset, variant: str, criterion: str) -> tuple[float, list[str]] | None:
    """The criterion's score of the variant's direct biosphere flows (amount x factor), as the engine does."""
    flows = ds.variants[variant].flows
    if not flows:
        return None
    factors = _factors(library, criterion)
    total, sources, hit = 0.0, [], False
    for fa in flows:
        if factors.get(fa.flow):
            flow = library.flows[fa.flow]
            total += units.convert(units.parse_quantity(fa.amount), flow.unit) * factors[fa.flow]
            sources.append(fa.source)
            hit = True
    return (total, list(dict.fromkeys(sources))) if hit else None


def _factors(library: Library, criterion: str) -> dict[str, float]:
    """The criterion's characterisation factors by flow, built once per library."""
    cache = library.__dict__.setdefault("_factors_by_flow", {})
    if criterion not in cache:
        cache[criterion] = {cf.flow: cf.factor for cf in library.factors.get(criterion, [])}
    return cache[criterion]


def _impact(library: Library, ds: Dataset, variant: str, criterion: str) -> dict | str:
    """A variant's value on one criterion: its aggregated figure plus its characterised flows."""
    raw = ds.variants[variant].impacts.get(criterion)
    flows = _from_flows(library, ds, variant, criterion)
    unit = f"{library.criteria[criterion].unit}/{ds.unit}"
    if raw is None or isinstance(raw, str):  # no figure (absent, or NO_DATA): the flows alone, if any
        if flows is None:
            return NO_DATA
        return {"amount": flows[0], "unit": unit, "as_written": "biosphere flows x characterisation factors",
                "source": "; ".join(flows[1]), "year": None, "from_flows": flows[0]}
    amount = library.impact(ds, variant, criterion).amount
    if amount is None:
        raise ValueError(f"{ds.id}@{variant}: the figure on {criterion} gave no amount")
    source = raw.source + ("; flows: " + "; ".join(flows[1]) if flows else "")
    out: dict[str, object] = {"amount": amount + (flows[0] if flows else 0.0), "unit": unit,
                              "as_written": str(raw.value), "source": source, "year": raw.year}
    if flows:
        out["from_flows"] = flows[0]
    out.update({k: v for k, v in _sourced(raw).items() if k in ("note", "covers", "uncertainty")})
    return out


def dataset_entry(library: Library, ds: Dataset) -> dict:
    """One dataset as a JSON-ready dictionary (see the module docstring)."""
    variants: dict[str, dict[str, object]] = {}
    for vname, variant in ds.variants.items():
        variants[vname] = {
            "label": variant.label,
            "default": vname == ds.default,
            "impacts": {c: _impact(library, ds, vname, c) for c in library.criteria},
            "attributes": {k: _sourced(v) for k, v in variant.attributes.items()},
        }
        if variant.note:
            variants[vname]["note"] = variant.note
        if variant.flows:
            variants[vname]["flows"] = [
                {"flow": library.find_flow(f.flow).name, "amount": str(f.amount), "source": f.source}
                for f in variant.flows]
    sources = sorted({v.source for var in ds.variants.values() for v in var.impacts.values()
                      if not isinstance(v, str)}  # a str is NO_DATA
                     | {fa.source for var in ds.variants.values() for fa in var.flows}
                     | {a.source for a in ds.attributes.values()}
                     | {a.source for var in ds.variants.values() for a in var.attributes.values()})
    return {
        "id": ds.id,
        "kind": ds.kind,
        "name": ds.name,
        "unit": ds.unit,
        "covers": ds.covers,
        "geography": ds.geography,
        "description": ds.description,
        "file": _relative(library.dataset_files.get(ds.id), library.root),
        "default": ds.default,
        "values": variants[ds.default]["impacts"],
        "attributes": {k: _sourced(v) for k, v in ds.attributes.items()},
        "variants": variants,
        "sources": sources,
    }


def _sorted(datasets):
    order = {k: i for i, k in enumerate(KINDS_ORDER)}
    return sorted(datasets, key=lambda d: (order.get(d.kind, len(order)), d.id))


def list_datasets(library: Library, kind: str | None = None) -> list[dict]:
    """Every dataset (optionally of one kind), grouped by kind then sorted by id."""
    if kind is not None and kind not in KINDS_ORDER:
        raise InputError([Problem("--kind", None, "kind", f"unknown kind {kind!r}; use one of {', '.join(KINDS_ORDER)}")])
    return [dataset_entry(library, ds) for ds in _sorted(library.datasets.values())
            if kind is None or ds.kind == kind]


def entries_json(entries: list[dict]) -> str:
    """A JSON array of entries, one dataset per line (thousands of them: a line each to grep, and written
    by the C encoder, where an indented dump takes the pure-Python one and three times as long)."""
    if not entries:
        return "[]"
    return "[\n" + ",\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n]"


def show_dataset(library: Library, ref: str) -> dict:
    """One dataset by id (``id@variant`` shows the dataset with that variant marked)."""
    ident = ref.partition("@")[0]
    if ident not in library.datasets:
        close = sorted(i for i in library.datasets if ident.split(".")[0] in i)[:8]
        hint = f"; datasets of that family: {', '.join(close)}" if close else "; see `lca data list`"
        raise InputError([Problem(ref, None, "dataset", f"no dataset {ident!r}{hint}")])
    try:
        ds, variant = library.dataset(ref)
    except KeyError as exc:
        raise InputError([Problem(ref, None, "dataset", str(exc.args[0]))]) from None
    entry = dataset_entry(library, ds)
    entry["selected_variant"] = variant
    return entry


# ---------------------------------------------------------------- text rendering
def _fmt_impact(v) -> str:
    if not isinstance(v, dict):
        return NO_DATA
    return f"{v['amount']:.4g} {v['unit']}"


def format_list(library: Library, entries: list[dict]) -> str:
    """A plain-text table: id, kind, unit, default variant, one column per criterion, variants."""
    crits = list(library.criteria)
    header = ["id", "kind", "unit", "default"] + [f"{c} ({library.criteria[c].unit})" for c in crits] + [
        "variants", "attributes"]
    rows = [header]
    for e in entries:
        attrs = dict(e["attributes"])
        attrs.update(e["variants"][e["default"]]["attributes"])
        rows.append([e["id"], e["kind"], e["unit"], e["default"]]
                    + [(f"{e['values'][c]['amount']:.4g}" if isinstance(e["values"][c], dict) else NO_DATA)
                       for c in crits]
                    + [str(len(e["variants"])), ", ".join(f"{k} {a['value']}" for k, a in attrs.items())])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for k, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    counted = f"{len(entries)} dataset" + ("" if len(entries) == 1 else "s")
    lines.append(f"{counted}; values per reference unit, default variant; `lca data show ID` for sources")
    return "\n".join(lines)


def format_show(entry: dict) -> str:
    """A dataset in full: description, attributes, every variant with values and sources."""
    lines = [f"{entry['id']}  ({entry['kind']})  {entry['name']}",
             f"  per {entry['unit']}, covers {entry['covers']}"
             + (f", geography {entry['geography']}" if entry.get("geography") else ""),
             f"  file: {entry['file']}"]
    if entry.get("description"):
        lines.append(f"  {entry['description']}")
    if entry["attributes"]:
        lines.append("  attributes:")
        for k, a in entry["attributes"].items():
            lines.append(f"    {k} = {a['value']}  [{a['source']}{', ' + str(a['year']) if a.get('year') else ''}]")
    selected = entry.get("selected_variant", entry["default"])
    for vname, var in entry["variants"].items():
        marks = [m for m, on in (("default", var["default"]), ("selected", vname == selected and not var["default"])) if on]
        lines.append(f"  variant {vname}" + (f" ({', '.join(marks)})" if marks else "")
                     + (f": {var['label']}" if var.get("label") else ""))
        for k, a in var["attributes"].items():
            lines.append(f"    {k} = {a['value']}  [{a['source']}{', ' + str(a['year']) if a.get('year') else ''}]")
        for crit, v in var["impacts"].items():
            if isinstance(v, dict):
                written_unit = v["as_written"].split(" ", 1)[-1] if " " in v["as_written"] else ""
                same = written_unit.replace(" ", "") == v["unit"].split("/")[0]
                extra = "" if same else f" (written {v['as_written']})"
                lines.append(f"    {crit}: {_fmt_impact(v)}{extra}  [{v['source']}"
                             f"{', ' + str(v['year']) if v.get('year') else ''}]")
                if v.get("note"):
                    lines.append(f"      note: {v['note']}")
                if v.get("uncertainty"):
                    lines.append(f"      uncertainty: {v['uncertainty']}")
            else:
                lines.append(f"    {crit}: {NO_DATA}")
        if var.get("note"):
            lines.append(f"    note: {var['note']}")
    return "\n".join(lines)
