"""Where the Brightway project lives, and the lock that serialises writers.

The data directory is, in order: the ``data_dir`` argument (``--data-dir``), the ``AI_LCA_DATA_DIR``
environment variable, or the per-user data directory. Brightway's own directory is
``<data_dir>/brightway``; ``BRIGHTWAY2_DIR`` is set to it before ``bw2data`` is first imported.
"""

from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from lca.core.errors import DataDirectoryError

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


LOCK_TIMEOUT_VAR = "AI_LCA_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 1800.0  # seconds: a cold build takes under a minute
_held: dict[Path, int] = {}  # lock path -> nesting depth, in this process
_held_guard = threading.Lock()


@contextmanager
def exclusive_lock(data_dir: Path, timeout: float | None = None):
    """Hold an exclusive lock on the data directory (one writer at a time, across processes).

    Re-entrant within a process. While another process holds it, says so once on stderr and
    waits up to ``timeout`` seconds (``AI_LCA_LOCK_TIMEOUT``, default 1800 s), then raises
    DataDirectoryError naming the holder. A holder that dies (even killed) releases it at once.
    """
    lock_path = Path(data_dir).resolve() / ".lock"
    with _held_guard:
        if _held.get(lock_path):
            _held[lock_path] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[lock_path] -= 1
        return
    if timeout is None:
        timeout = float(os.environ.get(LOCK_TIMEOUT_VAR) or DEFAULT_LOCK_TIMEOUT)
    with open(lock_path, "a+") as handle:
        _acquire(handle, lock_path, timeout)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        with _held_guard:
            _held[lock_path] = 1
        try:
            yield
        finally:
            with _held_guard:
                _held.pop(lock_path, None)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle, lock_path: Path, timeout: float) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    holder = _holder(lock_path)
    print(f"lca: waiting for another run using {lock_path.parent}{holder}", file=sys.stderr, flush=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise DataDirectoryError(
                    f"another run{_holder(lock_path)} has held {lock_path} for over {timeout:g} s; "
                    f"wait for it, stop it, or use another --data-dir") from None
            time.sleep(0.05)


def _holder(lock_path: Path) -> str:
    try:
        pid = lock_path.read_text().strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
