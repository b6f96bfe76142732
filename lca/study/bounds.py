"""Bounds on what is derived: each amount is bounded where it is read (``lca.study.amounts``); here
the quantities computed from several of them are, each with a located message naming its inputs.

- an equipment share ``count x hours / (lifetime x utilisation)``: a lifetime under an hour, a
  utilisation under 0.1 % or a device used over 1000 lifetimes is implausible;
- an amortisation ``1 / amortised_over``: an activity charged over a million times to one
  functional unit is implausible;
- the supply of each activity per functional unit (through chains and loops of activities), and
  every flow it causes: finite, and at most ``MAX_MAGNITUDE`` in its unit;
- a unit process declared not applicable while an activity covers it.

Checked on the deterministic study (Monte Carlo draws are bounded by their distributions).
"""

from __future__ import annotations

import numpy as np

from lca.core.errors import Problem
from lca.core.vocabulary import parse_unit_processes
from lca.study.amounts import MAX_MAGNITUDE, Collector
from lca.study.loops import activity_matrix, scalar_supplies

MIN_LIFETIME_HOURS = 1.0
MIN_UTILISATION = 1e-3
MAX_LIFETIMES_PER_DEVICE = 1e3
MAX_TIMES_PER_UNIT = 1e6  # 1 / amortised_over
MAX_SUPPLY = MAX_MAGNITUDE * (1 + 1e-9)  # round-off of the solve on a supply of exactly 1e18


def equipment_problem(count, hours, lifetime, utilisation) -> tuple[str, str] | None:
    """(field, message) when an equipment share is implausible; None when plausible or sampled."""
    if any(np.ndim(v) for v in (count, hours, lifetime, utilisation)):
        return None
    if lifetime < MIN_LIFETIME_HOURS:
        return "lifetime", (f"lifetime {lifetime:.3g} h is implausibly short (under {MIN_LIFETIME_HOURS:g} h); "
                            "check the unit: a device lasts years (\"6 year\")")
    if utilisation < MIN_UTILISATION:
        return "utilisation", (f"utilisation {utilisation:.3g} is implausibly low (under {MIN_UTILISATION:g}): the "
                               "share would charge the device for time it is idle; give the average "
                               "fraction of its lifetime it is in use (0.5 for half the time)")
    per_device = hours / (lifetime * utilisation)
    if per_device > MAX_LIFETIMES_PER_DEVICE:
        return "hours", (f"each device would be used {per_device:.3g} lifetimes (hours {hours:.3g} h / (lifetime "
                         f"{lifetime:.3g} h x utilisation {utilisation:.3g})), over {MAX_LIFETIMES_PER_DEVICE:g}; "
                         "check hours, lifetime and their units, or raise count")
    if count * per_device > MAX_MAGNITUDE:
        return "count", (f"the share is {count * per_device:.3g} devices (count {count:.3g} x {per_device:.3g} "
                         "lifetimes each), absurdly large; check count")
    return None


def amortisation_problem(n) -> str | None:
    """Why ``amortised_over: n`` is implausible, or None."""
    if np.ndim(n) or 1.0 / n <= MAX_TIMES_PER_UNIT:
        return None
    return (f"amortised_over {n:.3g} charges the activity {1.0 / n:.3g} times to one functional unit (over "
            f"{MAX_TIMES_PER_UNIT:g}); amortised_over is the number of functional units it serves (1000 "
            "buildings, 1e6 inferences)")


def supply_problems(system, path: str) -> list[Problem]:
    """Supplies and the flows they cause: finite and at most MAX_MAGNITUDE, with their inputs named."""
    acts = system.activities
    if not _all_scalar(acts):  # Monte Carlo draws: bounded by their distributions
        return []
    x = scalar_supplies(system)  # plain floats: the same products, without a numpy scalar per exchange
    if x is None:
        line = min((i.line or 0 for a in acts for i in a.inputs if i.kind == "activity"), default=None)
        return [Problem(path, line, f"systems.{system.key}.activities",
                        "the activities' amounts per functional unit are not finite (chains of activities that "
                        "multiply beyond 1e308); check the activity-to-activity amounts")]
    problems = []
    for k, act in enumerate(acts):
        if x[k] > MAX_SUPPLY:
            m, ids, edges = activity_matrix(system)  # only for the message
            problem = _supply_problem(path, system, k, x, m, edges)
            if problem is not None:
                problems.append(problem)
            continue
        for inp in act.inputs:
            if inp.kind == "activity":
                continue
            flow = x[k] * float(inp.amount)
            if abs(flow) > MAX_MAGNITUDE:
                problems.append(Problem(path, inp.line, inp.field + ".amount", (
                    f"this exchange amounts to {flow:.3g} {inp.unit} per functional unit ({x[k]:.3g} x "
                    f"{act.id} x {float(inp.amount):.3g} {inp.unit}), absurdly large; check the amounts that "
                    f"lead to {act.id}")))
    return problems[:20]


def _supply_problem(path: str, system, k: int, x, m, edges) -> Problem | None:
    """The problem of an activity needed too many times, named after its main consumer; None when
    that consumer is itself needed too many times (the problem is reported there, once)."""
    act = system.activities[k]
    into = [(x[i] * m[i, j], i, inp) for i, j, inp in edges if j == k]
    if into:
        _, i, inp = max(into, key=lambda t: t[0])
        if x[i] > MAX_SUPPLY:
            return None
        via = (f"mostly through {system.activities[i].id} ({x[i]:.3g} per functional unit) x "
               f"{float(inp.amount):.3g} {act.id} per unit of it")
        line, field = inp.line, inp.field + ".amount"
    else:
        via = f"its scale 1 / amortised_over is {float(act.scale):.3g}"
        line, field = None, f"systems.{system.key}.activities"
    return Problem(path, line, field, f"activity {act.id} is needed {x[k]:.3g} times per functional unit ({via}), "
                                      f"over {MAX_MAGNITUDE:g}; check the activity-to-activity amounts")


def _scalar(value) -> bool:
    """Whether an amount is one number (not Monte Carlo draws); plain floats without numpy's call."""
    return type(value) is float or np.ndim(value) == 0


def _all_scalar(acts) -> bool:
    """Whether every scale and input amount is one number: ``_scalar`` of each, in one loop
    (a generator per activity cost more than the check)."""
    for a in acts:
        if not _scalar(a.scale):
            return False
        for i in a.inputs:
            if type(i.amount) is not float and np.ndim(i.amount) != 0:
                return False
    return True


def not_applicable_problems(system, key: str, col: Collector) -> None:
    """A unit process declared not applicable while an activity of the system covers it."""
    for declared in system.not_applicable:
        stages = set(parse_unit_processes(declared))
        covering = [a for a in system.activities if stages & set(a.unit_processes)]
        if covering:
            names = ", ".join(a.id for a in covering[:5])
            col.add(("systems", key, "not_applicable", declared),
                    f"{declared} is declared not applicable, but activit{'y' if len(covering) == 1 else 'ies'} "
                    f"{names} cover{'s' if len(covering) == 1 else ''} it; remove the declaration, or the "
                    "activity's stage")
