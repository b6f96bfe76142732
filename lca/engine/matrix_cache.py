"""Brightway's matrices of a study kept on disk, so that an unchanged study needs no Brightway import.

``build_matrices`` writes the study into Brightway and runs bw2calc's ``MultiLCA``: the matrices
it returns (technosphere, biosphere, characterisation factors, index maps, supply and scores)
depend only on what was written, which is named by the project (the library's fingerprint and
the engine version, ``project_name``) and the foreground database (the hash of its content,
``foreground_name``), and on the Brightway versions that computed them. Importing bw2data and
bw2calc alone takes longer than the rest of a warm run, so the matrices are pickled into
``<data dir>/matrices/`` under a name made of all of these and read back by the next run of the
same study. Every figure still comes from Brightway: the first run of a study computes it there,
and the same inputs give the same matrices.

A study that uses the user's own Brightway project is never cached (its data lives outside
ours). A file that cannot be read (cut short, written by other code) is ignored and written
again; any problem with the folder means no cache. At most ``KEEP`` files are kept, the least
recently used removed first.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import fields
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from lca.library.background import Library
from lca.study import ResolvedStudy

if TYPE_CHECKING:
    from lca.engine.matrices import StudyMatrices

FOLDER = "matrices"
KEEP = 64
FORMAT = "1"  # bump when StudyMatrices changes


def cache_key(resolved: ResolvedStudy, library: Library) -> str | None:
    """The name of the study's matrices in the cache, or None when they are not to be cached."""
    if resolved.loaded.brightway is not None:
        return None
    from lca.engine.project import foreground_name, project_name

    parts = [FORMAT, project_name(library), foreground_name(resolved), ",".join(resolved.systems),
             ",".join(library.criteria), _code_stamp()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]


def read(directory: Path, key: str | None) -> StudyMatrices | None:
    """The cached matrices under ``key``, or None (not cached, unreadable, from other code)."""
    if key is None:
        return None
    path = Path(directory) / FOLDER / f"{key}.pickle"
    try:
        state = pickle.loads(path.read_bytes())
        from lca.engine.matrices import StudyMatrices

        matrices = StudyMatrices(**state)
        os.utime(path)  # recently used: pruned last
        return matrices
    except Exception:  # missing, cut short, or from other code: rebuilt by the caller
        return None


def write(directory: Path, key: str | None, matrices: StudyMatrices) -> None:
    """Keep ``matrices`` under ``key`` (best effort), then prune the least recently used files."""
    if key is None:
        return
    folder = Path(directory) / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
        state = {f.name: getattr(matrices, f.name) for f in fields(matrices)}  # no cached properties (an LU)
        temporary = folder / f".{key}.{os.getpid()}.tmp"
        temporary.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, folder / f"{key}.pickle")
        files = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in files[: max(0, len(files) - KEEP)]:
            old.unlink(missing_ok=True)
    except Exception:
        pass


def _code_stamp() -> str:
    """The code and the Brightway versions the matrices depend on (read without importing Brightway)."""
    versions = []
    for package in ("ai-lca", "bw2data", "bw2calc", "bw_processing", "matrix_utils"):
        try:
            versions.append(metadata.version(package))
        except metadata.PackageNotFoundError:
            versions.append("")
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("matrices.py", "project.py", "matrix_cache.py", "foreground_package.py"):
        digest.update((here / name).read_bytes())
    return ",".join(versions) + digest.hexdigest()[:16]
