"""Resolve the ``deployment:`` and ``effects:`` sections against the study and the library: every
amount evaluated (with the study's parameters) and converted, every cross-reference checked, each
problem located (``file:line: field: message``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lca.core import units
from lca.core.distribution import ResolvedUncertainty
from lca.core.errors import StudyError
from lca.effects.deployment import event_years, linear_adoption, logistic_adoption
from lca.library.background import Library
from lca.study import LoadedStudy, ResolvedStudy
from lca.study.amounts import Collector, amount, distribution
from lca.study.datasets import unknown_dataset
from lca.core.yamlio import dotted


@dataclass(frozen=True)
class ResolvedEffect:
    """One effect of the tree in plain numbers. ``sign`` is +1 (increase) or -1 (decrease).

    ``kind`` is ``fraction`` (``value``: share of the gross gain), ``amount`` (``value``: the driver
    per functional unit in ``unit``, times ``intensities[k]`` in criterion unit per driver unit) or
    ``qualitative``.
    """

    id: str
    name: str
    order: int
    mechanism: str
    sign: int
    horizon: str
    kind: str
    value: float | None
    unit: str
    text: str | float | None  # the fraction or driver as written (re-evaluated with drawn parameters)
    intensities: dict[str, float] = field(default_factory=dict)
    intensity_sources: dict[str, str] = field(default_factory=dict)
    uncertainty: ResolvedUncertainty | None = None
    backfire: bool = False
    range_source: str | None = None  # the source of the distribution (the literature range)
    source: str | None = None
    assumption: str | None = None
    justification: str | None = None
    description: str | None = None
    parent: str | None = None
    field: str = ""
    line: int | None = None

    @property
    def magnitude(self) -> float:
        """The fraction or driver of a quantified effect; a qualitative effect has none (ValueError)."""
        if self.value is None:
            raise ValueError(f"effect {self.id!r} is qualitative: it has no fraction or driver")
        return self.value

    @property
    def declared_range(self) -> tuple[float, float] | None:
        """The bounds of a uniform or triangular distribution (the literature range), else None."""
        u = self.uncertainty
        if u is not None and u.distribution in ("uniform", "triangular"):
            if u.minimum is None or u.maximum is None:
                raise ValueError(f"effect {self.id!r}: a {u.distribution} distribution without its bounds")
            return float(u.minimum), float(u.maximum)
        return None


@dataclass(frozen=True)
class ResolvedFixedCost:
    id: str
    name: str
    activities: tuple[str, ...]
    multiplier: float
    years: tuple[int, ...]
    source: str | None
    assumption: str | None


@dataclass(frozen=True)
class ResolvedDeployment:
    horizon: int
    start_year: int | None
    units: tuple[float, ...]  # functional units served in years 1..H
    fixed_costs: tuple[ResolvedFixedCost, ...]
    scales: dict[str, float]  # AI activity id -> its share per functional unit (1 / amortised_over)
    source: str | None = None
    assumption: str | None = None


@dataclass(frozen=True)
class ResolvedEffects:
    effects: tuple[ResolvedEffect, ...]  # the tree, depth first
    deployment: ResolvedDeployment | None
    criteria: tuple[str, ...]


def resolve_effects(loaded: LoadedStudy, resolved: ResolvedStudy, library: Library) -> ResolvedEffects | None:
    """The study's deployment and effects in numbers; None when it declares neither. InputError on problems."""
    model = loaded.model
    if model.deployment is None and not model.effects:
        return None
    col = Collector(loaded.doc)
    params = resolved.parameters
    effects: list[ResolvedEffect] = []
    seen: set[str] = set()

    def walk(items, loc, parent):
        for i, eff in enumerate(items):
            here = loc + (i,)
            if eff.id in seen:
                col.add(here + ("id",), f"effect id {eff.id!r} is used twice in the tree: give each effect its own id")
            seen.add(eff.id)
            found = _effect(eff, here, parent, params, library, col)
            if found is not None:
                effects.append(found)
            walk(eff.effects, here + ("effects",), eff.id)

    walk(model.effects, ("effects",), None)
    deployment = _deployment(model.deployment, resolved, params, col) if model.deployment else None
    if col.problems:
        raise StudyError(col.problems)
    return ResolvedEffects(tuple(effects), deployment, tuple(library.criteria))


def _scalar(value) -> float | None:
    return None if value is None else float(np.asarray(value, dtype=float))


