"""`lca export` into a read-only or damaged Brightway project: exit 2, naming the project, the
folder or file, what is wrong and what to do; nothing of the user's project is changed.

One project is exported once by the real CLI; each case damages or locks a copy of it, then
exports another study (tests/data/energy.yaml) into it with the real CLI.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA


def _export(study: Path, bw_dir: Path, data_dir: Path, project: str = "p") -> subprocess.CompletedProcess:
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir), BRIGHTWAY2_DIR=str(bw_dir))
    env.pop("LCA_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "lca.cli", "export", str(study), "--project", project,
                           "--brightway-dir", str(bw_dir)], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def exported(tmp_path_factory, data_dir):
    """A Brightway directory holding project 'p', written by a real export of tiny.yaml."""
    bw_dir = tmp_path_factory.mktemp("exported") / "bw"
    bw_dir.mkdir()
    proc = _export(DATA / "tiny.yaml", bw_dir, data_dir)
    assert proc.returncode == 0, proc.stderr
    return bw_dir


@pytest.fixture
def copy(exported, tmp_path):
    bw_dir = tmp_path / "bw"
    shutil.copytree(exported, bw_dir)
    return bw_dir


def _folder(bw_dir: Path) -> Path:
    return next(p for p in bw_dir.iterdir() if p.name.startswith("p."))


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _writable(folder: Path) -> bool:
    try:
        (folder / ".probe").write_text("x")
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True


@pytest.fixture
def read_only():
    """Make a folder read-only for real: chmod, and where that does not stop writes (running as
    root) the immutable attribute, which stops root too; skipped only when neither works."""
    locked: list[tuple[Path, bool]] = []

    def lock(folder: Path) -> None:
        subprocess.run(["chmod", "-R", "a-w", str(folder)], check=True)
        immutable = False
        if _writable(folder):  # root: permissions do not apply
            immutable = shutil.which("chattr") is not None and subprocess.run(
                ["chattr", "-R", "+i", str(folder)], capture_output=True).returncode == 0
        locked.append((folder, immutable))
        if _writable(folder):
            pytest.skip("running as root, where chmod does not stop writes, and the immutable attribute "
                        "(chattr +i) is not available on this file system")

    yield lock
    for folder, immutable in locked:
        if immutable:
            subprocess.run(["chattr", "-R", "-i", str(folder)], capture_output=True)
        subprocess.run(["chmod", "-R", "u+w", str(folder)], check=True)


def test_a_read_only_project_folder_is_refused_before_writing(copy, data_dir, read_only):
    folder = _folder(copy)
    before = _digest(folder)
    read_only(folder)
    proc = _export(DATA / "energy.yaml", copy, data_dir)
    assert proc.returncode == 2, proc.stderr
    assert "internal error" not in proc.stderr
    assert f"cannot export into Brightway project 'p': cannot write {folder}" in proc.stderr
    assert "no write permission" in proc.stderr and f"Give yourself write rights on its folder {folder}" in proc.stderr
    assert _digest(folder) == before


def test_a_read_only_brightway_directory_is_refused_for_a_new_project(copy, data_dir, read_only):
    read_only(copy)
    proc = _export(DATA / "energy.yaml", copy, data_dir, project="new")
    assert proc.returncode == 2, proc.stderr
    assert f"cannot export into Brightway project 'new': cannot write {copy}" in proc.stderr
    assert f"write rights on the Brightway directory {copy}" in proc.stderr


def _malformed(path: Path) -> None:
    """Overwrite two pages in the middle of a SQLite file (its header stays sound)."""
    with open(path, "r+b") as handle:
        handle.seek(3 * 4096)
        handle.write(bytes(range(256)) * 32)


@pytest.mark.parametrize("damage, named", [
    (lambda bw: (_folder(bw) / "lci" / "databases.db").write_bytes(b"\x00" * 4096),
     "lci/databases.db: not a sound SQLite database"),
    (lambda bw: _malformed(_folder(bw) / "lci" / "databases.db"), "lci/databases.db: "),
    (lambda bw: (bw / "projects.db").write_bytes(b"not sqlite" * 100), "projects.db is damaged (not a sound SQLite"),
    (lambda bw: (_folder(bw) / "databases.json").write_text("{not json"), "(databases.json: unreadable"),
], ids=["databases_db_zeroed", "databases_db_malformed", "projects_db_garbage", "databases_json_damaged"])
def test_a_damaged_project_is_refused_and_left_as_it_is(copy, data_dir, damage, named):
    damage(copy)
    before = _digest(copy)
    proc = _export(DATA / "energy.yaml", copy, data_dir)
    assert proc.returncode == 2, proc.stderr
    assert "cannot export into Brightway project 'p' of" in proc.stderr
    assert named in proc.stderr and "is damaged" in proc.stderr
    assert "Restore it from a backup of your project, or export into another --project" in proc.stderr
    assert _digest(copy) == before  # the user's project is never "healed" by deleting it


def test_a_write_refused_during_the_export_is_named(tmp_path):
    # a real SQLite refusal (a database opened read-only, through peewee as bw2data does)
    import peewee

    from lca.engine.export_target import export_failure

    path = tmp_path / "x.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (a)")
    con.close()
    db = peewee.SqliteDatabase(f"{path.as_uri()}?mode=ro", uri=True)
    with pytest.raises(peewee.OperationalError) as raised:
        db.execute_sql("INSERT INTO t VALUES (1)")
    db.close()
    failure = export_failure(raised.value, tmp_path, "p")
    assert failure is not None
    assert "cannot export into Brightway project 'p'" in str(failure) and "SQLITE_READONLY" in str(failure)
    assert export_failure(ValueError("something else"), tmp_path, "p") is None
