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
    assert damage(data / "brightway") is None and not any((data / "brightway").iterdir())


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
