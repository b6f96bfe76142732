"""Load a study file and resolve it against the background library.

``load_study`` parses and validates the file (every problem at once, located); ``resolve`` turns
the validated model into plain numbers in the units of what each exchange refers to, evaluating
parameter expressions. ``resolve`` takes parameter overrides (floats or numpy arrays), which is
how scenarios and Monte Carlo re-evaluate a study.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from . import units
from .background import Library
from .errors import InputError, Problem
from .schema import Activity, Study
from .loops import loop_problems
from .validation import problems_from_validation
from .vocabulary import parse_unit_processes, stage_key
from .yamlio import LoadedYaml, dotted, load_yaml, read_text

MAX_MAGNITUDE = 1e18


@dataclass(frozen=True)
class LoadedStudy:
    """A validated study file, with its YAML line map and a hash of its bytes."""

    model: Study
    doc: LoadedYaml
    path: str
    sha256: str


@dataclass(frozen=True)
class ResolvedUncertainty:
    """A declared distribution with its bounds converted to the unit of the value it qualifies.

    ``distribution`` is ``lognormal`` (``gsd``; the value is the median), ``normal`` (``sd``; the
    value is the mean), ``uniform`` (``minimum``/``maximum``), ``triangular`` (``minimum``/
    ``maximum``; the value is the mode) or ``discrete`` (``options``, magnitudes drawn with equal
    probability, named by ``option_names``).
    """

    distribution: str
    gsd: float | None = None
    sd: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    options: tuple[float, ...] = ()
    option_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResolvedInput:
    """One input of a resolved activity, ``amount`` in the unit of ``target``."""

    kind: str  # "dataset" | "activity" | "flow"
    target: str  # dataset "id@variant", activity id, or flow UUID
    amount: float | np.ndarray
    unit: str
    source: str | None
    field: str  # where it was declared, e.g. systems.ai.activities[2].exchanges[0]
    line: int | None
    label: str = ""
    uncertainty: ResolvedUncertainty | None = None  # the exchange's own distribution, in `unit`


@dataclass(frozen=True)
class ResolvedActivity:
    id: str
    name: str
    unit_processes: tuple[str, ...]
    stage: str  # stage letters: "C", "A+B"
    phase: str
    tier: str
    scale: float | np.ndarray  # amount of this activity per functional unit (1 / amortised_over)
    inputs: tuple[ResolvedInput, ...]
    top_level: bool  # consumed directly by the system (not only by another activity)
    equipment_share: float | np.ndarray | None = None


@dataclass(frozen=True)
class ResolvedSystem:
    key: str  # "ai" | "reference"
    name: str
    activities: tuple[ResolvedActivity, ...]
    not_applicable: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ResolvedStudy:
    loaded: LoadedStudy
    systems: dict[str, ResolvedSystem]
    parameters: dict[str, object]  # name -> pint Quantity
    uncertain_parameters: dict[str, ResolvedUncertainty] = field(default_factory=dict)  # in each parameter's unit


def load_study(path: str | Path) -> LoadedStudy:
    """Parse and validate a study file; raise InputError with every located problem."""
    text = read_text(path)
    doc = load_yaml(path, text)
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.path, 1, "", "a study file is a mapping with `study` and `systems`")])
    try:
        model = Study.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, doc, Study)) from None
    return LoadedStudy(model, doc, str(path), hashlib.sha256(text.encode()).hexdigest())


def dump_study(study: Study | LoadedStudy) -> str:
    """The study as YAML text that ``load_study`` reads back into an equal model.

    Fields left at their default are left out; key order follows the schema.
    """
    from .yamlio import dump_yaml

    model = study.model if isinstance(study, LoadedStudy) else study
    return dump_yaml(model.model_dump(mode="json", exclude_defaults=True))


class _Collector:
    def __init__(self, doc: LoadedYaml):
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, loc: tuple, message: str) -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line_of(loc), dotted(loc), message))


def evaluate_parameters(loaded: LoadedStudy, overrides: dict | None = None,
                        collector: _Collector | None = None, library: Library | None = None) -> dict[str, object]:
    """Parameters as pint quantities, in declared order (a parameter may use earlier ones).

    A parameter declared as a dataset attribute (``{dataset: ..., attribute: pue}``) takes the
    attribute's sourced value from ``library``.
    """
    col = collector or _Collector(loaded.doc)
    values: dict[str, object] = {}
    overrides = overrides or {}
    for name, param in loaded.model.parameters.items():
        if name in overrides:
            ov = overrides[name]
            values[name] = ov if isinstance(ov, units.Quantity) else units.Quantity(ov, "dimensionless")
            continue
        if param.dataset is not None:
            quantity = _dataset_attribute(param, library, col, ("parameters", name))
            if quantity is not None:
                values[name] = quantity
            continue
        try:
            values[name] = units.parse_quantity(param.value, values)
        except units.UnitError as exc:
            later = [n for n in loaded.model.parameters if n not in values and n != name
                     and re.search(rf"\b{n}\b", str(param.value))]
            hint = (f"; {', '.join(later)} is defined further down: a parameter may only use the ones "
                    "above it" if later else "")
            col.add(("parameters", name, "value"), f"{exc}{hint}")
    if collector is None and col.problems:
        raise InputError(col.problems)
    return values


def _dataset_attribute(param, library: Library | None, col: _Collector, loc: tuple):
    """The sourced attribute a parameter refers to, as a quantity; None after a located problem."""
    if library is None:
        col.add(loc + ("dataset",), "this parameter reads a dataset attribute: resolve the study with a library")
        return None
    try:
        ds, variant = library.dataset(param.dataset)
    except KeyError as exc:
        col.add(loc + ("dataset",), _unknown_dataset(param.dataset, library, exc))
        return None
    attributes = library.attributes(ds, variant)
    if param.attribute not in attributes:
        col.add(loc + ("attribute",), f"dataset {param.dataset!r} has no attribute {param.attribute!r}; "
                                      f"it has {', '.join(sorted(attributes)) or 'none'}")
        return None
    try:
        return units.parse_quantity(attributes[param.attribute].value)
    except units.UnitError as exc:
        col.add(loc + ("attribute",), str(exc))
        return None


def parameter_table(loaded: LoadedStudy, params: dict, library: Library) -> dict[str, dict]:
    """Every parameter with its value, unit and where it comes from (for the result file)."""
    table = {}
    for name, param in loaded.model.parameters.items():
        if name not in params:
            continue
        q = params[name]
        magnitude = q.magnitude
        entry = {"value": float(magnitude) if np.ndim(magnitude) == 0 else None,
                 "unit": "" if q.dimensionless else f"{q.units:~P}",
                 "source": param.source, "assumption": param.assumption,
                 "line": loaded.doc.line_of(("parameters", name))}
        if param.dataset is not None:
            ds, variant = library.dataset(param.dataset)
            attr = library.attributes(ds, variant)[param.attribute]
            entry.update(source=attr.source, year=attr.year, dataset=f"{ds.id}@{variant}", attribute=param.attribute)
        table[name] = entry
    return table


def resolve(loaded: LoadedStudy, library: Library, overrides: dict | None = None) -> ResolvedStudy:
    """Check every cross-reference and unit, and compute amounts; raise InputError on problems."""
    col = _Collector(loaded.doc)
    params = evaluate_parameters(loaded, overrides, col, library)
    systems: dict[str, ResolvedSystem] = {}
    for key in ("ai", "reference"):
        system = getattr(loaded.model.systems, key)
        if system is None:
            continue
        loc = ("systems", key)
        ids = {a.id for a in system.activities}
        referenced = {ex.activity for a in system.activities for ex in a.exchanges if ex.activity}
        acts = []
        for i, act in enumerate(system.activities):
            acts.append(_resolve_activity(act, loc + ("activities", i), ids, referenced, params, library, col))
        systems[key] = ResolvedSystem(key, system.name, tuple(a for a in acts if a is not None),
                                      {k: v.justification for k, v in system.not_applicable.items()})
        col.problems.extend(loop_problems(systems[key], col.doc.path))
    uncertain = _parameter_uncertainty(loaded, params, col)
    _check_uncertainty_declarations(loaded, library, params, col)
    if col.problems:
        raise InputError(col.problems)
    return ResolvedStudy(loaded, systems, params, uncertain)


def _parameter_uncertainty(loaded: LoadedStudy, params: dict, col: _Collector) -> dict[str, ResolvedUncertainty]:
    """Distributions and variants of the parameters, converted to each parameter's own unit."""
    out: dict[str, ResolvedUncertainty] = {}
    for name, param in loaded.model.parameters.items():
        if name not in params or (param.uncertainty is None and not param.variants):
            continue
        loc = ("parameters", name)
        unit = str(params[name].units)
        if param.variants:
            values = [_amount(text, params, col, loc + ("variants", vname), unit, positive=False, what="variant")
                      for vname, text in param.variants.items()]
            if all(v is not None and np.ndim(v) == 0 for v in values):
                out[name] = ResolvedUncertainty("discrete", options=tuple(float(v) for v in values),
                                                option_names=tuple(param.variants))
            continue
        base = params[name].magnitude
        resolved = _uncertainty(param.uncertainty, base, params, col, loc + ("uncertainty",), unit)
        if resolved is not None:
            out[name] = resolved
    return out


