"""The pipeline step: add the ``uncertainty``, ``sensitivity`` and ``break_even`` sections to a result."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lca.library.background import Library
from lca.results import StudyResult
from lca.study import LoadedStudy, ResolvedStudy


def with_uncertainty(result: StudyResult, loaded: LoadedStudy, library: Library, iterations: int,
                     seed: int | None, data_dir: str | Path | None, resolved: ResolvedStudy,
                     progress=None, overrides: dict | None = None, effects=None,
                     matrices=None) -> StudyResult:
    """A new result with the uncertainty sections in ``extras`` (unchanged when none applies).

    ``effects``: the study's higher-order effects (``lca.effects.EffectsModel``), drawn with the rest.
    ``matrices``: the deterministic run's Brightway matrices of ``resolved``, reused (no second MultiLCA).
    """
    if iterations <= 0 and loaded.model.break_even is None:
        return result
    from lca.uncertainty.analysis import uncertainty_sections

    sections = uncertainty_sections(loaded, library, iterations, seed, data_dir, resolved, progress, overrides,
                                    effects, matrices)
    return replace(result, extras={**result.extras, **sections})
