"""Many studies at once (``lca batch``): serial, a local process pool or a Dask cluster.

The names below are loaded on first use, so that ``lca --help`` (which imports ``lca.batch.cli``)
does not import the runner.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["BatchOptions", "BatchResult", "StudyOutcome", "run_batch", "study_files", "write_batch"]

if TYPE_CHECKING:
    from .runner import BatchOptions, BatchResult, StudyOutcome, run_batch, study_files, write_batch


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'lca.batch' has no attribute {name!r}")
    value = getattr(importlib.import_module("lca.batch.runner"), name)
    globals()[name] = value
    return value
