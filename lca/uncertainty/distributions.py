"""The declared distributions as inverse cumulative distribution functions, and their Brightway form.

Every uncertain input is sampled by inverse transform: a quantile ``u`` in (0, 1) is mapped to a
value with :meth:`UncertainInput.ppf`. Monte Carlo draws the quantiles with numpy's ``Generator``
(one column per input, all iterations at once); Sobol analysis maps SALib's quasi-random
quantiles through the same functions, so both analyses see the same distributions.

Conventions (docs/uncertainty.md): a lognormal's value is its median and ``gsd`` its geometric
standard deviation; a normal's value is its mean; a triangle's value is its mode; ``discrete``
draws each named option with equal probability.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from lca.core.distribution import ResolvedUncertainty

# quantiles are kept away from 0 and 1, where normal and lognormal inverse CDFs are infinite
_EPS = 1e-12


@dataclass(frozen=True)
class UncertainInput:
    """One declared uncertain input: what it is, its deterministic value and its distribution.

    ``name`` is stable and unique (``parameter:n_inferences``, ``exchange:systems.ai.activities[0]
    .exchanges[1]``, ``background:electricity.fr@owid-2023:gwp``, ``variants:gpu.nvidia-a100-40gb``);
    ``label`` is for people. ``base`` and every drawn value are in ``unit``; for a drawn dataset
    variant the value is the index of the variant in ``dist.option_names`` (base -1: the variant
    each exchange names).
    """

    name: str
    label: str
    kind: str  # parameter | exchange | background | variants | effect (a higher-order effect's own draw)
    base: float
    unit: str
    dist: ResolvedUncertainty
    cell: tuple = ()  # background values: the Brightway (flow, node) cell the value sits in

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Values at quantiles ``u`` (array in [0, 1]), in ``unit``."""
        return ppf(self.dist, self.base, u)

    def low_high(self) -> tuple[float, float]:
        """The ends of the range a one-at-a-time analysis swings this input over (2.5 % / 97.5 %).

        For named options: the smallest and largest option.
        """
        if self.dist.distribution == "discrete":
            values = self.ppf(np.linspace(0, 1, 2 * len(self.dist.options) + 1)[1::2])
            return float(np.min(values)), float(np.max(values))
        low, high = self.ppf(np.array([0.025, 0.975]))
        return float(low), float(high)


def ppf(dist: ResolvedUncertainty, base: float, u: np.ndarray) -> np.ndarray:
    """The inverse CDF of ``dist`` centred on ``base`` (median, mean or mode), at quantiles ``u``."""
    u = np.clip(np.asarray(u, dtype=float), _EPS, 1 - _EPS)
    kind = dist.distribution
    if kind == "lognormal":
        return base * np.exp(math.log(dist.need("gsd")) * ndtri(u))
    if kind == "normal":
        return base + dist.need("sd") * ndtri(u)
    if kind == "uniform":
        low, high = dist.need("minimum"), dist.need("maximum")
        return low + (high - low) * u
    if kind == "triangular":
        return triangular_ppf(dist.need("minimum"), base, dist.need("maximum"), u)
    if kind == "discrete":
        index = np.minimum((u * len(dist.options)).astype(int), len(dist.options) - 1)
        return np.asarray(dist.options, dtype=float)[index]
    raise ValueError(f"unknown distribution {kind!r}")


def triangular_ppf(a: float, mode: float, b: float, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of the triangle (a, mode, b) at quantiles ``u``."""
    if b == a:
        return np.full_like(u, a, dtype=float)
    c = (mode - a) / (b - a)
    left = a + np.sqrt(u * (b - a) * (mode - a))
    right = b - np.sqrt((1 - u) * (b - a) * (b - mode))
    return np.where(u < c, left, right)


def has_spread(dist: ResolvedUncertainty) -> bool:
    """False for distributions that always give the same value (gsd 1, sd 0, min = max, one option)."""
    kind = dist.distribution
    if kind == "lognormal":
        return dist.need("gsd") > 1
    if kind == "normal":
        return bool(dist.need("sd") > 0)
    if kind == "discrete":
        return len(set(dist.options)) > 1
    return bool(dist.need("maximum") > dist.need("minimum"))
