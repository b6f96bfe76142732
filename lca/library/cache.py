"""The parsed library kept on disk, keyed by its fingerprint: read, validated and checked once.

``load_library`` validates every YAML file of the library through pydantic and parses every
value's unit: about a second per process. The result depends only on the library's files (their
fingerprint) and on this code, so it is pickled into the cache directory (``<AI_LCA_DATA_DIR>/cache``,
else the per-user cache directory) under a name made of both, and read back by the next process
when the files have not changed. A cache file that cannot be read (cut short by a killed run,
written by another version) is ignored and written again; a library with problems is never
cached (its ``LibraryError`` is raised every time). The cache is best effort: any problem with
the folder means no cache.
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

    from lca.library import background

    try:
        version = metadata.version("ai-lca")
    except metadata.PackageNotFoundError:
        version = ""
    return version + hashlib.sha256(Path(background.__file__).read_bytes()).hexdigest()[:16]


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
        try:
            library = pickle.loads(path.read_bytes())
            if getattr(library, "root", None) == root:
                return library
        except Exception:  # missing, cut short, or from other code: rebuilt below
            pass
        library = load(root)
        try:
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(pickle.dumps(library, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, path)
        except Exception:
            pass
        return library

    load_library.uncached = load  # type: ignore[attr-defined]
    return load_library
