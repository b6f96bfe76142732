"""Brightway's uncertainty fields (stats_arrays) for a resolved distribution."""

from __future__ import annotations

import math

from lca.core.distribution import ResolvedUncertainty

# stats_arrays uncertainty type ids (the fields Brightway samples with use_distributions=True)
STATS_ARRAYS_TYPE = {"lognormal": 2, "normal": 3, "uniform": 4, "triangular": 5}


def stats_arrays_fields(dist: ResolvedUncertainty | None, amount: float, factor: float = 1.0) -> dict:
    """Brightway's uncertainty fields for an exchange of ``amount`` (already multiplied by ``factor``).

    ``factor`` scales the bounds the same way the amount was scaled (an activity consumed by
    another is written per unit of its output). The deterministic ``amount`` is not changed.
    Returns ``{}`` when Brightway cannot represent the distribution (discrete options, a
    lognormal of a zero amount).
    """
    if dist is None or dist.distribution not in STATS_ARRAYS_TYPE:
        return {}
    kind = dist.distribution
    fields: dict = {"uncertainty type": STATS_ARRAYS_TYPE[kind]}
    if kind == "lognormal":
        if amount == 0:
            return {}
        fields.update(loc=math.log(abs(amount)), scale=math.log(dist.need("gsd")), negative=amount < 0)
    elif kind == "normal":
        fields.update(loc=amount, scale=abs(dist.need("sd") * factor))
    else:
        lo, hi = sorted((dist.need("minimum") * factor, dist.need("maximum") * factor))
        fields.update(loc=amount, minimum=lo, maximum=hi)
    return fields
