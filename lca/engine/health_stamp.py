"""The cheap common path of the data-directory check: a stamp of the files last known sound.

:func:`lca.engine.health.heal` runs before every computation. Checking every SQLite database
(``PRAGMA quick_check`` reads the whole file) and every processed array (a CRC of every member)
each time costs more as the data directory grows with study foregrounds. So the size and
modification time (ns) of every file of the Brightway folder are kept in a stamp,
``<data-dir>/.health.json``, when the folder was last found sound (and again after a run that
wrote into it succeeded): a file whose size and modification time are those of the stamp is not
read again; a new or changed file is checked as before. The structure (``projects.db`` beside the
project folders, a processed array for every registered database) is checked every time; it
costs a few ``stat`` calls.

Damage always changes a file's size or time (zeroing, truncation, garbage written, a lost file),
unless made on purpose to look untouched; a stamp that is missing, unreadable or from another
folder only means a full check.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from lca.core.atomic import write_atomic

STAMP_NAME = ".health.json"  # in the data directory: outside the Brightway folder a rebuild deletes
SKIPPED_DIRS = ("logs",)  # Brightway's logs change on every run and are never read back
SKIPPED_SUFFIXES = ("-journal", "-wal", "-shm")  # SQLite's transient files
State = tuple[int, int]  # (size, mtime in ns)


def file_states(bw_dir: Path) -> dict[str, State]:
    """``relative path -> (size, mtime_ns)`` of every file of the Brightway folder that is checked."""
    states: dict[str, State] = {}
    todo = [("", str(bw_dir))]
    while todo:
        prefix, folder = todo.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # missing, or gone meanwhile: what is not in the stamp is checked
            continue
        for entry in entries:
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if rel not in SKIPPED_DIRS:
                        todo.append((rel + "/", entry.path))
                elif entry.is_file() and not entry.name.endswith(SKIPPED_SUFFIXES):
                    st = entry.stat()
                    states[rel] = (st.st_size, st.st_mtime_ns)
            except OSError:
                continue
    return states


def sound_files(directory: Path, states: dict[str, State]) -> tuple[frozenset[Path], bool]:
    """The files of ``states`` unchanged since the stamp of ``directory`` (absolute paths), and
    whether the folder is exactly as stamped (the same files, none changed: nothing to check)."""
    try:
        stamp = json.loads((directory / STAMP_NAME).read_text(encoding="utf-8"))
        known = {k: tuple(v) for k, v in stamp["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return frozenset(), False
    if known == states:
        return frozenset(), True
    bw_dir = directory / "brightway"
    return frozenset(bw_dir / rel for rel, state in states.items() if known.get(rel) == state), False


def write_stamp(directory: Path, states: dict[str, State] | None = None) -> None:
    """Record ``states`` (default: the folder as it is now) as sound; a failure to write it only
    means a full check next time."""
    if states is None:
        states = file_states(directory / "brightway")
    try:
        write_atomic(directory / STAMP_NAME, json.dumps({"files": states}, sort_keys=True).encode("utf-8"))
    except OSError:
        pass


def forget_stamp(directory: Path) -> None:
    try:
        (directory / STAMP_NAME).unlink()
    except OSError:
        pass
