"""Integrity of the data directory and of the outputs, with real processes.

- two (three) ``lca run`` processes on one cold data directory at the same time both succeed
  with byte-identical results (the data directory lock serialises the project build);
- a run killed with SIGKILL while the Brightway project is being written leaves a data directory
  that the next run repairs (the ready marks), giving the same result; a run writes nothing of the
  study itself (its foreground is a datapackage in memory), and `lca export` killed while writing
  the study's foreground is repaired by the next export;
- a study that fails validation leaves the cached project as it was;
- outputs are replaced atomically: a run killed just before the rename leaves the previous report
  intact, and a reader never sees a half-written file.

Kill points are made deterministic by a small child program that wraps one function of the real
code path and sends itself SIGKILL before or after its N-th call; nothing else is changed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA, ROOT

STUDY = DATA / "tiny.yaml"
TIMEOUT = 300

# argv: MODULE QUALNAME N before|after FILTER -- lca arguments...
KILL_CHILD = r"""
import importlib, os, signal, sys
module, qualname, n, when, needle = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
owner = importlib.import_module(module)
*parents, name = qualname.split(".")
for part in parents:
    owner = getattr(owner, part)
original = getattr(owner, name)
calls = [0]
def wrapper(*args, **kwargs):
    if needle not in repr(args):
        return original(*args, **kwargs)
    calls[0] += 1
    if calls[0] == n and when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    if calls[0] == n and when == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(owner, name, wrapper)
from lca.cli import main
sys.exit(main(sys.argv[sys.argv.index("--") + 1:]))
"""


def _env(data_dir: Path) -> dict:
    (data_dir / "brightway").mkdir(parents=True, exist_ok=True)  # bw2data checks BRIGHTWAY2_DIR at import
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir), BRIGHTWAY2_DIR=str(data_dir / "brightway"),
               PYTHONPATH=str(ROOT))
    env.pop("LCA_DEBUG", None)
    return env


def _run_args(data_dir: Path, out: Path, study: Path = STUDY) -> list[str]:
    return ["run", str(study), "--out", str(out), "--format", "json", "--data-dir", str(data_dir), "--quiet"]


def lca_run(data_dir: Path, out: Path, study: Path = STUDY) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lca.cli", *_run_args(data_dir, out, study)],
                          env=_env(data_dir), capture_output=True, text=True, timeout=TIMEOUT)


def killed_run(data_dir: Path, out: Path, module: str, qualname: str, n: int, when: str,
               needle: str = "") -> subprocess.CompletedProcess:
    """``lca run`` that SIGKILLs itself around the N-th call of MODULE.QUALNAME."""
    argv = [sys.executable, "-c", KILL_CHILD, module, qualname, str(n), when, needle, "--",
            *_run_args(data_dir, out)]
    return subprocess.run(argv, env=_env(data_dir), capture_output=True, text=True, timeout=TIMEOUT)


def _results(payload: bytes) -> dict:
    """The computed numbers of a JSON result: every total and breakdown, and the net balance.

    Runs compared with a module-wide reference use these rather than the bytes, so that a report
    section edited in the working tree while the suite runs does not fail a data-dir test.
    """
    data = json.loads(payload)
    return {"net": data["net"], **{key: {part: system[part] for part in
                                         ("total", "by_stage", "by_phase", "by_tier", "by_activity")}
                                   for key, system in data["systems"].items()}}


def _ready_projects(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "brightway").glob("ai-lca-*/ai-lca-ready"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, bytes]:
    """A data directory built by one undisturbed run, and that run's JSON result."""
    data_dir = tmp_path_factory.mktemp("reference-data")
    out = tmp_path_factory.mktemp("reference-out")
    done = lca_run(data_dir, out)
    assert done.returncode == 0, done.stderr
    return data_dir, (out / "tiny.json").read_bytes()


