"""Whether a user's Brightway project can take an export, checked before bw2data opens it.

``lca export`` writes into a directory that is the user's, not a cache of ours: a damaged file is
never repaired or deleted here, and a folder without write permission is never forced. Both stop
the export with :class:`BrightwayExportError` (exit 2), naming the project, the folder or file and
what to do, before anything is written:

- damage: ``projects.db`` and the project's ``lci/databases.db`` and ``parameters.db`` pass
  SQLite's ``quick_check``, its settings pickles and JSON files read back, every processed array
  of a registered database is a sound zip (the checks of :mod:`lca.engine.health`);
- write permission: every folder the export writes in takes a new file, and every database and
  settings file opens for writing (probed for real, so a read-only mount, an immutable file and
  missing rights are all found, whoever runs the export).

A write that fails during the export all the same (a full disk) is turned into the same error by
:func:`export_failure`.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import uuid
from pathlib import Path

from lca.core.errors import OutputError
from lca.engine.health import FULL_ERRNOS, SQLITE_CANTOPEN, SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY
from lca.engine.health import project_problem, sqlite_problem

SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26
NO_RIGHTS = {errno.EACCES, errno.EPERM, errno.EROFS}
WRITTEN_FILES = ("projects.db",)  # in the Brightway directory
PROJECT_FILES = ("lci/databases.db", "parameters.db", "databases.json", "methods.json")  # in the project folder
PROJECT_FOLDERS = ("", "lci", "processed", "backups", "intermediate", "search")


class BrightwayExportError(OutputError):
    """The Brightway project named for an export cannot take it (damaged, or not writable)."""


def check_export_target(bw_dir: Path, project: str) -> None:
    """Raise BrightwayExportError when ``project`` of ``bw_dir`` is damaged or cannot be written."""
    bw_dir = Path(bw_dir).expanduser()
    if not bw_dir.is_dir():
        return  # created by the export (brightway_at says so when it cannot be)
    projects_db = bw_dir / "projects.db"
    if projects_db.is_file():
        problem = sqlite_problem(projects_db)
        if problem:
            raise _damaged(project, bw_dir, projects_db, problem)
    folder = project_folder(bw_dir, project)
    probe = [bw_dir] + [bw_dir / f for f in WRITTEN_FILES]
    if folder is not None and folder.is_dir():
        problem = project_problem(folder)
        if problem:
            raise _damaged(project, bw_dir, folder, problem)
        probe += [folder / f for f in PROJECT_FOLDERS] + [folder / f for f in PROJECT_FILES]
        probe += sorted(folder.glob("*.pickle")) + sorted(folder.glob("*.json"))
    for path in probe:
        refused = _write_refused(path)
        if refused:
            raise _not_writable(project, bw_dir, folder, path, refused)


def project_folder(bw_dir: Path, project: str) -> Path | None:
    """The folder of ``project`` as bw2data names it, or None when the project is not registered."""
    projects_db = bw_dir / "projects.db"
    if not projects_db.is_file():
        return None
    with sqlite3.connect(f"{projects_db.resolve().as_uri()}?mode=ro", uri=True) as con:
        try:
            rows = con.execute("SELECT name, full_hash FROM projectdataset").fetchall()
        except sqlite3.Error:
            return None  # not a Brightway 4 projects file: bw2data migrates or refuses it
    con.close()
    from bw_processing import safe_filename

    found = [full for name, full in rows if name == project]
    return bw_dir / safe_filename(project, full=bool(found[0])) if found else None


def _write_refused(path: Path) -> str | None:
    """Why a write at ``path`` is refused (``"no write permission (Permission denied)"``), or None.

    A folder is probed with a new empty file, removed at once; a file is opened for writing and
    closed (not truncated): nothing is changed."""
    try:
        if path.is_dir():
            probe = path / f".ai-lca-write-probe-{uuid.uuid4().hex}"
            os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            probe.unlink()
        elif path.is_file():
            os.close(os.open(path, os.O_WRONLY))  # no O_TRUNC: the file is left as it is
    except OSError as exc:
        detail = exc.strerror or errno.errorcode.get(exc.errno or 0, "refused")
        return f"no write permission ({detail})" if exc.errno in NO_RIGHTS else detail
    return None


def _damaged(project: str, bw_dir: Path, path: Path, problem: str) -> BrightwayExportError:
    """``path`` is the project folder (``problem`` names the file in it) or projects.db."""
    return BrightwayExportError(
        f"cannot export into Brightway project {project!r} of {bw_dir}: {path} is damaged ({problem}); "
        "nothing was written. Restore it from a backup of your project, "
        "or export into another --project or --brightway-dir")


def _not_writable(project: str, bw_dir: Path, folder: Path | None, path: Path, why: str) -> BrightwayExportError:
    where = f"its folder {folder}" if folder is not None and folder.is_dir() else f"the Brightway directory {bw_dir}"
    return BrightwayExportError(
        f"cannot export into Brightway project {project!r}: cannot write {path}: {why}; "
        f"nothing was written. Give yourself write rights on {where} (or free some space), or export "
        "into another --brightway-dir")


def export_failure(exc: BaseException, bw_dir: Path, project: str) -> BrightwayExportError | None:
    """The error to show for ``exc`` raised while exporting, when it is a refused write or a damaged file."""
    for cause in _causes(exc):
        if isinstance(cause, OSError) and cause.errno in FULL_ERRNOS:
            where = cause.filename or bw_dir
            return BrightwayExportError(
                f"cannot export into Brightway project {project!r} of {bw_dir}: writing {where} failed "
                f"({cause.strerror}); free some space or give yourself write rights, then export again "
                "(the project may hold part of the export: export again, or into another --project)")
        code = getattr(cause, "sqlite_errorcode", None)
        if code in (SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR):
            return BrightwayExportError(
                f"cannot export into Brightway project {project!r} of {bw_dir}: a database file refused the "
                f"write ({getattr(cause, 'sqlite_errorname', code)}: {cause}); free some space or give yourself "
                "write rights, then export again")
        if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
            return BrightwayExportError(
                f"cannot export into Brightway project {project!r} of {bw_dir}: a database file is damaged "
                f"({cause}); repair it from a backup, or export into another --project or --brightway-dir")
    return None


def _causes(exc: BaseException):
    """``exc``, what it wraps (peewee puts the sqlite3 error in its first argument) and its causes."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        cause = todo.pop(0)
        if id(cause) in seen:
            continue
        seen.add(id(cause))
        yield cause
        todo += [c for c in (cause.__cause__, cause.__context__) if c is not None]
        todo += [a for a in cause.args[:1] if isinstance(a, BaseException)]
