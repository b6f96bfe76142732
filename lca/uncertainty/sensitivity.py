"""Which uncertain inputs drive the net result: Sobol indices and a one-at-a-time tornado.

Both work on a vectorised function ``evaluate(values, n) -> (n, criteria)`` (for a study: the
net per criterion, or the AI system's score for a footprint-only study) over the declared
:class:`~lca.uncertainty.distributions.UncertainInput` list.

- Sobol: SALib's Saltelli points of scipy's scrambled Sobol sequence of quantiles in [0, 1] per input, mapped through each
  input's inverse CDF (the same distributions as the Monte Carlo), ``N (D + 2)`` evaluations;
  first-order ``S1`` (the share of the variance an input explains alone) and total ``ST``
  (including its interactions), with bootstrap 95 % confidence half-widths: SALib's estimators,
  and scipy's sequence re-implemented in :mod:`lca.uncertainty.sobol` (same numbers, without
  importing SALib, pandas and scipy.stats).
- Tornado: every input alone at its 2.5 % and 97.5 % quantiles (for named options: the option
  giving the lowest and the highest net), the others at their deterministic values; rows sorted
  by swing ``|high - low|``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np

from lca.uncertainty.distributions import UncertainInput

Evaluate = Callable[[dict[str, np.ndarray], int], np.ndarray]


SOBOL_BLOCK_BYTES = 64 * 2**20  # quantiles of the Sobol points evaluated together


def sobol_indices(inputs: list[UncertainInput], evaluate: Evaluate, criteria: list[str], n_base: int,
                  seed: int, block_bytes: int = SOBOL_BLOCK_BYTES) -> dict[str, list[dict]]:
    """Sobol indices of every input, per criterion: ``[{name, label, S1, S1_conf, ST, ST_conf}]``.

    ``n_base`` is rounded up to a power of two (SALib's Sobol sequence needs one). A criterion
    whose output does not vary gets indices of 0. The ``N (D + 2)`` points are SALib's own
    (same sequence, same order) but built and evaluated in blocks of at most ``block_bytes`` of
    quantiles, so that memory stays bounded whatever the number of inputs; only the outputs
    (``N (D + 2)`` per criterion) are kept.
    """
    from lca.uncertainty.sobol import first_and_total, sobol_points

    if not inputs:
        return {c: [] for c in criteria}
    n_base = 2 ** max(1, math.ceil(math.log2(max(2, n_base))))
    d = len(inputs)
    base = sobol_points(2 * d, n_base, seed)  # scipy's qmc.Sobol, as SALib's sobol.sample
    outputs = np.empty((n_base * (d + 2), len(criteria)))
    block = max(1, block_bytes // (8 * (d + 2) * d))  # base samples per block
    for start in range(0, n_base, block):
        stop = min(n_base, start + block)
        quantiles = saltelli_rows(base[start:stop], d)
        values = {inp.name: inp.ppf(quantiles[:, j]) for j, inp in enumerate(inputs)}
        del quantiles
        outputs[start * (d + 2): stop * (d + 2)] = evaluate(values, (stop - start) * (d + 2))
    out: dict[str, list[dict]] = {}
    for k, crit in enumerate(criteria):
        y = outputs[:, k]
        spread = float(np.std(y))
        if not spread > 1e-12 * max(1.0, float(np.max(np.abs(y)))):
            out[crit] = [_row(inp, 0.0, 0.0, 0.0, 0.0) for inp in inputs]
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            si = first_and_total(y, d, num_resamples=100, seed=seed)  # SALib's estimators (lca.uncertainty.sobol)
        out[crit] = [_row(inp, si["S1"][j], si["S1_conf"][j], si["ST"][j], si["ST_conf"][j])
                     for j, inp in enumerate(inputs)]
    return out


def saltelli_rows(base: np.ndarray, d: int) -> np.ndarray:
    """Saltelli's points of some base samples (SALib's order, no second order): ``len(base) (d + 2)`` x d.

    Per base sample: the row A, then A with column j taken from B for each j, then the row B.
    """
    k = len(base)
    a, b = base[:, :d], base[:, d:]
    rows = np.empty((k, d + 2, d))
    rows[:, 0] = a
    rows[:, 1:d + 1] = a[:, None, :]
    j = np.arange(d)
    rows[:, 1 + j, j] = b
    rows[:, d + 1] = b
    return rows.reshape(k * (d + 2), d)


def _row(inp: UncertainInput, s1, s1_conf, st, st_conf) -> dict:
    def clean(x) -> float | None:
        return float(x) if np.isfinite(x) else None

    return {"name": inp.name, "label": inp.label, "S1": clean(s1), "S1_conf": clean(s1_conf),
            "ST": clean(st), "ST_conf": clean(st_conf)}


def tornado(inputs: list[UncertainInput], evaluate: Evaluate, criteria: list[str]) -> dict[str, list[dict]]:
    """One-at-a-time swings per criterion, largest first: ``[{name, label, low, high, swing, ...}]``.

    ``low``/``high`` are the outputs with the input at ``low_value``/``high_value`` (its 2.5 % and
    97.5 % quantiles; for named options, the options giving the lowest and highest output, named
    in ``low_option``/``high_option``).
    """
    if not inputs:
        return {c: [] for c in criteria}
    base = {i.name: np.float64(i.base) for i in inputs}
    cases: list[tuple[int, float]] = []  # (input index, value)
    for j, inp in enumerate(inputs):
        if inp.dist.distribution == "discrete":
            cases += [(j, float(v)) for v in inp.dist.options]
        else:
            cases += [(j, v) for v in inp.low_high()]
    n = len(cases)
    values = {name: np.full(n, b) for name, b in base.items()}
    for row, (j, v) in enumerate(cases):
        values[inputs[j].name][row] = v
    outputs = evaluate(values, n)  # (n, criteria)
    out: dict[str, list[dict]] = {}
    for k, crit in enumerate(criteria):
        rows: list[dict] = []
        for j, inp in enumerate(inputs):
            mine = [(v, outputs[r, k]) for r, (jj, v) in enumerate(cases) if jj == j]
            if inp.dist.distribution == "discrete":
                (lo_v, lo), (hi_v, hi) = min(mine, key=lambda t: t[1]), max(mine, key=lambda t: t[1])
            else:
                (lo_v, lo), (hi_v, hi) = mine[0], mine[1]
            entry: dict = {"name": inp.name, "label": inp.label, "low": float(lo), "high": float(hi),
                   "swing": float(abs(hi - lo)), "low_value": lo_v, "high_value": hi_v, "unit": inp.unit}
            if inp.dist.option_names:
                names = inp.dist.option_names
                if inp.kind == "variants":
                    entry["low_option"], entry["high_option"] = names[int(lo_v)], names[int(hi_v)]
                else:
                    entry["low_option"] = names[list(inp.dist.options).index(lo_v)]
                    entry["high_option"] = names[list(inp.dist.options).index(hi_v)]
            rows.append(entry)
        out[crit] = sorted(rows, key=lambda r: -r["swing"])
    return out


def drivers(rows: list[dict], threshold: float = 0.1) -> list[tuple[str, float]]:
    """``(label, ST)`` of the inputs whose total Sobol index is at least ``threshold``, largest first.

    ``rows`` is one criterion's list of the ``sensitivity`` section.
    """
    found = [(r["label"], r["ST"]) for r in rows if r.get("ST") is not None and r["ST"] >= threshold]
    return sorted(found, key=lambda t: -t[1])
