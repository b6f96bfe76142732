"""One namespace in amounts: a parameter name never shadows a unit, a function of the amount
grammar or a number word, and a parameter only uses the parameters declared above it.

Both are checked by name, before anything is evaluated: a parameter ``h`` would turn ``"4380 h"``
into 4380 × 4380 h, a parameter ``inference`` would cancel ``"0.003 kWh/inference * inference"``,
and a parameter used above its definition would silently read as the unit of the same name.
"""

from __future__ import annotations

from lca.core import expression, units
from lca.study.amounts import Collector

RESERVED_WORDS = frozenset(expression.FUNCTIONS) | expression.NOT_FINITE_NAMES | {"percent", "dimensionless"}


def suggestion(name: str) -> str:
    """A name for what a parameter measures, instead of the unit it is named after."""
    q = units.unit_quantity(name)
    if q is not None and q.dimensionless:
        return f"n_{name}"
    if q is not None and q.dimensionality == units.ureg.hour.dimensionality:
        return f"gpu_{name}" if len(name) > 2 else "gpu_hours"
    return f"{name}_value"


def shadowing_problem(name: str) -> str | None:
    """Why ``name`` cannot be a parameter name, or None when it can."""
    if name in expression.FUNCTIONS:
        return (f"parameter name {name!r} is a function of amounts ({name}(...)); rename it after what it "
                f"measures, e.g. {name}_value")
    if name in RESERVED_WORDS:
        return f"parameter name {name!r} is reserved in amounts; rename it after what it measures, e.g. {name}_value"
    q = units.unit_quantity(name)
    if q is None:
        return None
    return (f"parameter name {name!r} is also a unit ({q.units}): in an amount it would replace the unit "
            f"(\"10 {name}\" would read 10 x the parameter); rename it after what it measures "
            f"(e.g. gpu_hours, n_requests), here perhaps {suggestion(name)}")


def check_parameter_names(parameters: dict, col: Collector) -> set[str]:
    """Add a located problem for each parameter that shadows a unit or uses a parameter declared
    below it (or itself); return the names that must not be evaluated."""
    refused: set[str] = set()
    order = list(parameters)
    position = {name: i for i, name in enumerate(order)}
    for i, name in enumerate(order):
        problem = shadowing_problem(name)
        if problem:
            col.add(("parameters", name), problem)
            refused.add(name)
        value = getattr(parameters[name], "value", None)
        if not isinstance(value, str):
            continue
        later = sorted((n for n in expression.names_in(value) if position.get(n, -1) >= i), key=position.__getitem__)
        if later:
            which = ", ".join(later)
            itself = later == [name]
            col.add(("parameters", name, "value"),
                    f"{name!r} uses itself: give its value directly" if itself else
                    f"uses {which}, declared further down (line {col.doc.line_of(('parameters', later[0]))}): a "
                    f"parameter may only use the ones above it; move {name} below {later[-1]}")
            refused.add(name)
    return refused
