"""The AI service at scale: functional units per year, fixed costs per event, yearly and cumulative
net, break-even year and break-even scale (docs/methodology.md, "Deployment").

Symbols (per criterion k; years t = 1..H):

- ``N_t``: functional units served in year t (``units_per_year``, or an adoption curve);
- ``F_t``: fixed costs paid in year t: the sum of the events of that year, one event of fixed
  cost e being ``m_e x`` the inventory of one use of its activities (their share per functional
  unit divided by their ``1 / amortised_over``);
- ``n_u``: net per functional unit without the fixed activities (AI per-unit costs minus the gain),
  plus the higher-order effects ``E`` per functional unit when they are counted;
- ``net_t = F_t + N_t n_u``; cumulative ``C_t = sum of net_tau for tau <= t``;
- break-even year: the first t with ``C_t < 0``; break-even scale: the constant ``N*`` per year
  with ``C_H = 0``, that is ``N* = F_H / (H (-n_u))`` where ``F_H`` is every fixed cost of the horizon
  (only when ``n_u < 0``: otherwise no scale pays the fixed costs back).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def linear_adoption(first: float, last: float, horizon: int) -> list[float]:
    """Functional units per year from ``first`` (year 1) to ``last`` (year H), on a straight line."""
    if horizon == 1:
        return [float(first)]
    step = (last - first) / (horizon - 1)
    return [first + step * t for t in range(horizon)]


def logistic_adoption(saturation: float, midpoint: float, rate: float, horizon: int) -> list[float]:
    """``N_t = saturation / (1 + exp(-rate (t - midpoint)))`` for t = 1..H (units per year)."""
    return [saturation / (1.0 + math.exp(-rate * (t - midpoint))) for t in range(1, horizon + 1)]


def event_years(first: int, every: int | None, horizon: int) -> list[int]:
    """Years of a fixed cost's events: ``first``, then every ``every`` years up to the horizon."""
    if every is None:
        return [first] if first <= horizon else []
    return list(range(first, horizon + 1, every))


def fixed_per_year(events: Sequence[tuple[Sequence[int], float]], horizon: int) -> list[float]:
    """``F_t`` for t = 1..H from ``(years, cost of one event)`` pairs (one criterion)."""
    out = [0.0] * horizon
    for years, cost in events:
        for t in years:
            out[t - 1] += cost
    return out


def yearly_net(fixed: Sequence[float], units: Sequence[float], net_per_unit: float) -> list[float]:
    """``net_t = F_t + N_t n_u`` (criterion unit per year)."""
    return [f + n * net_per_unit for f, n in zip(fixed, units)]


def cumulative(values: Sequence[float]) -> list[float]:
    """``C_t``: running sums."""
    out, total = [], 0.0
    for v in values:
        total += v
        out.append(total)
    return out


def break_even_year(cumulative_net: Sequence[float]) -> int | None:
    """The first year (1-based) whose cumulative net is below zero; None if none in the horizon."""
    return next((t for t, c in enumerate(cumulative_net, start=1) if c < 0), None)


def break_even_scale(fixed_total: float, net_per_unit: float, horizon: int) -> float | None:
    """``N* = F_H / (H (-n_u))``: the constant units per year at which ``C_H = 0``.

    None when ``n_u >= 0`` (each unit adds impact: no scale pays the fixed costs back); 0 when
    there are no fixed costs and each unit gains.
    """
    if net_per_unit >= 0:
        return None
    return max(fixed_total, 0.0) / (horizon * -net_per_unit)


def scale_series(fixed: Sequence[float], units: Sequence[float], net_per_unit: float) -> dict:
    """Per year, cumulative, break-even year, the horizon's total and its value per functional unit."""
    per_year = yearly_net(fixed, units, net_per_unit)
    cum = cumulative(per_year)
    served = sum(units)
    horizon = len(units)
    return {
        "per_year": per_year, "cumulative": cum, "break_even_year": break_even_year(cum),
        "at_horizon": cum[-1], "per_functional_unit": cum[-1] / served if served > 0 else None,
        "break_even_scale": break_even_scale(sum(fixed), net_per_unit, horizon),
        "net_per_unit": net_per_unit,
    }