def _effect(eff, loc, parent, params, library: Library, col: Collector) -> ResolvedEffect | None:
    common = dict(id=eff.id, name=eff.name, order=eff.order, mechanism=eff.mechanism,
                  sign=1 if eff.sign == "increase" else -1, horizon=eff.horizon, backfire=eff.backfire,
                  source=eff.source, assumption=eff.assumption, justification=eff.justification,
                  description=eff.description, parent=parent, field=dotted(loc), line=col.doc.line_of(loc),
                  range_source=eff.uncertainty.source if eff.uncertainty is not None else None)
    if eff.qualitative_only:
        return ResolvedEffect(kind="qualitative", value=None, unit="", text=None, **common)
    if eff.fraction is not None:
        value = _scalar(amount(eff.fraction, params, col, loc + ("fraction",), None, what="fraction"))
        if value is None or not _fraction_ok(value, eff, loc + ("fraction",), col):
            return None
        unc = distribution(eff.uncertainty, value, params, col, loc + ("uncertainty",), None)
        if eff.uncertainty is not None and (unc is None or not _fraction_range_ok(unc, eff, loc, col)):
            return None
        return ResolvedEffect(kind="fraction", value=value, unit="", text=eff.fraction, uncertainty=unc, **common)
    spec = eff.amount
    try:
        driver = units.parse_quantity(spec.driver, params)
    except units.UnitError as exc:
        col.add(loc + ("amount", "driver"), str(exc))
        return None
    unit = "" if driver.dimensionless else str(driver.units)  # pint's long name: parsed back as it is
    value = _scalar(amount(spec.driver, params, col, loc + ("amount", "driver"), unit or None, what="driver"))
    intensities, sources = (_dataset_intensities(spec, unit, library, col, loc + ("amount",)) if spec.dataset
                            else _declared_intensities(spec, unit, params, library, col, loc + ("amount",)))
    if value is None or intensities is None:
        return None
    unc = distribution(eff.uncertainty, value, params, col, loc + ("uncertainty",), unit or None)
    if eff.uncertainty is not None and unc is None:
        return None
    return ResolvedEffect(kind="amount", value=value, unit=unit, text=spec.driver, intensities=intensities,
                          intensity_sources=sources, uncertainty=unc, **common)


def _fraction_ok(value: float, eff, loc, col: Collector) -> bool:
    if value > 1 and not eff.backfire:
        col.add(loc, f"a fraction of the gain above 1 ({value:g}) takes back more than the whole gain: a "
                     "backfire. Give a fraction in [0, 1], or declare `backfire: true` if the source says so")
        return False
    return True


def _fraction_range_ok(unc: ResolvedUncertainty, eff, loc, col: Collector) -> bool:
    """A fraction's distribution stays within [0, 1] (or [0, ...) with backfire)."""
    if unc.distribution == "normal" or (unc.distribution == "lognormal" and not eff.backfire):
        col.add(loc + ("uncertainty", "distribution"),
                f"a {unc.distribution} distribution can draw a fraction outside [0, 1]: use uniform or "
                "triangular (min and max within [0, 1])")
        return False
    if unc.minimum is not None and unc.minimum < 0:
        col.add(loc + ("uncertainty", "min"), f"a fraction is zero or more (got {unc.minimum:g}); an effect that "
                                              "lowers the impact has `sign: decrease`")
        return False
    if unc.maximum is not None and unc.maximum > 1 and not eff.backfire:
        col.add(loc + ("uncertainty", "max"), f"a fraction above 1 ({unc.maximum:g}) is a backfire: keep max "
                                              "within [0, 1], or declare `backfire: true`")
        return False
    return True


def _declared_intensities(spec, unit, params, library: Library, col: Collector, loc):
    out, sources = {}, {}
    for crit, intensity in spec.intensities.items():
        here = loc + ("intensities", crit)
        if crit not in library.criteria:
            col.add(here, f"{crit!r} is not a criterion; criteria: {', '.join(library.criteria)}")
            continue
        target = library.criteria[crit].unit + (f" / ({unit})" if unit else "")
        value = amount(intensity.value, params, col, here + ("value",), target, positive=False, what="intensity")
        if value is not None:
            out[crit] = _scalar(value)
            sources[crit] = intensity.source or f"assumption: {intensity.assumption}"
    return (out, sources) if len(out) == len(spec.intensities) else (None, None)


