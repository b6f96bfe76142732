"""Data-gap findings: a dataset the study uses has no data on a criterion (docs/findings.md, DATA_GAP)."""

from __future__ import annotations

from lca.balance.breakdown import criterion_source
from lca.library.background import Library
from lca.results import Finding
from lca.study import ResolvedStudy


def data_gap_findings(resolved: ResolvedStudy, library: Library) -> list[Finding]:
    """A used dataset with "no data" on a criterion: that criterion is underestimated, never zero."""
    out = []
    missing_of: dict[str, list[str]] = {}  # dataset ref -> criteria without data (each ref looked at once)
    for key, system in resolved.systems.items():
        for act in system.activities:
            for inp in act.inputs:
                if inp.kind != "dataset":
                    continue
                if inp.target not in missing_of:
                    ds, variant = library.dataset(inp.target)
                    missing_of[inp.target] = [c for c in library.criteria
                                              if criterion_source(library, ds, variant, c) is None]
                missing = missing_of[inp.target]
                if missing:
                    out.append(Finding(
                        "DATA_GAP", "minor", key,
                        f"{act.id}: dataset {inp.target} has no data for {', '.join(missing)}; "
                        f"these criteria are underestimated for this activity"))
    for ident, replaced in library.local.items():
        if replaced:
            out.append(Finding("DATASET_REPLACED", "info", None,
                               f"the study's own dataset {ident!r} replaces the library's dataset of that id "
                               f"({library.datasets[ident].name})"))
    return out
