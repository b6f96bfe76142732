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
from lca.balance.user_sources import user_datasets, user_findings, user_provenance
from lca.balance.zeros import zero_findings
from lca.effects import effects_model, with_effects
from lca.engine import compute_study
from lca.engine.user_background import with_user_background
from lca.library.background import Library, load_library
from lca.results import StudyResult
from lca.review import check_claim, review
from lca.review.scenarios import scenario_row, with_scenarios
from lca.study import LoadedStudy, load_study, parameter_table, resolve, run_inputs
from lca.study.pedigree import check_data_quality
from lca.uncertainty.pedigree_step import with_pedigree_uncertainty
from lca.uncertainty.step import with_uncertainty


def assess(study: str | Path | LoadedStudy, *, data_dir: str | Path | None = None,
           library: Library | None = None, overrides: dict | None = None,
           iterations: int = 0, seed: int | None = None, progress=None,
           scenario: str | None = None, variants: dict[str, str] | None = None, brightway=None,
           pedigree_uncertainty: bool = False) -> StudyResult:
    """Assess a study file: the AI solution, its reference, the net balance and the findings.

    ``scenario`` runs one of the study's ``scenarios``; ``overrides`` maps parameter names to
    values (pint quantities, plain numbers or amount texts such as ``"1287 MWh"``) and
    ``variants`` dataset ids to variants, on top of it (``lca run --set/--variant``). Without
    ``scenario``, every declared scenario is computed too and shown side by side (``scenarios``
    section). ``iterations > 0`` adds a Monte Carlo of both systems with shared draws
    (reproducible for ``seed``) and a sensitivity analysis; a declared ``break_even`` is always
    scanned (docs/uncertainty.md). ``progress(k)`` is called as iterations complete.
    ``brightway`` (``lca.engine.user_background.BrightwayOptions``) names the user's own Brightway
    project and methods, over the study's ``background`` (docs/own-brightway.md).
    ``pedigree_uncertainty`` turns the study's pedigree scores into lognormal spreads for the
    Monte Carlo (lca.study.pedigree; off by default).
    Raises ``InputError`` (every located problem) on bad input.
    """
    library = library or load_library()
    loaded = study if isinstance(study, LoadedStudy) else load_study(study)
    if iterations > 0 and seed is None:  # fixed now: the user's Brightway draws are seeded from it too
        from lca.uncertainty.montecarlo import new_seed

        seed = new_seed()
    loaded, library = with_user_background(loaded, library, brightway, iterations=iterations, seed=seed,
                                           data_dir=data_dir)
    base = resolve(loaded, library)  # every problem of the file, scenarios included
    library = base.library or library  # the library plus the study's own datasets (lca.study.local)
    check_claim(loaded, library)
    check_data_quality(loaded, library)
    run, values = run_inputs(loaded, library, base.parameters, scenario, overrides, variants)
    resolved = base if run is loaded and not values else resolve(run, library, values)
    effects = effects_model(run, resolved, library, values)  # deployment and higher-order effects, or None
    result, matrices = _deterministic(run, resolved, library, data_dir)
    result = with_raw_materials(result, library)  # raw materials in years of world production
    if pedigree_uncertainty:  # the study with its pedigree spreads: another foreground, its own matrices
        result = with_pedigree_uncertainty(result, run, library, iterations, seed, data_dir, resolved, progress,
                                           values, effects, effects_builder=effects_model)
    else:
        result = with_uncertainty(result, run, library, iterations, seed, data_dir, resolved, progress, values,
                                  effects, matrices=matrices)  # the deterministic run's matrices: no second MultiLCA
    result = review(result, run)  # grade the claim, ITU completeness, verdict
    result = with_effects(result, run, effects)  # at scale, and after rebound and the other higher-order effects
    if scenario is None and loaded.model.scenarios:
        rows = {name: scenario_row(_scenario(loaded, library, base, name, overrides, variants, data_dir))
                for name in loaded.model.scenarios}
        result = with_scenarios(result, loaded, rows, values, variants)
    return result


def _scenario(loaded: LoadedStudy, library: Library, base, name: str, overrides, variants, data_dir) -> StudyResult:
    """One declared scenario, deterministic and reviewed (the command line's values on top)."""
    run, values = run_inputs(loaded, library, base.parameters, name, overrides, variants)
    return review(_deterministic(run, resolve(run, library, values), library, data_dir)[0], run)


def _deterministic(loaded: LoadedStudy, resolved, library: Library, data_dir):
    """Compute both systems in Brightway: totals, breakdowns, net, final energy and data-gap findings.

    Returns ``(result, matrices)``: the Brightway matrices are reused by the uncertainty step.
    """
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
        findings=(*data_gap_findings(resolved, library), *zero_findings(resolved, systems, library),
                  *user_findings(resolved)),
        datasets={**dataset_table(resolved, computed, library), **user_datasets(resolved, library)},
        provenance={
            "study_file": Path(loaded.path).name,
            "study_sha256": loaded.sha256,
            "background_sha256": library.fingerprint,
            "ai_lca": version(),
            **computed.versions,
            "python": platform.python_version(),
            "brightway_project": computed.project,
            "study_datasets": sorted(library.local),  # study-local datasets (covered by study_sha256)
            **({"brightway": user_provenance(resolved)} if resolved.loaded.brightway else {}),
        },
        extras={"parameters": parameter_table(loaded, resolved.parameters, library),
                "energy": energy_section(systems)},
    )
    if resolved.equivalents:
        result = replace(result, extras={**result.extras, "equivalents": equivalents_section(result, resolved)})
    return result, computed.matrices


def validate(path: str | Path, library: Library | None = None, brightway=None) -> LoadedStudy:
    """Load and fully check a study without computing it; raise InputError on problems.

    A study naming the user's own Brightway project is matched against it (read-only, no LCA).
    """
    library = library or load_library()
    loaded = load_study(path)
    loaded, library = with_user_background(loaded, library, brightway, compute=False)
    resolved = resolve(loaded, library)
    check_claim(loaded, library)
    effects_model(loaded, resolved, resolved.library or library)
    check_data_quality(loaded, resolved.library or library)
    return loaded


def version() -> str:
    """The installed ai-lca version."""
    from lca import __version__

    return __version__
