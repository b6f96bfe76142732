"""Ctrl-C at any moment of `lca`: exit 130 with one line, never a Python traceback.

Real subprocesses (the installed `lca` script and `python -m lca`) are sent SIGINT after several
delays: during start-up (lca.cli and its imports loading, where a traceback was printed before),
while the library loads and while a study validates.

The first milliseconds belong to the interpreter itself, before the first line of ai-lca runs
(about 40 ms on a loaded machine of this project): a SIGINT then either ends the process by the
signal itself (returncode -SIGINT, which a shell shows as 130, nothing printed), or CPython prints
its own KeyboardInterrupt (while importing its `site` module: "Fatal Python error:
init_import_site"; or in the script's `from lca.entry import main` while the package is looked
for; or, the signal landing in a callback of CPython's import locks, "Exception ignored in" and
the run going on). No code of ai-lca can run earlier; such outcomes are counted, and allowed only
below INTERPRETER_WINDOW.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import DATA, ROOT

DELAYS = (0.01, 0.03, 0.05, 0.1, 0.2, 0.4, 0.8, 1.5)
INTERPRETER_WINDOW = 0.1  # s: from this delay on, Python has surely started running the `lca` script


def _interrupted(command: list[str], delay: float, data_dir: Path) -> tuple[int, str] | None:
    """(returncode, stderr) of ``command`` sent SIGINT after ``delay`` s; None when it ended first."""
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir))
    env.pop("LCA_DEBUG", None)
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(delay)
    if proc.poll() is not None:
        proc.communicate()
        return None
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


def _interpreter_start(code: int, err: str) -> bool:
    """An outcome of the interpreter's own start-up, before any line of ai-lca ran: no frame of
    the package in the traceback (CPython's site import, or the script's `from lca.entry import main`
    still looking for the package)."""
    if code == -signal.SIGINT and not err:
        return True
    if str(ROOT / "lca") in err:
        return False
    if err.startswith("Exception ignored in") and '"<frozen importlib._bootstrap>"' in err:
        # the signal landed in a callback of CPython's import locks, where Python prints the
        # KeyboardInterrupt as ignored and goes on: the run then ends as if never interrupted
        return True
    return code in (1, -signal.SIGINT) and "KeyboardInterrupt" in err


def _check(command: list[str], tmp_path: Path) -> None:
    """``command`` is a run on a fresh data directory: busy (importing, then building the
    Brightway project) for longer than the last delay."""
    seen = []
    for delay in DELAYS:
        outcome = _interrupted(command, delay, tmp_path / "data")
        if outcome is None:
            continue
        code, err = outcome
        if delay < INTERPRETER_WINDOW and _interpreter_start(code, err):
            seen.append(f"{delay}: interpreter start-up ({code})")
            continue
        assert "Traceback" not in err, f"after {delay} s:\n{err}"
        assert code == 130, f"after {delay} s: exit {code}\n{err}"
        assert err.strip().splitlines()[-1] == "lca: interrupted", err
        seen.append(f"{delay}: 130")
    assert sum(s.endswith(": 130") for s in seen) >= 4, seen
    assert not list((tmp_path / "out").glob("*.json")), "an interrupted run wrote a result"
    print(f"{command[:3]}: " + ", ".join(seen))


def _run(tmp_path: Path) -> list[str]:
    return ["run", str(DATA / "tiny.yaml"), "--out", str(tmp_path / "out"), "--format", "json"]


def test_ctrl_c_at_any_moment_of_the_lca_script_exits_130_quietly(tmp_path):
    script = Path(sys.executable).with_name("lca")
    assert "lca.entry" in script.read_text(), "the lca script predates lca.entry: run `make venv` again"
    _check([str(script), *_run(tmp_path)], tmp_path)


def test_ctrl_c_at_any_moment_of_python_m_lca_exits_130_quietly(tmp_path):
    _check([sys.executable, "-m", "lca", *_run(tmp_path)], tmp_path)
