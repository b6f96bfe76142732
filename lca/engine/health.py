"""The data directory is a cache: damage is found before Brightway opens it, and the Brightway
folder is rebuilt with a one-line notice on stderr.

Checked without importing Brightway (which would fail, or worse, carry on, on a damaged file):
the lock is a file; ``projects.db`` and every project's ``lci/databases.db`` and
``parameters.db`` are SQLite databases that pass ``PRAGMA quick_check``; every settings pickle and
JSON file reads back; every processed array of a registered database is there and is a sound
zip; no file was cut to zero bytes; project folders are not left without ``projects.db`` (a lost
``projects.db`` made every study that ran before fail with a false "activities form a loop").

When the damaged part cannot be removed or rebuilt (no rights, disk full, a read-only disk), the
run stops with DataDirectoryError (exit 2) saying what to do; damage is never reported as a
problem of the study.
"""

from __future__ import annotations

import errno
import json
import pickle
import shutil
import sqlite3
import sys
import zipfile
from pathlib import Path

from lca.core.errors import DataDirectoryError
from lca.engine.datadir import exclusive_lock
from lca.engine.health_stamp import file_states, sound_files, write_stamp

FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR = 13, 8, 14, 10


def heal(directory: Path) -> str | None:
    """Repair ``directory`` (a data directory) if damaged; return the notice printed, or None.

    The lock is repaired first (a folder in its place), then the Brightway folder is checked while
    holding the lock, so that a concurrent run's build in progress is never taken for damage.
    Files unchanged since the folder was last found sound are not read again
    (lca.engine.health_stamp); a damaged project folder is removed alone (its row in
    ``projects.db`` with it), the others kept; damage to ``projects.db`` removes the whole folder."""
    directory = Path(directory)
    notice = None
    lock = directory / ".lock"
    if lock.exists() and not lock.is_file():
        _remove(directory, lock, "its lock .lock was not a file")
        notice = _notice(directory, "its lock .lock was not a file")
    with exclusive_lock(directory):
        bw_dir = directory / "brightway"
        states = file_states(bw_dir)
        sound, as_stamped = sound_files(directory, states)
        if as_stamped:  # the common path: not a file added, removed or changed since it was found sound
            return notice
        removed = False
        for _ in range(MAX_REMOVALS):  # one damaged project after another
            found = damaged_part(bw_dir, sound)
            if found is None:
                break
            removed, (part, reason) = True, found
            if part is None:
                _remove(directory, bw_dir, reason)
                notice = _notice(directory, reason)
            else:
                _remove_project(directory, bw_dir, part, reason)
                notice = _notice(directory, reason, f": only the project folder {part.name}, the others are kept")
            _forget_brightway_state(bw_dir)
            if part is None:
                break
        else:
            raise DataDirectoryError(f"the data directory {directory} is damaged in more than {MAX_REMOVALS} "
                                     "projects; delete it by hand, or use another --data-dir")
        write_stamp(directory, file_states(bw_dir) if removed else states)  # found sound (what is left)
    return notice


MAX_REMOVALS = 20


def _remove_project(directory: Path, bw_dir: Path, folder: Path, reason: str) -> None:
    """Remove one project: its row in ``projects.db`` (sound: checked before) and its folder."""
    try:
        with sqlite3.connect(bw_dir / "projects.db") as con:
            from bw_processing import safe_filename

            rows = con.execute("SELECT name, full_hash FROM projectdataset").fetchall()
            for name, full in rows:
                if safe_filename(name, full=bool(full)) == folder.name:
                    con.execute("DELETE FROM projectdataset WHERE name = ?", (name,))
        con.close()
    except sqlite3.Error as exc:
        raise DataDirectoryError(f"the data directory {directory} is damaged ({reason}) and cannot be repaired: "
                                 f"{exc}; delete it by hand, or use another --data-dir") from None
    _remove(directory, folder, reason)
    shutil.rmtree(bw_dir / "logs" / folder.name, ignore_errors=True)


def _remove(directory: Path, path: Path, reason: str) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        if path.name == "brightway":
            path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirectoryError(f"the data directory {directory} is damaged ({reason}) and cannot be repaired: "
                                 f"{exc.strerror}; delete it by hand, or use another --data-dir") from None


def _notice(directory: Path, reason: str, part: str = "") -> str:
    notice = f"lca: the data directory {directory} was damaged ({reason}); rebuilt it (it is a cache){part}"
    print(notice, file=sys.stderr, flush=True)
    return notice


