"""Many studies at once (``lca batch``): serial, a local process pool or a Dask cluster."""

from .runner import (
    BatchOptions,
    BatchResult,
    StudyOutcome,
    run_batch,
    study_files,
    write_batch,
)

__all__ = ["BatchOptions", "BatchResult", "StudyOutcome", "run_batch", "study_files", "write_batch"]
