"""Writing result files atomically: a temporary file in the same folder, then a rename.

A run that fails or is killed never leaves a half-written file under the final name, and never
damages the previous one: readers see either the old bytes or the new ones. A run killed between
the write and the rename may leave a hidden ``.<name>.<random>.tmp`` file next to the target; the
next successful write of the same target removes such leftovers once they are an hour old.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from lca.core.errors import OutputError

STALE_SECONDS = 3600


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file, fsync and rename; return ``path``.

    The file gets the usual permissions (0666 minus the umask), not the 0600 of temporary files.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}; choose another output folder (--out)") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):  # disk full, a folder in the way of the target, ...
            raise OutputError(f"cannot write {path}: {exc.strerror}; the previous file, if any, "
                              "is unchanged") from None
        raise
    _sync_folder(path.parent)
    _remove_stale_temporaries(path)
    return path


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every file system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_stale_temporaries(path: Path) -> None:
    """Delete ``.<name>.*.tmp`` files left by killed writers, when older than an hour."""
    cutoff = time.time() - STALE_SECONDS
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            pass


def write_json(path: Path, payload: dict) -> Path:
    """Write ``payload`` as indented UTF-8 JSON (no NaN: they are refused), atomically."""
    text = json.dumps(payload, indent=2, sort_keys=False, ensure_ascii=False, allow_nan=False) + "\n"
    return write_atomic(path, text.encode("utf-8"))