def damage(bw_dir: Path) -> str | None:
    """What is damaged in a Brightway folder (``"projects.db: file is not a database"``), or None;
    every file is checked."""
    found = damaged_part(bw_dir)
    return None if found is None else found[1]


def damaged_part(bw_dir: Path, sound: frozenset[Path] = frozenset()) -> tuple[Path | None, str] | None:
    """``(project folder, reason)`` of the first damage found (``None`` as the folder: the whole
    Brightway folder, when ``projects.db`` is damaged or lost), or None. The contents of the files
    in ``sound`` are not read again (unchanged since they were last found sound)."""
    if not bw_dir.is_dir():
        return None
    projects_db = bw_dir / "projects.db"
    project_dirs = sorted(p for p in bw_dir.iterdir() if p.is_dir() and p.name != "logs")
    if not projects_db.exists():
        return (None, "projects.db is missing beside project folders") if project_dirs else None
    problem = None if projects_db in sound else sqlite_problem(projects_db)
    if problem:
        return None, f"projects.db: {problem}"
    for project in project_dirs:
        problem = project_problem(project, sound)
        if problem:
            return project, f"{project.name}/{problem}"
    return None


def sqlite_problem(path: Path) -> str | None:
    if path.stat().st_size == 0:
        return "emptied (0 bytes)"
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            row = con.execute("PRAGMA quick_check").fetchone()
            con.execute("SELECT name FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError as exc:
        return f"not a sound SQLite database ({exc})"
    finally:
        try:
            con.close()
        except Exception:
            pass
    return None if row and row[0] == "ok" else f"SQLite check failed ({row[0] if row else 'no answer'})"


def project_problem(project: Path, sound: frozenset[Path] = frozenset()) -> str | None:
    """What is damaged in one project folder, or None (files in ``sound``: their contents not read)."""
    for db in ("lci/databases.db", "parameters.db"):
        if (project / db).exists() and project / db not in sound:
            problem = sqlite_problem(project / db)
            if problem:
                return f"{db}: {problem}"
    for path in sorted(project.glob("*.pickle")):
        try:
            with open(path, "rb") as handle:
                pickle.load(handle)  # bw2data's own settings files, which it unpickles anyway
        except Exception as exc:
            return f"{path.name}: unreadable ({type(exc).__name__})"
    registered = {}
    for path in sorted(project.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return f"{path.name}: unreadable ({type(exc).__name__})"
        if path.name == "databases.json" and isinstance(data, dict):
            registered = data
    for name, meta in registered.items():
        processed = (meta or {}).get("processed") if isinstance(meta, dict) else None
        if not processed:
            continue
        array = _processed_file(project, name)
        if array is None:
            return f"processed/{name}: the cached processed array is missing"
        if array in sound:
            continue
        try:
            with zipfile.ZipFile(array) as archive:
                if archive.testzip() is not None:
                    return f"processed/{array.name}: damaged"
        except (OSError, zipfile.BadZipFile):
            return f"processed/{array.name}: damaged"
    return None


def _processed_file(project: Path, name: str) -> Path | None:
    """bw2data names a database's processed array ``<safe name>.<first 8 hex of md5(name)>.zip``."""
    import hashlib

    digest = hashlib.md5(name.encode("utf-8")).hexdigest()[:8]
    found = sorted(p for p in (project / "processed").glob(f"*.{digest}.zip") if p.is_file())
    return found[0] if found else None


def _forget_brightway_state(bw_dir: Path) -> None:
    """When bw2data is already imported in this process, point it at the rebuilt folder."""
    bd = sys.modules.get("bw2data")
    if bd is None:
        return
    try:
        bd.projects.change_base_directories(bw_dir.resolve(), base_logs_dir=bw_dir.resolve() / "logs",
                                            project_name="default", update=False)
    except Exception:  # the next import in a fresh process rebuilds all the same
        pass


def out_of_space(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk is full or not writable (by its error code, not its wording)."""
    if isinstance(exc, OSError):
        return exc.errno in FULL_ERRNOS
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR)


def cannot_write(directory: Path, exc: BaseException) -> DataDirectoryError:
    detail = exc.strerror if isinstance(exc, OSError) else getattr(exc, "sqlite_errorname", type(exc).__name__)
    return DataDirectoryError(f"cannot write the data directory {directory} ({detail}): free some space or "
                              f"give write rights, or choose another --data-dir (it is a cache: any folder will do)")


__all__ = ["cannot_write", "damage", "damaged_part", "heal", "out_of_space", "project_problem", "sqlite_problem"]
