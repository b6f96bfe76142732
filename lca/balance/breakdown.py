"""From per-exchange contributions to totals, breakdowns and the net balance.

Each breakdown (by stage, phase, tier, activity) is a sum of the same contributions grouped by
another key, so each sums to the total. ``net = ai - reference`` per criterion.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

from lca.balance.energy import exchange_energies
from lca.library.catalog import dataset_file
from lca.library.background import Library
from lca.engine.compute import ComputeOutput, SystemContributions
from lca.results import ActivityInfo, CriterionInfo, EnergyResult, ExchangeResult, SystemResult, Values
from lca.study import ResolvedStudy


def system_results(resolved: ResolvedStudy, computed: ComputeOutput, library: Library) -> dict[str, SystemResult]:
    """Each system's totals, breakdowns, exchanges and final energy, from its contributions."""
    energy_of = exchange_energies(library)
    return {key: _system_result(key, system, computed.contributions[key], computed, energy_of)
            for key, system in resolved.systems.items()}


def _system_result(key: str, system, con: SystemContributions, computed: ComputeOutput, energy_of) -> SystemResult:
    criteria = computed.criteria
    groups = _groups(system, con)  # stage, phase, tier, activity: (keys, the key of each row)
    by_stage, by_phase, by_tier, by_activity = (
        dict(zip(keys, _dicts(criteria, _group_sums(codes, len(keys), con.values))))
        for keys, codes in groups)
    kwh = [energy_of(inp.kind, inp.target, x, a) for inp, x, a in zip(con.inputs, con.supply, con.amounts)]
    exchanges = tuple(
        ExchangeResult(act.id, inp.kind, inp.target, inp.label, a, inp.unit, x, inp.source, inp.field, inp.line,
                       values, e)
        for act, inp, a, x, values, e in zip(con.activities, con.inputs, con.amounts, con.supply,
                                              _dicts(criteria, con.values), kwh))
    activities = tuple(ActivityInfo(a.id, a.name, a.unit_processes, a.stage, a.phase, a.tier)
                       for a in system.activities)
    return SystemResult(key, system.name, dict(computed.totals[key]), by_stage, by_phase, by_tier, by_activity,
                        activities, exchanges, _energy(groups, kwh, con))


def _dicts(keys: list[str], table: np.ndarray):
    """``{key: value}`` for each row of ``table`` (Python floats)."""
    return map(dict, map(zip, repeat(keys), table.tolist()))


def _groups(system, con: SystemContributions) -> list[tuple[list[str], np.ndarray]]:
    """For the stage, phase, tier and activity breakdowns: the keys in the order of the result
    (stages, phases and tiers as they first appear among the rows; every activity of the system,
    in order, used or not) and each row's position among them."""
    out = [_codes([getattr(act, name) for act in con.activities]) for name in ("stage", "phase", "tier")]
    keys = list(dict.fromkeys(act.id for act in system.activities))
    if len(keys) == len(system.activities):  # the ids are unique (the schema refuses twice the same)
        out.append((keys, np.array(con.positions, dtype=np.intp)))
    else:  # a row counts for the first activity of its id, as a dictionary by id would have it
        out.append(_codes([act.id for act in con.activities], keys))
    return out


def _codes(values: list[str], keys: list[str] | None = None) -> tuple[list[str], np.ndarray]:
    """``(keys, the position of each value among them)``; the keys by default the distinct values in
    the order they first appear."""
    keys = list(dict.fromkeys(values)) if keys is None else keys
    index = {k: i for i, k in enumerate(keys)}
    return keys, np.fromiter(map(index.__getitem__, values), dtype=np.intp, count=len(values))


def _group_sums(codes: np.ndarray, groups: int, values: np.ndarray) -> np.ndarray:
    """Each group's sum of the rows of ``values`` whose code is that group, added one by one in row
    order from 0.0: the same additions, in the same order, as a loop of ``total += value`` per row
    (``np.add.at`` is unbuffered and goes through the indices in order), so the same numbers."""
    out = np.zeros((groups, *values.shape[1:]))
    np.add.at(out, codes, values)
    return out


def _energy(groups: list[tuple[list[str], np.ndarray]], kwh: list[float | None],
            con: SystemContributions) -> EnergyResult:
    """Final energy (kWh per FU, lca.balance.energy) summed by stage, phase, tier and activity; an
    unknown one (None) counts 0 and its dataset is listed as not counted."""
    counted = np.array([0.0 if e is None else e for e in kwh], dtype=float)
    stage, phase, tier, activity = (dict(zip(keys, _group_sums(codes, len(keys), counted).tolist()))
                                    for keys, codes in groups)
    total = float(_group_sums(np.zeros(len(kwh), dtype=np.intp), 1, counted)[0]) + 0.0
    not_counted = tuple(dict.fromkeys(inp.target for inp, e in zip(con.inputs, kwh) if e is None))
    return EnergyResult(total, stage, phase, tier, activity, not_counted)


def net_balance(systems: dict[str, SystemResult]) -> Values | None:
    """``ai - reference`` per criterion; None for a footprint-only study."""
    if "reference" not in systems:
        return None
    ai, ref = systems["ai"].total, systems["reference"].total
    return {c: ai[c] - ref[c] for c in ai}


def criteria_info(library: Library) -> dict[str, CriterionInfo]:
    return {k: CriterionInfo(k, c.name, c.unit) for k, c in library.criteria.items()}


def criterion_source(library: Library, ds, variant: str, crit: str) -> dict | None:
    """Where a dataset variant's value on ``crit`` comes from; None when it has no data on it.

    A variant has data on a criterion through its ``impacts`` or through direct biosphere
    ``flows`` that the criterion characterises (e.g. kg of fossil CO2 for GWP).
    """
    iv = library.impact(ds, variant, crit)
    if iv.amount is not None:
        taken = library.taken_from.get((ds.id, variant, crit))  # a study-local value taken from a library dataset
        return {"source": iv.source, "year": iv.year, **({"from": taken} if taken else {})}
    characterised = {cf.flow for cf in library.factors.get(crit, []) if cf.factor}
    flow_sources = [fa.source for fa in ds.variants[variant].flows if fa.flow in characterised]
    if flow_sources:
        return {"source": "; ".join(dict.fromkeys(flow_sources)), "year": None}
    return None


def dataset_table(resolved: ResolvedStudy, computed: ComputeOutput, library: Library) -> dict[str, dict]:
    """Every background dataset the study uses: per-unit values (via Brightway) and sources."""
    table = {}
    for ref, per_unit in sorted(computed.unit_scores.items()):
        ds, variant = library.dataset(ref)
        sources = {}
        for crit in library.criteria:
            sources[crit] = criterion_source(library, ds, variant, crit)
        table[ref] = {
            "id": ds.id, "variant": variant, "name": ds.name, "kind": ds.kind, "unit": ds.unit,
            "covers": ds.covers, "per_unit": per_unit, "sources": sources,
            "file": dataset_file(library, ds.id),  # inventories/..., not this machine's path
            "origin": "study" if ds.id in library.local else "library",  # study-local, or the background
            "replaces": library.local.get(ds.id),  # the library dataset a study-local one replaces
        }
    return table
