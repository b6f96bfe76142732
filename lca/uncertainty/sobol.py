"""Sobol indices without SALib and scipy.stats: the same points, the same estimators, the same numbers.

``sobol_points(d, n, seed)`` is scipy's ``qmc.Sobol(d, scramble=True, seed=seed).random(n)``:
importing ``scipy.stats`` for it costs about a second of every Monte Carlo run, for a few numpy
lines. Joe and Kuo's direction numbers are read from scipy's own file; the sequence is scipy's
algorithm (Bratley and Fox's recurrence, Owen's linear matrix scrambling and a digital shift drawn
from ``default_rng(seed)`` in scipy's order, Gray-code order of the points), vectorised.
tests/test_sobol_estimator.py checks both against scipy and SALib.

SALib's ``sobol.analyze`` imports pandas and multiprocess (about a second of every Monte Carlo
run) for a few lines of numpy. These are those lines, for first and total order only, in SALib's
order of operations and with its bootstrap (``default_rng(seed).integers``; numpy's global
``randint`` when ``seed`` is 0 or None, as SALib), so that ``first_and_total`` gives what
``SALib.analyze.sobol.analyze(problem, y, calc_second_order=False, num_resamples, seed=seed)``
gives (tests/test_sobol_estimator.py compares them):

- first order (Saltelli et al. 2010): ``S1_j = mean(B (AB_j - A)) / var([A, B])``;
- total order (Jansen 1999, as Saltelli et al. 2010): ``ST_j = mean((A - AB_j)^2) / 2 var([A, B])``;
- confidence half-widths: ``z_(0.975) · std`` of the estimator over ``num_resamples`` bootstrap
  resamples of the base samples.

``y`` is normalised first (``(y - mean) / std``), as SALib does.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from scipy.special import ndtri

EPS = np.finfo(float).eps
BITS = 30  # scipy's default: points are multiples of 2**-30


def sobol_points(d: int, n: int, seed: int | None) -> np.ndarray:
    """``n`` scrambled Sobol points in ``[0, 1)^d``: scipy's ``qmc.Sobol(d, seed=seed).random(n)``."""
    poly, vinit = _direction_numbers()
    if not 0 < d <= len(poly):
        raise ValueError(f"a Sobol sequence has 1 to {len(poly)} dimensions, not {d}")
    if not 0 < n <= 2**BITS:
        raise ValueError(f"at most 2**{BITS} Sobol points, not {n}")
    v = _directions(poly[:d], vinit[:d])
    rng = np.random.default_rng(seed)
    shift = rng.integers(2, size=(d, BITS), dtype=np.uint32) @ (2 ** np.arange(BITS, dtype=np.uint32))
    ltm = np.tril(rng.integers(2, size=(d, BITS, BITS), dtype=np.uint32))
    v = _scrambled(v, ltm)
    k = np.arange(n, dtype=np.uint64)
    gray = k ^ (k >> np.uint64(1))
    quasi = np.broadcast_to(shift.astype(np.uint32), (n, d)).copy()
    for b in range(BITS):
        rows = ((gray >> np.uint64(b)) & np.uint64(1)).astype(bool)
        if rows.any():
            quasi[rows] ^= v[:, b]
    return quasi.astype(np.float64) * (1.0 / 2**BITS)


