"""The parsed library kept on disk, keyed by its fingerprint: read, validated and checked once.

``load_library`` validates every YAML file of the library through pydantic and parses every
value's unit: about a second per process. The result depends only on the library's files (their
fingerprint) and on this code, so it is pickled into the cache directory (``<AI_LCA_DATA_DIR>/cache``,
else the per-user cache directory) under a name made of both, and read back by the next process
when the files have not changed. A cache file that cannot be read (cut short by a killed run,
written by another version) is ignored and written again; a library with problems is never
cached (its ``LibraryError`` is raised every time). The cache is best effort: any problem with
the folder means no cache. A large family of datasets (lca.library.families) is left out of the
library's pickle and kept in its own (``family-*.pickle``), read only by a process that needs it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from lca.core.cachedir import cache_folder

def _code_stamp() -> str:
    """The code the pickle depends on: the library's models (a changed model invalidates it)."""
    from importlib import metadata

    from lca.core import models
    from lca.library import background, families

    try:
        version = metadata.version("ai-lca")
    except metadata.PackageNotFoundError:
        version = ""
    code = b"".join(Path(m.__file__).read_bytes() for m in (background, families, models) if m.__file__)
    return version + hashlib.sha256(code).hexdigest()[:16]


def _read_pickle(path: Path):
    try:
        return pickle.loads(path.read_bytes())
    except Exception:  # missing, cut short, or from other code: rebuilt by the caller
        return None


def _write_pickle(path: Path, value) -> None:
    try:
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    except Exception:
        pass


def cached_family(root: Path, fingerprint: str, prefix: str, read: Callable):
    """``read()`` (a family's datasets and their files, lca.library.families), kept on disk under the
    library's fingerprint and the family's prefix; a read that raises is never cached."""
    folder = cache_folder("library")
    if folder is None:
        return read()
    key = hashlib.sha256((fingerprint + _code_stamp() + str(root.resolve()) + "\0" + prefix).encode()).hexdigest()
    path = folder / f"family-{key[:32]}.pickle"
    found = _read_pickle(path)
    if isinstance(found, tuple) and len(found) == 2:
        return found
    value = read()
    _write_pickle(path, value)
    return value


def cached_library(load: Callable, files: Callable, fingerprint: Callable, default_root: Callable) -> Callable:
    """Wrap ``load(root)``: the same library, from the cache when its files are unchanged."""

    @wraps(load)
    def load_library(root: Path | str | None = None):
        root = Path(root) if root else default_root()
        folder = cache_folder("library")
        if folder is None:
            return load(root)
        try:
            paths = files(root / "methods") + files(root / "background") + files(root / "materials")
            key = hashlib.sha256((fingerprint(paths) + _code_stamp() + str(root.resolve())).encode()).hexdigest()
        except OSError:
            return load(root)
        path = folder / f"library-{key[:32]}.pickle"
        library = _read_pickle(path)
        if getattr(library, "root", None) == root:
            return library
        library = load(root)
        _write_pickle(path, library)
        return library

    load_library.uncached = load  # type: ignore[attr-defined]
    return load_library
