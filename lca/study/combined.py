"""Datasets combined per criterion: a study-local value taken ``from`` a library dataset.

A study-local dataset (``datasets:``) may take each criterion's value from a dataset of the
background library, each with that dataset's own citation::

    impacts:
      gwp: {from: server.generic@ademe-negaoctet}
      adpe: {from: server.generic@ademe-negaoctet}
      pe: {from: server.generic@boavizta-dellr740-2025}

``taken_values`` replaces every ``{from: ...}`` by the value it stands for, before the dataset is
checked and written into Brightway like any other: the source's value on that criterion, per
reference unit, converted to this dataset's unit (``v = v_src × (1 unit of this dataset in the
source's unit)``), with its source, year, ``covers`` and distribution (bounds scaled alike). The
data-sources table names the dataset each value was taken from (``Library.taken_from``).

Refused, each located at the ``from`` (docs/errors.md): a dataset or variant the library does not
have (a study-local id included: its value is written in place), a source with no data on that
criterion, a source that carries the criterion through biosphere flows (only impact values are
taken), and a source whose unit is of another kind than this dataset's (a per-kWh value cannot
be a per-device one). A criterion named twice is a duplicate YAML key, refused when the file is read.
"""

from __future__ import annotations

from lca.core import units
from lca.library.background import NO_DATA, Library, SourcedValue
from lca.study.amounts import Collector
from lca.study.datasets import unknown_dataset
from lca.study.schema import LocalDataset, TakenFrom


def taken_values(ds: LocalDataset, loc: tuple, base: Library, local_ids: set[str],
                 col: Collector) -> tuple[LocalDataset, dict[tuple[str, str, str], str]]:
    """``ds`` with every taken value in place, and (id, variant, criterion) -> the "id@variant" it came from.

    A value that cannot be taken becomes ``no data`` after its located problem (the run stops on it).
    """
    taken: dict[tuple[str, str, str], str] = {}
    variants = {}
    for vname, variant in ds.variants.items():
        impacts: dict[str, object] = dict(variant.impacts)
        for crit, value in variant.impacts.items():
            if not isinstance(value, TakenFrom):
                continue
            impacts[crit] = NO_DATA
            if crit not in base.criteria:
                continue  # reported as an unknown criterion when the values are checked
            got = _taken(ds, crit, value, loc + ("variants", vname, "impacts", crit, "from"), base, local_ids, col)
            if got is not None:
                impacts[crit], taken[(ds.id, vname, crit)] = got
        variants[vname] = variant.model_copy(update={"impacts": impacts})
    return ds.model_copy(update={"variants": variants}), taken


def _taken(ds: LocalDataset, crit: str, value: TakenFrom, here: tuple, base: Library, local_ids: set[str],
           col: Collector) -> tuple[SourcedValue, str] | None:
    """The value ``{from: REF}`` stands for on ``crit``, in ``ds``'s unit, and the "id@variant" of REF."""
    ref = value.from_
    ident = ref.partition("@")[0]
    if ident not in base.datasets and ident in local_ids:
        col.add(here, f"{ident!r} is a study-local dataset; `from` takes a value from the background library "
                      f"only: write the value here, with its source")
        return None
    try:
        src, svar = base.dataset(ref)
    except KeyError as exc:
        col.add(here, unknown_dataset(ref, base, exc) + " (`from` names a dataset of the background library)")
        return None
    name = f"{src.id}@{svar}"
    if _flow_carried(base, src, svar, crit):
        col.add(here, f"dataset {name} carries {crit} through biosphere flows, not an impact value; `from` takes "
                      f"impact values only: write the {crit} value here, with its source")
        return None
    iv = base.impact(src, svar, crit)
    raw = src.variants[svar].impacts.get(crit)
    if iv.amount is None or not isinstance(raw, SourcedValue):
        col.add(here, f"dataset {name} has no data on {crit}; take {crit} from another dataset, or write "
                      f"`{crit}: no data`")
        return None
    try:
        factor = float(units.convert(units.Quantity(1.0, ds.unit), src.unit))  # source units in one of ours
    except units.UnitError:
        col.add(here, f"dataset {name} is per {src.unit} and {ds.id!r} is per {ds.unit}: its {crit} value cannot "
                      f"be one per {ds.unit}; take it from a dataset per {ds.unit} (or a unit of the same kind)")
        return None
    unit = base.criteria[crit].unit
    note = f"taken from dataset {name}" + (f"; {value.note}" if value.note else "") + (
        f"; {raw.note}" if raw.note else "")
    uncertainty = raw.uncertainty
    if uncertainty is not None:
        uncertainty = uncertainty.model_copy(update={
            n: _text(units.per_reference(units.parse_quantity(getattr(uncertainty, n)), unit, src.unit) * factor, unit)
            for n in ("sd", "min", "max") if getattr(uncertainty, n) is not None})
    return SourcedValue(value=_text(iv.amount * factor, unit), source=raw.source, year=raw.year, note=note,
                        covers=raw.covers, uncertainty=uncertainty), name


def _flow_carried(library: Library, ds, variant: str, crit: str) -> bool:
    """The variant has a direct biosphere flow that ``crit`` characterises (a fuel's CO2 for GWP)."""
    characterised = {cf.flow for cf in library.factors.get(crit, []) if cf.factor}
    return any(fa.flow in characterised for fa in ds.variants[variant].flows)


def _text(value: float, unit: str) -> str:
    """An amount text the grammar reads back exactly: ``"0.0378 kgSbe"``."""
    return f"{float(value)!r} {unit}"