def _warm_copy(reference_dir: Path, tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(reference_dir, data_dir)
    return data_dir


def test_concurrent_runs_on_one_cold_data_dir_all_succeed_identically(tmp_path, reference):
    data_dir = tmp_path / "data"
    procs = [subprocess.Popen([sys.executable, "-m", "lca.cli", *_run_args(data_dir, tmp_path / f"out{i}")],
                              env=_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(3)]
    results = [(p.wait(timeout=TIMEOUT), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in results] == [0, 0, 0], results
    outputs = [(tmp_path / f"out{i}" / "tiny.json").read_bytes() for i in range(3)]
    assert outputs[0] == outputs[1] == outputs[2]  # byte for byte
    assert _results(outputs[0]) == _results(reference[1])
    assert len(_ready_projects(data_dir)) == 1  # built once, by whichever got the lock first


# (module, function, N, when): inside the background build, then just before its ready mark
BUILD_KILL_POINTS = {
    "after the background rows, before processing": (
        "bw2data.backends.base", "SQLiteBackend._efficient_write_many_data", 3, "after"),
    "after the whole background, before the ready mark": ("lca.engine.project", "_write_background", 1, "after"),
}


@pytest.mark.parametrize("point", list(BUILD_KILL_POINTS))
def test_run_killed_during_project_build_leaves_data_dir_usable(point, tmp_path, reference):
    data_dir, out = tmp_path / "data", tmp_path / "out"
    killed = killed_run(data_dir, out, *BUILD_KILL_POINTS[point])
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not _ready_projects(data_dir) and not (out / "tiny.json").exists()
    again = lca_run(data_dir, out)
    assert again.returncode == 0, again.stderr
    assert _results((out / "tiny.json").read_bytes()) == _results(reference[1])
    assert len(_ready_projects(data_dir)) == 1


def test_the_first_run_of_a_new_study_writes_nothing_into_brightway(tmp_path, reference):
    # warm data dir whose project is ready; the study's foreground is new (a changed amount). A run
    # hands it to bw2calc as a datapackage in memory (lca.engine.foreground_package): with a hook
    # that kills the process at bw2data's first processing of any database, the run still succeeds,
    # so there is nothing of the study that a killed run could leave half-written
    data_dir, out = _warm_copy(reference[0], tmp_path), tmp_path / "out"
    study = tmp_path / "tiny.yaml"
    study.write_text(STUDY.read_text().replace('"2000 kWh"', '"1000 kWh"'))
    argv = [sys.executable, "-c", KILL_CHILD, "bw2data.backends.base", "SQLiteBackend.process",
            "1", "before", "", "--", *_run_args(data_dir, out, study)]
    done = subprocess.run(argv, env=_env(data_dir), capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    result = json.loads((out / "tiny.json").read_text())
    before = json.loads(reference[1])
    # reference system: 1000 kWh x 0.475 kgCO2e/kWh = 475 kgCO2e, half of the reference run's 950
    ref_gwp = result["systems"]["reference"]["total"]["gwp"]
    assert ref_gwp == pytest.approx(before["systems"]["reference"]["total"]["gwp"] / 2, rel=1e-9)
    assert ref_gwp == pytest.approx(475, rel=1e-6)
    assert _results((out / "tiny.json").read_bytes())["ai"] == _results(reference[1])["ai"]


EXPORT_CHECK = r"""
import json, sys, warnings; warnings.filterwarnings("ignore")
import bw2data as bd, bw2calc as bc
bd.projects.set_current(sys.argv[1])
[fg] = [d for d in bd.databases if d.startswith("study-tiny-")]
lca = bc.LCA({bd.get_node(database=fg, code="reference/__fu__"): 1}, ("ai-lca", "gwp"))
lca.lci(); lca.lcia()
print(json.dumps(lca.score))
"""


def test_export_killed_while_writing_the_study_foreground_is_repaired_by_the_next(tmp_path, reference):
    # `lca export` still writes the foreground as a bw2data database (lca.engine.project.ensure_foreground):
    # killed when its rows are written, before they are processed and the database marked ready,
    # the next export writes it again whole and plain bw2calc solves the project
    data_dir, bw_dir = _warm_copy(reference[0], tmp_path), tmp_path / "theirs"
    bw_dir.mkdir()  # bw2data checks BRIGHTWAY2_DIR at import
    export = ["export", str(STUDY), "--project", "p", "--brightway-dir", str(bw_dir)]
    argv = [sys.executable, "-c", KILL_CHILD, "bw2data.backends.base", "SQLiteBackend.process",
            "1", "before", "study-tiny-", "--", *export]
    env = dict(_env(data_dir), BRIGHTWAY2_DIR=str(bw_dir))
    killed = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    again = subprocess.run([sys.executable, "-m", "lca.cli", *export], env=env, capture_output=True, text=True,
                           timeout=TIMEOUT)
    assert again.returncode == 0, again.stderr
    check = subprocess.run([sys.executable, "-c", EXPORT_CHECK, "p"], env=env, capture_output=True, text=True,
                           timeout=TIMEOUT)
    assert check.returncode == 0, check.stderr
    # reference system: 2000 kWh x 0.475 kgCO2e/kWh = 950 kgCO2e, as `lca run` gives it
    assert json.loads(check.stdout.strip().splitlines()[-1]) == pytest.approx(950, rel=1e-6)


def test_run_killed_at_a_random_moment_of_the_build(tmp_path, reference):
    """No hook at all: SIGKILL as soon as the project folder exists but is not ready yet."""
    data_dir, out = tmp_path / "data", tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "lca.cli", *_run_args(data_dir, out)], env=_env(data_dir),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        if list((data_dir / "brightway").glob("ai-lca-*/*.json")) and not _ready_projects(data_dir):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    code = proc.wait(timeout=TIMEOUT)
    if code != -signal.SIGKILL:
        pytest.skip("the build finished before it could be killed")
    again = lca_run(data_dir, out)
    assert again.returncode == 0, again.stderr
    assert _results((out / "tiny.json").read_bytes()) == _results(reference[1])


def test_invalid_study_leaves_the_cached_project_untouched(tmp_path, reference):
    data_dir, out = _warm_copy(reference[0], tmp_path), tmp_path / "out"
    [mark] = _ready_projects(data_dir)
    stamp = mark.stat().st_mtime_ns
    bad = lca_run(data_dir, out, ROOT / "tests" / "bad_inputs" / "activity_loop_no_solution.yaml")
    assert bad.returncode == 2 and "no solution" in bad.stderr
    good = lca_run(data_dir, out)
    assert good.returncode == 0, good.stderr
    assert _results((out / "tiny.json").read_bytes()) == _results(reference[1])
    assert _ready_projects(data_dir) == [mark] and mark.stat().st_mtime_ns == stamp  # reused, not rebuilt


def test_run_killed_before_the_rename_keeps_the_previous_report(tmp_path, reference):
    data_dir, out = _warm_copy(reference[0], tmp_path), tmp_path / "out"
    out.mkdir()
    previous = b'{"previous": "report"}\n'
    (out / "tiny.json").write_bytes(previous)
    killed = killed_run(data_dir, out, "os", "replace", 1, "before", needle=str(out))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (out / "tiny.json").read_bytes() == previous
    leftovers = [p.name for p in out.iterdir() if p.name != "tiny.json"]
    assert all(name.startswith(".tiny.json.") and name.endswith(".tmp") for name in leftovers), leftovers
    again = lca_run(data_dir, out)
    assert again.returncode == 0 and _results((out / "tiny.json").read_bytes()) == _results(reference[1])


WRITER = r"""
import sys
from pathlib import Path
from lca.core.atomic import write_atomic
target, rounds = Path(sys.argv[1]), int(sys.argv[2])
for i in range(rounds):
    write_atomic(target, (b"A" if i % 2 else b"B") * 4_000_000)
"""


def test_a_reader_never_sees_a_half_written_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_bytes(b"A" * 4_000_000)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target), "40"], env=_env(tmp_path))
    seen = set()
    while writer.poll() is None:
        data = target.read_bytes()
        assert data in (b"A" * 4_000_000, b"B" * 4_000_000), f"torn read of {len(data)} bytes"
        seen.add(data[:1])
    assert writer.wait() == 0
    assert seen  # the reader did read while the writer ran


