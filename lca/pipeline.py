"""The pipeline, top to bottom: load → validate → build → compute → assess → (grade → render).

Each step returns a value; none mutates a shared one.
"""

from __future__ import annotations

import platform
from dataclasses import replace
from pathlib import Path

from lca.balance.breakdown import criteria_info, dataset_table, net_balance, system_results
from lca.balance.datagaps import data_gap_findings
from lca.balance.equivalents import equivalents_section
from lca.balance.energy import energy_section
from lca.balance.materials import with_raw_materials
from lca.balance.zeros import zero_findings
from lca.engine import compute_study
from lca.library.background import Library, load_library
from lca.results import StudyResult
from lca.review import check_claim, review
from lca.study import LoadedStudy, load_study, parameter_table, resolve
from lca.uncertainty.step import with_uncertainty


def assess(study: str | Path | LoadedStudy, *, data_dir: str | Path | None = None,
           library: Library | None = None, overrides: dict | None = None,
           iterations: int = 0, seed: int | None = None, progress=None) -> StudyResult:
    """Assess a study file: the AI solution, its reference, the net balance and the findings.

    ``overrides`` maps parameter names to values (pint quantities or plain numbers) that replace
    the study's own, for scenarios. ``iterations > 0`` adds a Monte Carlo of both systems with
    shared draws (reproducible for ``seed``) and a sensitivity analysis; a declared ``break_even``
    is always scanned (docs/uncertainty.md). ``progress(k)`` is called as iterations complete.
    Raises ``InputError`` (every located problem) on bad input.
    """
    library = library or load_library()
    loaded = study if isinstance(study, LoadedStudy) else load_study(study)
    resolved = resolve(loaded, library, overrides)
    library = resolved.library  # the library plus the study's own datasets (lca.study.local)
    check_claim(loaded, library)
    computed = compute_study(resolved, library, data_dir)
    systems = system_results(resolved, computed, library)
    info = loaded.model.study
    result = StudyResult(
        study={
            "id": info.id, "name": info.name, "description": info.description,
            "functional_unit": info.functional_unit.model_dump(),
        },
        criteria=criteria_info(library),
        systems=systems,
        net=net_balance(systems),
        findings=(*data_gap_findings(resolved, library), *zero_findings(resolved, systems, library)),
        datasets=dataset_table(resolved, computed, library),
        provenance={
            "study_file": Path(loaded.path).name,
            "study_sha256": loaded.sha256,
            "background_sha256": library.fingerprint,
            "ai_lca": version(),
            **computed.versions,
            "python": platform.python_version(),
            "brightway_project": computed.project,
            "study_datasets": sorted(library.local),  # study-local datasets (covered by study_sha256)
        },
        extras={"parameters": parameter_table(loaded, resolved.parameters, library),
                "energy": energy_section(systems)},
    )
    if resolved.equivalents:
        result = replace(result, extras={**result.extras, "equivalents": equivalents_section(result, resolved)})
    result = with_raw_materials(result, library)  # raw materials in years of world production
    result = with_uncertainty(result, loaded, library, iterations, seed, data_dir, resolved, progress, overrides)
    return review(result, loaded)  # grade the claim, ITU completeness, verdict


def validate(path: str | Path, library: Library | None = None) -> LoadedStudy:
    """Load and fully check a study without computing it; raise InputError on problems."""
    library = library or load_library()
    loaded = load_study(path)
    resolve(loaded, library)
    check_claim(loaded, library)
    return loaded



def version() -> str:
    """The installed ai-lca version."""
    from lca import __version__

    return __version__