def _check_uncertainty_declarations(loaded: LoadedStudy, library: Library, params: dict, col: _Collector) -> None:
    """``break_even`` names a parameter and has a range in its unit; ``variant_draws`` name real variants."""
    model = loaded.model
    be = model.break_even
    if be is not None:
        if be.parameter not in model.parameters:
            known = ", ".join(sorted(model.parameters)) or "none declared"
            col.add(("break_even", "parameter"), f"{be.parameter!r} is not a study parameter (parameters: {known})")
        elif be.parameter in params:
            unit = str(params[be.parameter].units)
            ends = [_amount(t, params, col, ("break_even", "range", i), unit, positive=False, what="range end")
                    for i, t in enumerate(be.range)]
            if all(e is not None for e in ends) and not float(ends[0]) < float(ends[1]):
                col.add(("break_even", "range"), "give the range as [lowest, highest] with lowest < highest")
    for ident, variants in model.variant_draws.items():
        loc = ("variant_draws", ident)
        if ident not in library.datasets:
            col.add(loc, _unknown_dataset(ident, library, KeyError(ident)))
            continue
        unknown = [v for v in variants if v not in library.datasets[ident].variants]
        if unknown:
            col.add(loc, f"dataset {ident!r} has no variant {', '.join(unknown)}; "
                         f"it has {', '.join(sorted(library.datasets[ident].variants))}")
        elif len(set(variants)) < 2:
            col.add(loc, "list at least two different variants to draw from")


