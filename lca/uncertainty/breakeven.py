"""Break-even of a scale parameter: the value at which the net balance crosses zero, per criterion.

The study declares ``break_even: {parameter: n_inferences, range: ["1e3", "1e9"]}``. The net
(AI minus reference, every other input at its deterministic value) is evaluated on a grid over the
range (logarithmic when the range is positive and spans two decades or more, linear otherwise),
then every sign change is refined by zooming: each round samples every bracket on a fine grid
at once (one vectorised evaluation per round instead of one per bisection step). A criterion whose
net keeps one sign over the whole range gets ``value: null`` and a "never within [range]" text.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

GRID_POINTS = 257
ZOOM_POINTS = 257  # each refinement round samples a bracket at 257 points: 256 times narrower
ZOOM_ROUNDS = 6  # (range/256) / 256**6: about 1e-17 of the range, at float precision

NetOf = Callable[[np.ndarray], np.ndarray]  # parameter values (n,) -> net (n, criteria)


def scan_grid(low: float, high: float, points: int = GRID_POINTS) -> np.ndarray:
    if low > 0 and high / low >= 100:
        return np.geomspace(low, high, points)
    return np.linspace(low, high, points)


def find_crossings(net_of: NetOf, low: float, high: float, n_criteria: int) -> list[list[float]]:
    """Parameter values where the net changes sign, per criterion (sorted, possibly empty)."""
    grid = scan_grid(low, high)
    net = net_of(grid)
    crossings: list[list[float]] = [[] for _ in range(n_criteria)]
    brackets = []  # (criterion, a, b, sign at a)
    for k in range(n_criteria):
        y = net[:, k]
        crossings[k].extend(float(grid[i]) for i in _zero_crossings(y))
        for i in range(len(grid) - 1):
            if y[i] * y[i + 1] < 0:
                brackets.append((k, grid[i], grid[i + 1], np.sign(y[i])))
    if brackets:
        crit = np.array([b[0] for b in brackets])
        a = np.array([b[1] for b in brackets], dtype=float)
        b = np.array([b[2] for b in brackets], dtype=float)
        sign_a = np.array([b[3] for b in brackets])
        rows = np.arange(len(brackets))
        t = np.linspace(0.0, 1.0, ZOOM_POINTS)
        for _ in range(ZOOM_ROUNDS):  # every bracket zoomed together: one evaluation per round
            points = a[:, None] + (b - a)[:, None] * t[None, :]
            y = net_of(points.ravel()).reshape(len(rows), ZOOM_POINTS, -1)[rows, :, crit]
            first = np.argmax(np.sign(y) != sign_a[:, None], axis=1)  # first point past the crossing
            first = np.clip(first, 1, ZOOM_POINTS - 1)
            a, b = points[rows, first - 1], points[rows, first]
        for k, value in zip(crit, (a + b) / 2):
            crossings[int(k)].append(float(value))
    return [sorted(c) for c in crossings]


def _zero_crossings(y: np.ndarray) -> list[int]:
    """Grid points where the net is exactly zero and changes sign across (or meets an end of the
    range from one sign): a net that is zero everywhere, or only touches zero, crosses nothing."""
    found = []
    i, n = 0, len(y)
    while i < n:
        if y[i] != 0:
            i += 1
            continue
        j = i
        while j + 1 < n and y[j + 1] == 0:
            j += 1
        before = np.sign(y[i - 1]) if i > 0 else 0.0
        after = np.sign(y[j + 1]) if j + 1 < n else 0.0
        if before * after < 0 or (before == 0) != (after == 0):
            found.append(j if before == 0 else i)
        i = j + 1
    return found


def break_even_section(net_of: NetOf, parameter: str, unit: str, low: float, high: float, base: float,
                       criteria: list[str], base_net: dict[str, float]) -> dict:
    """The ``break_even`` JSON section: per criterion the crossing value(s), or ``never``.

    ``net_of`` evaluates the net at parameter values (in ``unit``); ``base`` is the study's own value.
    """
    ends = net_of(np.array([low, high]))
    in_unit = f" {unit}" if unit else ""
    crossings = find_crossings(net_of, low, high, len(criteria))
    out: dict = {"parameter": {"name": parameter, "unit": unit, "range": [low, high], "base": base}}
    for k, crit in enumerate(criteria):
        at_low, at_high = float(ends[0, k]), float(ends[1, k])
        found = crossings[k]
        row: dict[str, object] = {"value": found[0] if found else None, "crossings": found,
               "net_at_min": at_low, "net_at_max": at_high, "net_at_base": base_net.get(crit)}
        if found:
            side = "above" if at_high < 0 else "below"
            row["benefit_when"] = side
            values = ", ".join(f"{v:.4g}" for v in found)
            row["text"] = (f"net crosses zero at {parameter} = {values}{in_unit}; "
                           f"the AI solution is better {side} it")
        else:
            sign = "a gain (net < 0)" if at_low < 0 else ("a loss (net > 0)" if at_low > 0 else "zero")
            row["benefit_when"] = "always" if at_low < 0 else "never"
            row["text"] = f"never within [{low:.4g}, {high:.4g}]{in_unit}: the net stays {sign}"
        out[crit] = row
    return out