def test_atomic_write_has_normal_permissions_and_clears_old_leftovers(tmp_path):
    from lca.core.atomic import STALE_SECONDS, write_atomic

    old = tmp_path / ".report.json.dead.tmp"  # left by a writer killed long ago
    old.write_bytes(b"{")
    os.utime(old, (time.time() - STALE_SECONDS - 60,) * 2)
    fresh = tmp_path / ".report.json.alive.tmp"  # perhaps a writer at work right now
    fresh.write_bytes(b"{")
    mask = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "report.json", b"{}\n")
    finally:
        os.umask(mask)
    assert path.read_bytes() == b"{}\n"
    assert path.stat().st_mode & 0o777 == 0o644  # 0666 minus umask 022, not mkstemp's 0600
    assert not old.exists() and fresh.exists()


FIRST_USE = r"""
import sys
from pathlib import Path
from lca.engine.bw import brightway
bd, bc = brightway(Path(sys.argv[1]))
print(sorted(bd.projects))
"""


def test_first_use_of_a_data_dir_by_many_processes_at_once(tmp_path):
    # bw2data creates its "default" project on first import; unguarded, six processes doing it
    # at once on a fresh directory failed about one time in twenty (UNIQUE constraint failed)
    data_dir = tmp_path / "data"
    procs = [subprocess.Popen([sys.executable, "-c", FIRST_USE, str(data_dir)], env=_env(data_dir),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    outcomes = [p.communicate(timeout=TIMEOUT) + (p.returncode,) for p in procs]
    assert [code for _, _, code in outcomes] == [0] * 6, [err[-500:] for _, err, _ in outcomes]


def test_a_run_waiting_too_long_for_the_lock_says_who_holds_it(tmp_path, reference):
    from lca.engine.datadir import exclusive_lock

    data_dir, out = _warm_copy(reference[0], tmp_path), tmp_path / "out"
    env = dict(_env(data_dir), AI_LCA_LOCK_TIMEOUT="1")
    with exclusive_lock(data_dir):
        done = subprocess.run([sys.executable, "-m", "lca.cli", *_run_args(data_dir, out)], env=env,
                              capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 2
    assert f"waiting for another run using {data_dir.resolve()} (process {os.getpid()})" in done.stderr
    assert f"(process {os.getpid()}) has held" in done.stderr and "Traceback" not in done.stderr
    assert not (out / "tiny.json").exists()


def test_a_unit_cache_cut_short_by_a_killed_run_is_rebuilt(tmp_path):
    data_dir = tmp_path / "data"
    probe = [sys.executable, "-c", "from lca.core import units; print(round(units.parse_quantity('3 kWh').to('MJ').magnitude, 9))"]
    first = subprocess.run(probe, env=_env(data_dir), capture_output=True, text=True, timeout=TIMEOUT)
    assert first.returncode == 0 and first.stdout.strip() == "10.8"  # 3 kWh x 3.6 MJ/kWh
    pickles = list((data_dir / "cache" / "pint").glob("*.pickle"))
    assert pickles
    for path in pickles:  # what a writer killed mid-file leaves
        path.write_bytes(path.read_bytes()[:100])
    again = subprocess.run(probe, env=_env(data_dir), capture_output=True, text=True, timeout=TIMEOUT)
    assert again.returncode == 0 and again.stdout.strip() == "10.8", again.stderr
    assert all(p.stat().st_size > 1000 for p in (data_dir / "cache" / "pint").glob("*.pickle"))


def test_an_unwritable_output_is_a_clear_exit_2(tmp_path, reference):
    data_dir = _warm_copy(reference[0], tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    done = lca_run(data_dir, blocker / "out")
    assert done.returncode == 2, done.stderr
    # refused before computing (the output folder is checked first)
    assert f"lca: cannot write to {blocker / 'out'}: {blocker} (in the path of the output folder) is a file" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_a_folder_in_the_way_of_an_output_leaves_no_leftover(tmp_path):
    from lca.core.errors import OutputError
    from lca.core.atomic import write_atomic

    (tmp_path / "report.json").mkdir()
    with pytest.raises(OutputError, match="Is a directory"):
        write_atomic(tmp_path / "report.json", b"{}")
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
