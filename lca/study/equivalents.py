"""Equivalents: a system's total on one criterion expressed as multiples of a sourced amount.

``equivalents: [{name: person-years of the average footprint, criterion: gwp, per: "5.7 tCO2e/year"}]``
gives ``total / per``: 5,140,036 tCO2e / (5.7 tCO2e/year) = 901,760 years. ``per`` is read in the
criterion's unit per something (here per year), which is the unit of the equivalent.
"""

from __future__ import annotations

from lca.core import units
from lca.library.background import Library
from lca.study.amounts import Collector
from lca.study.model import LoadedStudy, ResolvedEquivalent


def resolve_equivalents(loaded: LoadedStudy, library: Library, params: dict,
                        col: Collector) -> tuple[ResolvedEquivalent, ...]:
    """Every declared equivalent with ``per`` in the criterion's unit per its own unit."""
    out = []
    systems = loaded.model.systems
    for i, eq in enumerate(loaded.model.equivalents):
        loc = ("equivalents", i)
        if eq.criterion not in library.criteria:
            col.add(loc + ("criterion",), f"unknown criterion {eq.criterion!r}; use one of {', '.join(library.criteria)}")
            continue
        if getattr(systems, eq.system) is None:
            col.add(loc + ("system",), f"the study has no {eq.system} system")
            continue
        crit_unit = library.criteria[eq.criterion].unit
        try:
            per = units.parse_quantity(eq.per, params)
            rest = (per / units.Quantity(1, crit_unit)).to_reduced_units()
            unit = "" if rest.dimensionless else f"{(1 / rest).units}"
            value = float(units.convert(per, f"{crit_unit} / ({unit or 'dimensionless'})"))
        except (units.UnitError, ZeroDivisionError, TypeError, ValueError) as exc:
            col.add(loc + ("per",), f"{exc}; give an amount of {crit_unit} (per something), e.g. \"5.7 t{crit_unit[2:] if crit_unit.startswith('kg') else crit_unit}/year\"")
            continue
        if not value > 0:
            col.add(loc + ("per",), "an equivalent must be greater than zero")
            continue
        out.append(ResolvedEquivalent(eq.name, eq.criterion, eq.system, value, unit, eq.source or eq.assumption))
    return tuple(out)