def _uncertainty(unc, amount, params, col: _Collector, loc: tuple, unit: str | None) -> ResolvedUncertainty | None:
    """Convert a declared distribution to ``unit`` and check it against the (deterministic) amount."""
    if unc is None:
        return None
    bounds = {}
    for name in ("sd", "min", "max"):
        text = getattr(unc, name)
        if text is None:
            continue
        value = _amount(text, params, col, loc + (name,), unit, positive=False, what=name)
        if value is None:
            return None
        if np.ndim(value) == 0:
            value = float(value)
        bounds[name] = value
    if np.ndim(amount) == 0:  # checked on the deterministic study; Monte Carlo arrays were checked then
        amount = float(amount)
        lo, hi = bounds.get("min"), bounds.get("max")
        if unc.distribution == "lognormal" and amount <= 0:
            col.add(loc, "a lognormal distribution needs a value greater than zero (it is the median)")
            return None
        if unc.distribution == "normal" and bounds["sd"] < 0:
            col.add(loc + ("sd",), "the standard deviation must be zero or more")
            return None
        if lo is not None and hi is not None and lo > hi:
            col.add(loc, f"min ({lo:g}) is greater than max ({hi:g})")
            return None
        if unc.distribution == "triangular" and not lo <= amount <= hi:
            col.add(loc, f"the value {amount:g} is the mode of the triangle and must lie within [{lo:g}, {hi:g}]")
            return None
    return ResolvedUncertainty(unc.distribution, unc.gsd, bounds.get("sd"), bounds.get("min"), bounds.get("max"))


def _amount(text, params, col: _Collector, loc: tuple, unit: str | None, *, positive: bool = True,
            what: str = "amount"):
    """Evaluate ``text`` and convert it to ``unit`` (None: dimensionless); None after a problem."""
    try:
        q = units.parse_quantity(text, params)
        value = units.convert(q, unit or "dimensionless")
    except units.UnitError as exc:
        hint = f"; write it in {unit} (or a unit of the same kind)" if unit else ""
        col.add(loc, f"{exc}{hint}")
        return None
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        col.add(loc, f"{what} is not a finite number")
        return None
    if np.any(np.abs(arr) > MAX_MAGNITUDE):
        col.add(loc, f"{what} {float(np.max(np.abs(arr))):.3g} {unit or ''} is absurdly large; check the unit")
        return None
    strict = what in ("lifetime", "utilisation", "count")
    if positive and (np.any(arr <= 0) if strict else np.any(arr < 0)):
        col.add(loc, f"{what} must be {'greater than zero' if strict else 'zero or more'} (got {float(np.min(arr)):g})")
        return None
    return value


