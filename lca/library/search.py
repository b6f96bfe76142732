"""Search the background library: the datasets behind ``lca data search``.

Filters, all optional and combined with *and*:

- ``text``: every word must occur (case-insensitive) in the dataset's id, name, description,
  variant names and labels, or the source of one of its values (impacts, flows, attributes);
- ``kind``: the dataset kind, exactly (``electricity``, ``equipment``, ...);
- ``geography``: the geography code, case-insensitive, exactly or as the country of a subdivision;
  a country matches in either ISO form: countries carry alpha-3 codes (``USA``), subdivisions the
  alpha-2 of ISO 3166-2 (``US-CA``), so ``USA`` and ``US`` both match ``USA`` and ``US-CA`` (the pairs
  read from the national grids, ``electricity.us`` of geography ``USA``);
- ``source``: a substring (case-insensitive) of the source of one of its values.

Datasets whose id or name holds every word come first. Only the Dataset models are read to filter (one lower-case text per dataset, built once per
library); the JSON-ready entries (unit conversions) are built for the matches only.
"""

from __future__ import annotations

from dataclasses import dataclass

from lca.core.errors import InputError, Problem
from lca.library.background import Dataset, Library
from lca.library.catalog import KINDS_ORDER, _sorted, dataset_entry


@dataclass(frozen=True)
class Query:
    """What ``lca data search`` was asked; empty fields do not filter."""

    text: str = ""
    kind: str | None = None
    geography: str | None = None
    source: str | None = None

    def describe(self) -> str:
        """``text 'gpu', kind equipment`` for the message when nothing matches."""
        parts = [f"text {self.text!r}" if self.text.strip() else "",
                 f"kind {self.kind}" if self.kind else "",
                 f"geography {self.geography}" if self.geography else "",
                 f"source containing {self.source!r}" if self.source else ""]
        return ", ".join(p for p in parts if p) or "no filter"


def _sources(ds: Dataset) -> list[str]:
    out = [a.source for a in ds.attributes.values()]
    for variant in ds.variants.values():
        out += [v.source for v in variant.impacts.values() if not isinstance(v, str)]  # a str is NO_DATA
        out += [f.source for f in variant.flows]
        out += [a.source for a in variant.attributes.values()]
    return out


@dataclass(frozen=True)
class _Entry:
    title: str  # id and name, lower-case
    text: str  # id, name, description, variants and sources, lower-case
    sources: str  # the sources alone, lower-case, one per line
    geography: str  # upper-case, "" when none


def _index(library: Library) -> dict[str, _Entry]:
    """One searchable text per dataset, kept on the library (built on the first search)."""
    cached = library.__dict__.get("_search_index")
    if cached is not None and cached[0] is library.datasets:
        return cached[1]
    index = {}
    for ident, ds in library.datasets.items():
        sources = "\n".join(dict.fromkeys(_sources(ds))).lower()
        words = [ds.id, ds.name, ds.description or ""]
        words += [f"{name} {v.label or ''}" for name, v in ds.variants.items()]
        index[ident] = _Entry(f"{ds.id}\n{ds.name}".lower(), "\n".join(words).lower() + "\n" + sources, sources,
                              (ds.geography or "").upper())
    library.__dict__["_search_index"] = (library.datasets, index)
    return index


def _check(query: Query) -> None:
    if query.kind is not None and query.kind not in KINDS_ORDER:
        raise InputError([Problem("--kind", None, "kind", f"unknown kind {query.kind!r}; use one of "
                                  f"{', '.join(KINDS_ORDER)}")])
    for option, value in (("--geography", query.geography), ("--source", query.source)):
        if value is not None and not value.strip():
            raise InputError([Problem(option, None, option[2:], f"{option} is empty; give a value, e.g. "
                                      + ("--geography FRA" if option == "--geography" else "--source EcoLogits"))])


def _country_forms(library: Library, geo: str) -> set[str]:
    """``geo`` with its other ISO 3166 form, if it is a country: {"USA", "US"} for either; empty for no filter."""
    if not geo:
        return set()
    pairs = {(ds.geography or "").upper(): ds.id.split(".", 1)[1].upper() for ds in library.datasets.values()
             if ds.kind == "electricity" and len(ds.id) == len("electricity.xx") and len(ds.geography or "") == 3}
    forms = {geo}
    forms.update(a2 for a3, a2 in pairs.items() if a3 == geo)
    forms.update(a3 for a3, a2 in pairs.items() if a2 == geo)
    return forms


def matching_ids(library: Library, query: Query) -> list[str]:
    """The ids of the datasets that pass every filter: those whose id or name holds every word first,
    then the others (matched in a description or a source), each group in the order of ``lca data list``."""
    _check(query)
    index = _index(library)
    words = query.text.lower().split()
    geo = _country_forms(library, (query.geography or "").strip().upper())
    source = (query.source or "").strip().lower()
    titled, other = [], []
    for ds in _sorted(library.datasets.values()):
        entry = index[ds.id]
        if query.kind and ds.kind != query.kind:
            continue
        if geo and not (entry.geography in geo or entry.geography.split("-")[0] in geo):
            continue
        if source and source not in entry.sources:
            continue
        if all(w in entry.title for w in words):
            titled.append(ds.id)
        elif all(w in entry.text for w in words):
            other.append(ds.id)
    return titled + other


def search_datasets(library: Library, query: Query) -> list[dict]:
    """The matching datasets as ``lca data list --json`` writes them."""
    return [dataset_entry(library, library.datasets[i]) for i in matching_ids(library, query)]


def no_match_message(library: Library, query: Query) -> str:
    """What to print when nothing matches: the query, and how to widen it."""
    return (f"lca data search: no dataset matches {query.describe()} (among {len(library.datasets)} datasets); "
            "drop a filter or a word, or see `lca data list`")
