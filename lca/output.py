"""Writing result files atomically: a temporary file in the same folder, then a rename.

A run that fails or is killed never leaves a half-written file, and never damages the previous
one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def write_json(path: Path, payload: dict) -> Path:
    text = json.dumps(payload, indent=2, sort_keys=False, ensure_ascii=False, allow_nan=False) + "\n"
    return write_atomic(path, text.encode("utf-8"))