def _dataset_intensities(spec, unit, library: Library, col: Collector, loc):
    """A background dataset's impact per unit, per criterion: indicator value plus characterised flows."""
    try:
        ds, variant = library.dataset(spec.dataset)
    except KeyError as exc:
        col.add(loc + ("dataset",), unknown_dataset(spec.dataset, library, exc))
        return None, None
    try:
        units.convert(units.Quantity(1, unit or "dimensionless"), ds.unit)
    except units.UnitError:
        col.add(loc + ("driver",), f"the driver is in {unit or 'no unit'} but dataset {ds.id!r} is per {ds.unit}: "
                                   f"give the driver in {ds.unit}")
        return None, None
    factor = units.convert(units.Quantity(1, unit or "dimensionless"), ds.unit)  # dataset units per driver unit
    out, sources = {}, {}
    flows = ds.variants[variant].flows
    for crit in library.criteria:
        impact = library.impact(ds, variant, crit)
        cf = {c.flow: c.factor for c in library.factors.get(crit, [])}
        value = impact.amount or 0.0
        value += sum(units.convert(units.parse_quantity(fa.amount), library.flows[fa.flow].unit) * cf.get(fa.flow, 0.0)
                     for fa in flows)
        if impact.amount is None and not any(fa.flow in cf for fa in flows):
            continue  # no data on this criterion: the effect is not quantified on it
        out[crit] = float(value) * float(factor)
        sources[crit] = f"{ds.name} [{variant}]" + (f": {impact.source}" if impact.source else "")
    return out, sources


def _deployment(dep, resolved: ResolvedStudy, params, col: Collector) -> ResolvedDeployment | None:
    loc = ("deployment",)
    units_per_year = _units(dep, params, col, loc)
    ai = {a.id: a for a in resolved.systems["ai"].activities}
    fixed = []
    for i, fc in enumerate(dep.fixed_costs):
        here = loc + ("fixed_costs", i)
        for j, act_id in enumerate(fc.activities):
            _check_fixed_activity(act_id, ai, col, here + ("activities", j))
        mult = _scalar(amount(fc.multiplier, params, col, here + ("multiplier",), None, strictly_positive=True,
                              what="multiplier"))
        if mult is not None:
            fixed.append(ResolvedFixedCost(fc.id, fc.name, tuple(fc.activities), mult,
                                           tuple(event_years(fc.year, fc.every, dep.horizon)), fc.source, fc.assumption))
    if units_per_year is None:
        return None
    scales = {a.id: float(np.asarray(a.scale, dtype=float)) for a in ai.values()}
    source = dep.source if dep.units_per_year is not None else dep.adoption.source
    assumption = dep.assumption if dep.units_per_year is not None else dep.adoption.assumption
    return ResolvedDeployment(dep.horizon, dep.start_year, tuple(units_per_year), tuple(fixed), scales,
                              source, assumption)


def _check_fixed_activity(act_id: str, ai: dict, col: Collector, loc) -> None:
    act = ai.get(act_id)
    if act is None:
        col.add(loc, f"{act_id!r} is not an activity of systems.ai; activities: {', '.join(ai)}")
    elif not act.top_level:
        col.add(loc, f"{act_id!r} is consumed by another activity: a fixed cost lists top-level activities "
                     "(list the activity that consumes it instead)")
    elif any(inp.kind == "activity" for inp in act.inputs):
        col.add(loc, f"{act_id!r} consumes other activities: give the fixed cost activities that use "
                     "datasets, flows or equipment only")


def _units(dep, params, col: Collector, loc) -> list[float] | None:
    if dep.units_per_year is not None:
        values = [_scalar(amount(t, params, col, loc + ("units_per_year", i), None, what="functional units"))
                  for i, t in enumerate(dep.units_per_year)]
        numbers = [v for v in values if v is not None]
        return None if len(numbers) < len(values) else numbers
    ad = dep.adoption
    here = loc + ("adoption",)
    if ad.curve == "linear":
        first, last = (_scalar(amount(getattr(ad, n), params, col, here + (n,), None, what=n)) for n in ("first", "last"))
        return None if first is None or last is None else linear_adoption(first, last, dep.horizon)
    ceiling = _scalar(amount(ad.saturation, params, col, here + ("saturation",), None, what="saturation"))
    return None if ceiling is None else logistic_adoption(ceiling, ad.midpoint, ad.rate, dep.horizon)
