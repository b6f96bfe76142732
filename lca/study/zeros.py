"""Declared zeros (``zero: {pe: "reason"}`` on an exchange or equipment), checked when resolving.

A declared zero says that the input rightly contributes nothing to a criterion; it silences the
zero findings of lca.balance.zeros. It must name a criterion of the method, and it must be true:
an input whose target reaches the criterion with a non-zero value per unit (a dataset's impact, a
dataset's characterised flow, a flow's characterisation factor) while its amount is not zero
contributes to it, and the declaration is refused, located at ``zero.<criterion>``, rather than
left to hide a number behind a false reason. An input to a Brightway activity of the user's own
project is not checked (its scores are only known after the run).
"""

from __future__ import annotations

import numpy as np

from lca.library.background import Library
from lca.study.amounts import Collector


def declared_zeros(declared: dict[str, str], loc: tuple, library: Library, col: Collector, kind: str | None = None,
                   target: str | None = None, amount=None) -> dict[str, str]:
    """The declared zeros (criterion -> reason) that name a criterion and that the input does not contradict."""
    out = {}
    for crit, reason in declared.items():
        if crit not in library.criteria:
            col.add(loc + ("zero", crit), f"unknown criterion {crit!r}; use one of {', '.join(library.criteria)}")
            continue
        reached = _reaches(library, kind, target, crit) if amount is not None and np.any(np.asarray(amount) != 0) \
            else None
        if reached is not None:
            col.add(loc + ("zero", crit), f"declared as contributing nothing to {crit}, but {reached}, so this input "
                                          f"contributes to {crit}; remove `{crit}` from `zero`")
            continue
        out[crit] = reason
    return out


def _reaches(library: Library, kind: str | None, target: str | None, crit: str) -> str | None:
    """What makes one unit of the target count on ``crit`` (a phrase), or None when nothing does."""
    unit = library.criteria[crit].unit
    if kind == "flow" and target is not None:
        factor = _factor(library, crit, target)
        if factor:
            flow = library.flows[target]
            return f"flow '{flow.name} ({', '.join(flow.categories)})' has a characterisation factor of {factor:g} {unit} per {flow.unit} on {crit}"
        return None
    if kind != "dataset" or target is None:
        return None
    ds, variant = library.dataset(target)
    value = library.impact(ds, variant, crit).amount
    if value:
        return f"dataset {target} has {value:g} {unit} per {ds.unit} on {crit}"
    flows = [library.flows[fa.flow].name for fa in ds.variants[variant].flows if _factor(library, crit, fa.flow)]
    if flows:
        return f"dataset {target} has flows characterised on {crit} ({'; '.join(dict.fromkeys(flows))})"
    return None


def _factor(library: Library, crit: str, flow: str) -> float:
    return sum(cf.factor for cf in library.factors.get(crit, []) if cf.flow == flow)
