"""The ``equivalents`` JSON section: a system's total divided by a sourced reference amount."""

from __future__ import annotations

from lca.results import StudyResult
from lca.study import ResolvedStudy


def equivalents_section(result: StudyResult, resolved: ResolvedStudy) -> list[dict]:
    """One row per declared equivalent: ``value = total / per`` in ``unit`` (e.g. years)."""
    rows = []
    for eq in resolved.equivalents:
        total = result.systems[eq.system].total[eq.criterion]
        crit_unit = result.criteria[eq.criterion].unit
        rows.append({
            "name": eq.name, "system": eq.system, "criterion": eq.criterion, "total": total,
            "per": eq.per, "per_unit": f"{crit_unit}/{eq.unit}" if eq.unit else crit_unit,
            "value": total / eq.per, "unit": eq.unit, "source": eq.source,
        })
    return rows