def _resolve_activity(act: Activity, loc, ids, referenced, params, library: Library, col: _Collector):
    inputs: list[ResolvedInput] = []
    unit_processes = parse_unit_processes(act.stage) if act.stage else None
    share = None
    if act.equipment is not None:
        eq = act.equipment
        eloc = loc + ("equipment",)
        try:
            ds, variant = library.dataset(eq.dataset)
        except KeyError as exc:
            col.add(eloc + ("dataset",), _unknown_dataset(eq.dataset, library, exc))
            return None
        covers = parse_unit_processes(ds.covers)
        if unit_processes is not None and unit_processes != covers:
            col.add(loc + ("stage",), f"dataset {ds.id!r} covers {ds.covers}; set stage: {ds.covers} or leave it out")
        unit_processes = covers
        attributes = library.attributes(ds, variant)  # the variant's own lifetime wins (one source's figures)
        lifetime_text = eq.lifetime if eq.lifetime is not None else (
            attributes["lifetime"].value if "lifetime" in attributes else None)
        if lifetime_text is None:
            col.add(eloc + ("lifetime",), f"dataset {ds.id!r} has no lifetime; give `lifetime` (e.g. \"6 year\")")
            return None
        count = _amount(eq.count, params, col, eloc + ("count",), None, what="count")
        hours = _amount(eq.hours, params, col, eloc + ("hours",), "hour", what="hours")
        lifetime = _amount(lifetime_text, params, col, eloc + ("lifetime",), "hour", what="lifetime")
        util = _amount(eq.utilisation, params, col, eloc + ("utilisation",), None, what="utilisation")
        if util is not None and np.any(np.asarray(util) > 1):
            col.add(eloc + ("utilisation",), "utilisation is a fraction in (0, 1]; 85 % is 0.85")
            return None
        if any(v is None for v in (count, hours, lifetime, util)):
            return None
        if not units.same_dimension(ds.unit, "dimensionless"):
            col.add(eloc + ("dataset",), f"dataset {ds.id!r} is per {ds.unit}, not per device; use an exchange")
            return None
        share = count * hours / (lifetime * util)
        inputs.append(ResolvedInput("dataset", f"{ds.id}@{variant}", share, ds.unit, eq.source or eq.assumption,
                                    dotted(eloc), col.doc.line_of(eloc), ds.name))
    for j, ex in enumerate(act.exchanges):
        xloc = loc + ("exchanges", j)
        if ex.dataset:
            try:
                ds, variant = library.dataset(ex.dataset)
            except KeyError as exc:
                col.add(xloc + ("dataset",), _unknown_dataset(ex.dataset, library, exc))
                continue
            amount = _amount(ex.amount, params, col, xloc + ("amount",), ds.unit)
            if amount is not None:
                unc = _uncertainty(ex.uncertainty, amount, params, col, xloc + ("uncertainty",), ds.unit)
                inputs.append(ResolvedInput("dataset", f"{ds.id}@{variant}", amount, ds.unit,
                                            ex.source or ex.assumption, dotted(xloc), col.doc.line_of(xloc), ds.name,
                                            unc))
        elif ex.activity:
            if ex.activity not in ids:
                col.add(xloc + ("activity",), f"no activity {ex.activity!r} in this system; known: {', '.join(sorted(ids))}")
                continue
            if ex.activity == act.id:
                col.add(xloc + ("activity",), "an activity cannot consume itself")
                continue
            amount = _amount(ex.amount, params, col, xloc + ("amount",), None)
            if amount is not None:
                unc = _uncertainty(ex.uncertainty, amount, params, col, xloc + ("uncertainty",), None)
                inputs.append(ResolvedInput("activity", ex.activity, amount, "unit", ex.source or ex.assumption,
                                            dotted(xloc), col.doc.line_of(xloc), ex.activity, unc))
        else:
            try:
                flow = library.find_flow(ex.flow)
            except KeyError as exc:
                col.add(xloc + ("flow",), str(exc.args[0]))
                continue
            amount = _amount(ex.amount, params, col, xloc + ("amount",), flow.unit)
            if amount is not None:
                unc = _uncertainty(ex.uncertainty, amount, params, col, xloc + ("uncertainty",), flow.unit)
                inputs.append(ResolvedInput("flow", flow.id, amount, flow.unit, ex.source or ex.assumption,
                                            dotted(xloc), col.doc.line_of(xloc), flow.name, unc))
    scale = 1.0
    if act.amortised_over is not None:
        n = _amount(act.amortised_over, params, col, loc + ("amortised_over",), None, what="count")
        if n is None:
            return None
        scale = 1.0 / n
    if unit_processes is None:
        return None
    return ResolvedActivity(act.id, act.name, unit_processes, stage_key(unit_processes), act.phase, act.tier,
                            scale, tuple(inputs), act.id not in referenced, share)


def _unknown_dataset(ref: str, library: Library, exc: KeyError) -> str:
    import difflib

    ident = ref.partition("@")[0]
    if ident in library.datasets:
        return str(exc.args[0])
    close = difflib.get_close_matches(ident, list(library.datasets), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else "; `lca data list` shows the datasets"
    return f"unknown dataset {ident!r}{hint}"
