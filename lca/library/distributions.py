"""Distributions declared on background values (inventories/background), in Brightway's units.

A dataset's impact value (``impacts.gwp: {value: "150 kgCO2e", uncertainty: {...}}``) and a
dataset's direct flow amount can carry a distribution; its bounds are converted here exactly like
the value itself (to the criterion's unit per unit of the dataset, or to the flow's unit).
"""

from __future__ import annotations

from lca.core import units
from lca.library.background import Dataset, FlowAmount, Library
from lca.core.errors import InputError, Problem
from lca.core.distribution import ResolvedUncertainty


def _convert(text, target: str, per_unit: str | None) -> float:
    q = units.parse_quantity(text)
    try:
        return float(units.convert(q, target))
    except units.UnitError:
        if per_unit is None:
            raise
        return float(units.convert(q * units.Quantity(1, per_unit), target))


def _resolved(unc, target: str, per_unit: str | None, where: tuple[str, str]) -> ResolvedUncertainty:
    try:
        bounds = {n: _convert(getattr(unc, n), target, per_unit)
                  for n in ("sd", "min", "max") if getattr(unc, n) is not None}
    except units.UnitError as exc:
        raise InputError([Problem(where[0], None, where[1], f"{exc}; write it in {target}")]) from None
    return ResolvedUncertainty(unc.distribution, unc.gsd, bounds.get("sd"), bounds.get("min"), bounds.get("max"))


def impact_distribution(library: Library, ds: Dataset, variant: str, criterion: str) -> ResolvedUncertainty | None:
    """The distribution of a dataset's impact on ``criterion``, in the criterion's unit per dataset unit."""
    value = ds.variants[variant].impacts.get(criterion)
    if value is None or isinstance(value, str) or value.uncertainty is None:  # a str is NO_DATA
        return None
    where = (library.dataset_files.get(ds.id, "inventories/background"),
             f"{ds.id}.variants.{variant}.impacts.{criterion}.uncertainty")
    return _resolved(value.uncertainty, library.criteria[criterion].unit, ds.unit, where)


def flow_distribution(library: Library, ds: Dataset, variant: str, index: int, fa: FlowAmount) -> ResolvedUncertainty | None:
    """The distribution of a dataset's direct flow amount, in the flow's unit."""
    if fa.uncertainty is None:
        return None
    where = (library.dataset_files.get(ds.id, "inventories/background"),
             f"{ds.id}.variants.{variant}.flows[{index}].uncertainty")
    return _resolved(fa.uncertainty, library.flows[fa.flow].unit, None, where)
