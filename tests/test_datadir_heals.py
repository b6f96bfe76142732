"""A damaged data directory is rebuilt with a one-line notice, and the numbers stay the same.

One data directory is built once by the real CLI; each case damages a copy of it. Detection of
every kind is checked in process (fast); two kinds run the real CLI end to end (a lost
projects.db, which made every study fail with a false "activities form a loop", and every file
zeroed), expecting exit 0, the notice and the same totals as on the sound directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from lca.engine.health import damage, heal


def _run(data_dir: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    env.pop("LCA_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "lca.cli", "run", str(DATA / "tiny.yaml"), "--out", str(out),
                           "--format", "json", "--quiet"], capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A data directory built by a real run, and the totals of that run."""
    folder = tmp_path_factory.mktemp("built")
    proc = _run(folder / "data", folder / "out")
    assert proc.returncode == 0, proc.stderr
    return folder / "data", json.loads((folder / "out" / "tiny.json").read_text())["systems"]


def _project(data: Path) -> Path:
    return next(p for p in (data / "brightway").iterdir() if p.name.startswith("ai-lca-"))


def _zero_all(data: Path) -> None:
    for path in data.rglob("*"):
        if path.is_file():
            path.write_bytes(b"")


DAMAGE = {
    "projects_db_zeroed": lambda d: (d / "brightway" / "projects.db").write_bytes(b""),
    "projects_db_lost": lambda d: (d / "brightway" / "projects.db").unlink(),
    "projects_db_garbage": lambda d: (d / "brightway" / "projects.db").write_bytes(b"not sqlite" * 100),
    "databases_db_damaged": lambda d: (_project(d) / "lci" / "databases.db").write_bytes(b"\x00" * 4096),
    "processed_array_missing": lambda d: next((_project(d) / "processed").glob("ai-lca-background.*.zip")).unlink(),
    "processed_array_cut": lambda d: next((_project(d) / "processed").glob("biosphere3.*.zip")).write_bytes(b"PK"),
    "settings_pickle_damaged": lambda d: (_project(d) / "preferences.pickle").write_bytes(b"\x80\x04garbage"),
    "databases_json_damaged": lambda d: (_project(d) / "databases.json").write_text("{not json"),
    "all_files_zeroed": _zero_all,
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_every_kind_of_damage_is_detected(kind, built, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(built[0], data)
    assert damage(data / "brightway") is None  # the sound copy
    DAMAGE[kind](data)
    assert damage(data / "brightway"), kind
    notice = heal(data)
    assert notice and "was damaged" in notice and "rebuilt it (it is a cache)" in notice
    assert damage(data / "brightway") is None
    left = {p.name for p in (data / "brightway").iterdir()}
    if kind in WHOLE_FOLDER:  # projects.db damaged or lost: the whole Brightway folder goes
        assert not left
    else:  # damage inside the ai-lca project: that project alone goes, Brightway's "default" stays
        assert not any(name.startswith("ai-lca-") for name in left) and "projects.db" in left
        assert any(name.startswith("default") for name in left)
        assert "only the project folder ai-lca-" in notice


WHOLE_FOLDER = {"projects_db_zeroed", "projects_db_lost", "projects_db_garbage", "all_files_zeroed"}


def test_a_lock_that_is_a_folder_is_replaced(tmp_path):
    (tmp_path / ".lock").mkdir()
    (tmp_path / ".lock" / "x").write_text("x")
    notice = heal(tmp_path)
    assert "its lock .lock was not a file" in notice
    assert (tmp_path / ".lock").is_file()  # taken again by heal itself


@pytest.mark.parametrize("kind", ["projects_db_lost", "all_files_zeroed"])
def test_the_cli_rebuilds_a_damaged_data_directory_with_the_same_numbers(kind, built, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(built[0], data)
    DAMAGE[kind](data)
    proc = _run(data, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr  # before: exit 2 "activities form a loop", or exit 1
    assert f"lca: the data directory {data.resolve()} was damaged" in proc.stderr
    assert "loop" not in proc.stderr
    systems = json.loads((tmp_path / "out" / "tiny.json").read_text())["systems"]
    assert {k: v["total"] for k, v in systems.items()} == {k: v["total"] for k, v in built[1].items()}
    again = _run(data, tmp_path / "out2")
    assert again.returncode == 0 and "damaged" not in again.stderr  # healed once, then sound


def _stamped_copy(built, tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(built[0], data)  # copy2 keeps every file's size and time: the stamp still holds
    assert heal(data) is None
    return data


def test_files_unchanged_since_the_last_sound_check_are_not_read_again(built, tmp_path):
    data = _stamped_copy(built, tmp_path)
    db = _project(data) / "lci" / "databases.db"
    before = db.stat()
    with open(db, "r+b") as handle:  # garbage in the middle, size and time put back: looks untouched
        handle.seek(3 * 4096)
        handle.write(b"\xff" * 8192)
    os.utime(db, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert damage(data / "brightway")  # the full check reads it and finds the damage
    assert heal(data) is None  # the stamped check does not read a file it found sound with this size and time
    os.utime(db, ns=(before.st_atime_ns, before.st_mtime_ns + 1))  # any change of time: checked again
    notice = heal(data)
    assert notice and "databases.db" in notice and "only the project folder ai-lca-" in notice


def test_damage_in_one_project_rebuilds_only_that_project(built, tmp_path):
    data = _stamped_copy(built, tmp_path)
    ready = next(_project(data).glob("ai-lca-ready"))
    kept = ready.stat().st_mtime_ns
    default = next(p for p in (data / "brightway").iterdir() if p.name.startswith("default."))
    (default / "preferences.pickle").write_bytes(b"\x80\x04garbage")
    proc = _run(data, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert f"({default.name}/preferences.pickle: unreadable" in proc.stderr
    assert f"only the project folder {default.name}, the others are kept" in proc.stderr
    assert ready.stat().st_mtime_ns == kept  # the background project was not rebuilt
    systems = json.loads((tmp_path / "out" / "tiny.json").read_text())["systems"]
    assert {k: v["total"] for k, v in systems.items()} == {k: v["total"] for k, v in built[1].items()}
