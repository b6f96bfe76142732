"""One amount text to one number in a unit, with located problems: the bounds every amount obeys.

``Collector`` gathers the located problems of a whole study (``file:line: field: message``);
``amount`` evaluates a text (with the study's parameters) and converts it to a unit;
``distribution`` converts a declared distribution to the unit of the value it qualifies.
"""

from __future__ import annotations

import math

import numpy as np

from lca.core import expression, units
from lca.core.distribution import ResolvedUncertainty
from lca.core.errors import Problem
from lca.core.yamlio import LoadedYaml, dotted

MAX_MAGNITUDE = 1e18


class Collector:
    """The located problems found so far in one file."""

    def __init__(self, doc: LoadedYaml):
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, loc: tuple, message: str) -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line_of(loc), dotted(loc), message))


def distribution(unc, value, params, col: Collector, loc: tuple, unit: str | None) -> ResolvedUncertainty | None:
    """Convert a declared distribution to ``unit`` and check it against the (deterministic) ``value``."""
    if unc is None:
        return None
    bounds = {}
    for name in ("sd", "min", "max"):
        text = getattr(unc, name)
        if text is None:
            continue
        bound = amount(text, params, col, loc + (name,), unit, positive=False, what=name)
        if bound is None:
            return None
        bounds[name] = float(bound) if np.ndim(bound) == 0 else bound
    if np.ndim(value) == 0:  # checked on the deterministic study; Monte Carlo arrays were checked then
        value = float(value)
        lo, hi = bounds.get("min"), bounds.get("max")
        if unc.distribution == "lognormal" and value <= 0:
            col.add(loc, "a lognormal distribution needs a value greater than zero (it is the median)")
            return None
        if unc.distribution == "normal" and bounds["sd"] < 0:
            col.add(loc + ("sd",), "the standard deviation must be zero or more")
            return None
        if lo is not None and hi is not None and lo > hi:
            col.add(loc, f"min ({lo:g}) is greater than max ({hi:g})")
            return None
        if unc.distribution == "uniform" and not lo <= value <= hi:
            col.add(loc, f"the value {value:g} lies outside its uniform range [{lo:g}, {hi:g}] {unit or ''}: the "
                         "Monte Carlo would draw around another value than the result shows; correct the value "
                         "or the range")
            return None
        if unc.distribution == "triangular" and not lo <= value <= hi:
            col.add(loc, f"the value {value:g} is the mode of the triangle and must lie within [{lo:g}, {hi:g}]")
            return None
    return ResolvedUncertainty(unc.distribution, unc.gsd, bounds.get("sd"), bounds.get("min"), bounds.get("max"))


# Amounts that depend on nothing but their text, by (text, unit): their value, kept only when it
# passes every bound of `amount` whatever the flags (a float, finite, above zero, at most
# MAX_MAGNITUDE). A large study repeats a few such amounts ("1", "3 kWh") tens of thousands of
# times: each is converted and checked once, later ones are one lookup (they cost 5,000 machine
# instructions each through `units.amount_in`). Emptied when full.
_CONSTANT: dict[tuple, float] = {}
_CONSTANT_MAX = 65536


def amount(text, params, col: Collector, loc: tuple, unit: str | None, *, positive: bool = True,
           strictly_positive: bool = False, what: str = "amount"):
    """Evaluate ``text`` and convert it to ``unit`` (None: dimensionless); None after a problem.

    ``positive`` refuses negative values, ``strictly_positive`` zero too (lifetimes, counts,
    utilisations, divisors); ``what`` names the value in messages.
    """
    cls = type(text)  # not isinstance: True and 1 are equal keys, a true/false value is never kept
    key = (text, unit) if cls is int or cls is float or cls is str and (
        not params or expression.names_in(text.strip()).isdisjoint(params)) else None
    if key is not None:
        known = _CONSTANT.get(key)
        if known is not None:
            return known
    try:
        value = units.amount_in(text, unit or "dimensionless", params)
    except units.UnitError as exc:
        kind = unit and isinstance(exc, units.DimensionError)
        hint = f"; write it in {unit} (or a unit of the same kind)" if kind else ""
        col.add(loc, f"{exc}{hint}")
        return None
    if isinstance(value, float) and math.isfinite(value) and abs(value) <= MAX_MAGNITUDE and (
            value > 0 if strictly_positive else value >= 0 or not positive):
        if key is not None and type(value) is float and value > 0:
            if len(_CONSTANT) >= _CONSTANT_MAX:
                _CONSTANT.clear()
            _CONSTANT[key] = value
        return value  # one number within bounds: the checks below without numpy (the common case)
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        col.add(loc, f"{what} is not a finite number")
        return None
    if np.any(np.abs(arr) > MAX_MAGNITUDE):
        col.add(loc, f"{what} {float(np.max(np.abs(arr))):.3g} {unit or ''} is absurdly large; check the unit")
        return None
    strict = strictly_positive
    if (positive or strict) and (np.any(arr <= 0) if strict else np.any(arr < 0)):
        col.add(loc, f"{what} must be {'greater than zero' if strict else 'zero or more'} (got {float(np.min(arr)):g})")
        return None
    return value
