"""Where the Brightway project lives, and the lock that serialises writers.

The data directory is, in order: the ``data_dir`` argument (``--data-dir``), the ``AI_LCA_DATA_DIR``
environment variable, or the per-user data directory. Brightway's own directory is
``<data_dir>/brightway``; ``BRIGHTWAY2_DIR`` is set to it before ``bw2data`` is first imported.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from ..errors import DataDirectoryError

ENV_VAR = "AI_LCA_DATA_DIR"


def data_directory(data_dir: str | Path | None = None) -> Path:
    """The data directory to use, created if missing; DataDirectoryError if it cannot be."""
    if data_dir is None:
        data_dir = os.environ.get(ENV_VAR)
    if data_dir is None:
        import platformdirs

        data_dir = platformdirs.user_data_dir("ai-lca", appauthor=False)
    path = Path(data_dir).expanduser().resolve()
    try:
        (path / "brightway").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirectoryError(
            f"cannot create the data directory {path}: {exc.strerror}; "
            f"choose another with --data-dir or {ENV_VAR}") from None
    if not os.access(path, os.W_OK):
        raise DataDirectoryError(f"data directory {path} is not writable; choose another with --data-dir")
    return path


@contextmanager
def exclusive_lock(data_dir: Path):
    """Hold an exclusive lock on the data directory (one writer at a time, across processes)."""
    lock_path = data_dir / ".lock"
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
