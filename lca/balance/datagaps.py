"""Data-gap findings: a dataset the study uses has no data on a criterion (docs/findings.md, DATA_GAP)."""

from __future__ import annotations

from lca.balance.breakdown import criterion_source
from lca.library.background import Library
from lca.results import Finding
from lca.study import ResolvedStudy

NAMED = 10  # activities named in one finding; the others counted


def data_gap_findings(resolved: ResolvedStudy, library: Library) -> list[Finding]:
    """A used dataset with "no data" on a criterion: that criterion is underestimated, never zero.

    One finding per system and dataset, naming the activities that use it (a study of 100,000
    activities on one grid dataset has one finding, not 100,000 identical ones).
    """
    out = []
    missing_of: dict[str, list[str]] = {}  # dataset ref -> criteria without data (each ref looked at once)
    for key, system in resolved.systems.items():
        users: dict[str, dict[str, None]] = {}  # dataset ref -> the activities using it, in study order
        for act in system.activities:
            for inp in act.inputs:
                if inp.kind != "dataset":
                    continue
                if inp.target not in missing_of:
                    ds, variant = library.dataset(inp.target)
                    missing_of[inp.target] = [c for c in library.criteria
                                              if criterion_source(library, ds, variant, c) is None]
                if missing_of[inp.target]:
                    users.setdefault(inp.target, {})[act.id] = None
        out += [_gap(key, ref, list(acts), missing_of[ref]) for ref, acts in users.items()]
    for ident, replaced in library.local.items():
        if replaced:
            out.append(Finding("DATASET_REPLACED", "info", None,
                               f"the study's own dataset {ident!r} replaces the library's dataset of that id "
                               f"({library.datasets[ident].name})"))
    return out


def _gap(system: str, ref: str, activities: list[str], missing: list[str]) -> Finding:
    """``a0, a1: dataset X has no data for pe; …`` (past NAMED activities, ``… and 9,990 more``)."""
    names = ", ".join(activities[:NAMED])
    if len(activities) > NAMED:
        names += f" and {len(activities) - NAMED:,} more"
    whom = "this activity" if len(activities) == 1 else f"these {len(activities):,} activities"
    return Finding("DATA_GAP", "minor", system,
                   f"{names}: dataset {ref} has no data for {', '.join(missing)}; "
                   f"these criteria are underestimated for {whom}")