@lru_cache(maxsize=1)
def _direction_numbers() -> tuple[np.ndarray, np.ndarray]:
    """Joe and Kuo's primitive polynomials and initial direction numbers, as scipy ships them."""
    spec = find_spec("scipy")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("scipy is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "stats" / "_sobol_direction_numbers.npz"
    with np.load(path) as data:
        return data["poly"].astype(np.int64), data["vinit"].astype(np.int64)


def _directions(poly: np.ndarray, vinit: np.ndarray) -> np.ndarray:
    """``(d, BITS)`` direction numbers (Bratley and Fox 1988, section 2), scaled to ``BITS`` bits."""
    d = len(poly)
    v = np.zeros((d, BITS), dtype=np.int64)
    v[0] = 1
    degrees = np.array([int(p).bit_length() - 1 for p in poly])
    for m in np.unique(degrees[1:]):
        rows = np.flatnonzero(degrees == m)
        rows = rows[rows > 0]
        p = poly[rows]
        v[rows, :m] = vinit[rows, :m]
        for j in range(m, BITS):
            new = v[rows, j - m].copy()
            for k in range(m):
                taps = ((p >> (m - 1 - k)) & 1).astype(bool)
                new[taps] ^= (2 ** (k + 1)) * v[rows[taps], j - k - 1]
            v[rows, j] = new
    return (v * (2 ** np.arange(BITS - 1, -1, -1, dtype=np.int64))).astype(np.uint32)


def _scrambled(v: np.ndarray, ltm: np.ndarray) -> np.ndarray:
    """Owen's linear matrix scrambling of the direction numbers with lower triangular ``ltm``."""
    ltm = ltm.copy()
    index = np.arange(BITS)
    ltm[:, index, index] = 1
    rows = (ltm[:, :, ::-1].astype(np.uint64) << np.arange(BITS, dtype=np.uint64)).sum(axis=2)  # (d, BITS)
    bits = np.bitwise_count(rows[:, None, :] & v.astype(np.uint64)[:, :, None]) & 1  # (d, j, p)
    weights = np.uint64(1) << np.arange(BITS - 1, -1, -1, dtype=np.uint64)  # p = BITS-1 is the lowest bit
    return (bits.astype(np.uint64) * weights).sum(axis=2).astype(np.uint32)


def first_and_total(y: np.ndarray, d: int, num_resamples: int = 100, seed: int | None = None,
                    conf_level: float = 0.95) -> dict[str, np.ndarray]:
    """``{"S1", "S1_conf", "ST", "ST_conf"}`` (arrays of ``d``) of outputs ``y`` at Saltelli's points
    (per base sample: A, A with column j from B for each j, B; no second order)."""
    step = d + 2
    if y.size % step:
        raise ValueError(f"{y.size} outputs are not a whole number of Saltelli rows of {step}")
    n = y.size // step
    rng = np.random.default_rng(seed).integers if seed else np.random.randint
    y = (y - y.mean()) / y.std()
    a, b = y[0::step], y[step - 1::step]
    ab = np.empty((n, d))
    for j in range(d):
        ab[:, j] = y[j + 1::step]
    r = rng(n, size=(n, num_resamples))
    z = float(ndtri(0.5 + conf_level / 2))
    out = {key: np.zeros(d) for key in ("S1", "S1_conf", "ST", "ST_conf")}
    for j in range(d):
        out["S1"][j] = _first(a, ab[:, j], b)
        out["ST"][j] = _total(a, ab[:, j], b)
        if np.ptp(np.r_[a[r], b[r]]) != 0.0:
            out["S1_conf"][j] = z * _first(a[r], ab[r, j], b[r]).std(ddof=1)
            out["ST_conf"][j] = z * _total(a[r], ab[r, j], b[r]).std(ddof=1)
    return out


def _first(a: np.ndarray, ab: np.ndarray, b: np.ndarray):
    return _normalised(a, b, np.mean(b * (ab - a), axis=0))


def _total(a: np.ndarray, ab: np.ndarray, b: np.ndarray):
    return _normalised(a, b, 0.5 * np.mean((a - ab) ** 2, axis=0))


def _normalised(a: np.ndarray, b: np.ndarray, numerator):
    y = np.r_[a, b]
    if np.ptp(y) <= EPS:
        return np.zeros(y.shape[1:], dtype=np.float64)
    var = np.var(y, axis=0)
    return np.divide(numerator, var, out=np.zeros_like(var, dtype=np.float64), where=var > EPS)
