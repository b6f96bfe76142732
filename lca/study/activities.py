"""Resolve one activity: its equipment share, its exchanges, its scale."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from lca.core import units
from lca.core.vocabulary import parse_unit_processes, stage_key
from lca.core.yamlio import dotted
from lca.library.background import Library
from lca.study.amounts import Collector, amount, distribution
from lca.study.brightway_refs import brightway_target
from lca.study.bounds import amortisation_problem, equipment_problem
from lca.study.datasets import unknown_dataset
from lca.study.model import ResolvedActivity, ResolvedInput
from lca.study.schema import Activity
from lca.study.zeros import declared_zeros


def resolve_activity(act: Activity, loc: tuple, ids: set[str], referenced: set[str], params: dict,
                     library: Library, col: Collector, user=None, field: str | None = None) -> ResolvedActivity | None:
    """The activity in plain numbers; None (with located problems in ``col``) when it cannot be.
    ``field`` is ``dotted(loc)`` when the caller has it."""
    # the fields read from the model's __dict__, where pydantic keeps them: each attribute read of a
    # pydantic model goes through its __getattr__ hook (ten times the cost of a dict item)
    a = act.__dict__
    ident = a["id"]
    unit_processes, stage = _stage(a["stage"]) if a["stage"] else (None, "")
    inputs: list[ResolvedInput] = []
    share = None
    if a["equipment"] is not None:
        resolved = _equipment(act, loc, unit_processes, params, library, col)
        if resolved is None:
            return None
        unit_processes, equipment_input = resolved
        stage = _stage_key(unit_processes)
        share = equipment_input.amount
        inputs.append(equipment_input)
    xlocs = loc + ("exchanges",)
    # dotted once per activity; each exchange adds "[j]"
    exchanges = field_text(xlocs) if field is None else f"{field}.exchanges"
    # line_of(xloc): the exchange's own line, else (a flow line records only its collection) the
    # line of `exchanges`, looked up once here
    lines, line = col.doc.lines, col.doc.line_of(xlocs)
    for j, ex in enumerate(a["exchanges"]):
        xloc = xlocs + (j,)
        inp = _exchange(ex, ident, xloc, ids, params, library, col, user, f"{exchanges}[{j}]", lines.get(xloc, line))
        if inp is not None:
            inputs.append(inp)
    scale = 1.0
    if a["amortised_over"] is not None:
        n = amount(a["amortised_over"], params, col, loc + ("amortised_over",), None, strictly_positive=True,
                   what="count")
        if n is None:
            return None
        implausible = amortisation_problem(n)
        if implausible:
            col.add(loc + ("amortised_over",), implausible)
            return None
        scale = 1.0 / n
    if unit_processes is None:
        return None
    return ResolvedActivity(ident, a["name"], unit_processes, stage, a["phase"], a["tier"], scale, tuple(inputs),
                            ident not in referenced, share)


@lru_cache(maxsize=1024)
def _stage(stage: str) -> tuple[tuple[str, ...], str]:
    """``parse_unit_processes`` and its stage key, once per stage text (a ValueError is raised
    again each time)."""
    unit_processes = parse_unit_processes(stage)
    return unit_processes, _stage_key(unit_processes)


@lru_cache(maxsize=1024)
def _stage_key(unit_processes: tuple[str, ...]) -> str:
    return stage_key(unit_processes)


def _equipment(act: Activity, loc: tuple, unit_processes, params: dict, library: Library,
               col: Collector) -> tuple[tuple[str, ...], ResolvedInput] | None:
    """(unit processes, the input) of shared equipment: share = count x hours / (lifetime x utilisation)."""
    eq = act.equipment
    assert eq is not None
    eloc = loc + ("equipment",)
    try:
        ds, variant = library.dataset(eq.dataset)
    except KeyError as exc:
        col.add(eloc + ("dataset",), unknown_dataset(eq.dataset, library, exc))
        return None
    covers = parse_unit_processes(ds.covers)
    if unit_processes is not None and unit_processes != covers:
        col.add(loc + ("stage",), f"dataset {ds.id!r} covers {ds.covers}; set stage: {ds.covers} or leave it out")
    attributes = library.attributes(ds, variant)  # the variant's own lifetime wins (one source's figures)
    lifetime_text = eq.lifetime if eq.lifetime is not None else (
        attributes["lifetime"].value if "lifetime" in attributes else None)
    if lifetime_text is None:
        col.add(eloc + ("lifetime",), f"dataset {ds.id!r} has no lifetime; give `lifetime` (e.g. \"6 year\")")
        return None
    count = amount(eq.count, params, col, eloc + ("count",), None, strictly_positive=True, what="count")
    hours = amount(eq.hours, params, col, eloc + ("hours",), "hour", what="hours")
    lifetime = amount(lifetime_text, params, col, eloc + ("lifetime",), "hour", strictly_positive=True,
                      what="lifetime")
    util = amount(eq.utilisation, params, col, eloc + ("utilisation",), None, strictly_positive=True,
                  what="utilisation")
    if util is not None and np.any(np.asarray(util) > 1):
        col.add(eloc + ("utilisation",), "utilisation is a fraction in (0, 1]; 85 % is 0.85")
        return None
    if count is None or hours is None or lifetime is None or util is None:
        return None
    implausible = equipment_problem(count, hours, lifetime, util)
    if implausible:
        col.add(eloc + (implausible[0],), implausible[1])
        return None
    if not units.same_dimension(ds.unit, "dimensionless"):
        col.add(eloc + ("dataset",), f"dataset {ds.id!r} is per {ds.unit}, not per device; use an exchange")
        return None
    share = count * hours / (lifetime * util)
    zero = declared_zeros(eq.zero, eloc, library, col, "dataset", f"{ds.id}@{variant}", share)
    return covers, ResolvedInput("dataset", f"{ds.id}@{variant}", share, ds.unit, eq.source or eq.assumption,
                                 dotted(eloc), col.doc.line_of(eloc), ds.name, zero=zero)


def _exchange(ex, activity_id: str, xloc: tuple, ids: set[str], params: dict, library: Library,
              col: Collector, user, field: str, line: int | None) -> ResolvedInput | None:
    """One exchange to a dataset, another activity, a biosphere flow or a user's Brightway activity,
    in its target's unit; ``field`` is ``dotted(xloc)``, ``line`` is ``col.doc.line_of(xloc)``."""
    v = ex.__dict__  # its fields, read as in resolve_activity
    source = v["source"] or v["assumption"]
    if v["brightway"]:
        match, problem = brightway_target(v["brightway"], user)
        if match is None:
            assert problem is not None  # brightway_target gives a message with every None
            col.add(xloc + ("brightway",), problem)
            return None
        kind, target, unit, label = "brightway", match.target, match.pint_unit, match.label
    elif v["dataset"]:
        try:
            ds, variant = library.dataset(v["dataset"])
        except KeyError as exc:
            col.add(xloc + ("dataset",), unknown_dataset(v["dataset"], library, exc))
            return None
        kind, target, unit, label = "dataset", f"{ds.id}@{variant}", ds.unit, ds.name
    elif v["activity"]:
        activity = v["activity"]
        if activity not in ids:
            col.add(xloc + ("activity",), f"no activity {activity!r} in this system; known: {', '.join(sorted(ids))}")
            return None
        if activity == activity_id:
            col.add(xloc + ("activity",), "an activity cannot consume itself")
            return None
        kind, target, unit, label = "activity", activity, None, activity
    else:
        try:
            flow = library.find_flow(v["flow"])
        except KeyError as exc:
            col.add(xloc + ("flow",), str(exc.args[0]))
            return None
        kind, target, unit, label = "flow", flow.id, flow.unit, flow.name
    value = amount(v["amount"], params, col, xloc + ("amount",), unit)
    if value is None:
        return None
    unc = None if v["uncertainty"] is None else distribution(v["uncertainty"], value, params, col,
                                                             xloc + ("uncertainty",), unit)
    zero = declared_zeros(v["zero"], xloc, library, col, kind, target, value) if v["zero"] else {}
    return ResolvedInput(kind, target, value, unit or "unit", source, field, line, label, unc, zero)


def field_text(loc: tuple) -> str:
    """``dotted(loc)``, each parent's text made once (``…activities[7].exchanges`` for all the
    activity's exchanges): the same text, without a few hundred thousand ``dotted`` parts."""
    if not loc:
        return ""
    last, head = loc[-1], _parent_text(loc[:-1])
    if type(last) is int:
        return f"{head}[{last}]"
    part = _part_text(last)  # as dotted writes one part: "name", or "[\"quoted\"]", or "" for <key>
    return head + "." + part if head and part and part[0] != "[" else head + part


@lru_cache(maxsize=4096)
def _parent_text(loc: tuple) -> str:
    return field_text(loc)


@lru_cache(maxsize=256)
def _part_text(part) -> str:
    return dotted((part,))
