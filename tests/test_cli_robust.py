"""No crash from the command line: bad --seed and --iterations, Ctrl-C, an unusable --out checked
before computing, and the outputs of one run written as a set. Each runs the real ``lca``
command in a subprocess where it matters."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA, ROOT


def _lca(args, tmp_path, **kwargs):
    env = dict(os.environ, AI_LCA_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    env.pop("LCA_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "lca.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120, **kwargs)


@pytest.mark.parametrize("args,message", [
    (["--seed", "-1"], "give a seed between 0 and 4,294,967,295 (got -1)"),  # exit 1 (numpy ValueError) before
    (["--seed", "1e3"], "'1e3' is not a whole number"),
    (["--seed", "9" * 40], "give a seed between 0"),
    (["--iterations", "-5"], "give a number of iterations between 0 and 1,000,000 (got -5)"),
    (["--iterations", "ten"], "'ten' is not a whole number"),
])
def test_bad_seed_and_iterations_exit_2(args, message, tmp_path):
    proc = _lca(["run", str(DATA / "tiny.yaml"), "--out", str(tmp_path / "out"), *args], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


def _loading(pid: int, library: str) -> bool:
    try:
        return library in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see the imports under way")
def test_ctrl_c_during_start_up_imports_exits_130_quietly(tmp_path):
    # SIGINT once numpy's extension is mapped: the interpreter is in the middle of importing the
    # tool's dependencies (pint, pydantic, ...); before, this printed a traceback
    env = dict(os.environ, AI_LCA_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "lca.cli", "validate", str(DATA / "tiny.yaml")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    while not _loading(proc.pid, "_multiarray_umath") and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the validation finished before the signal arrived")
    assert proc.returncode == 130, err
    assert err.strip() == "lca: interrupted"


def test_ctrl_c_in_an_import_of_the_tool_is_quiet(monkeypatch, capsys):
    # the same, in process and deterministic: a KeyboardInterrupt raised by an import the command makes
    import builtins

    from lca import cli

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "lca.pipeline":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    try:
        assert cli.main(["validate", str(DATA / "tiny.yaml")]) == 130
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    assert capsys.readouterr().err == "lca: interrupted\n"


def test_an_unusable_out_is_refused_before_computing(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    start = time.monotonic()
    proc = _lca(["run", str(DATA / "tiny.yaml"), "--out", str(blocker / "out"), "--format", "json"], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert f"cannot write to {blocker / 'out'}: {blocker} (in the path of the output folder) is a file" in proc.stderr
    # before: the whole Brightway build and computation ran first; now the data directory is untouched
    assert not (tmp_path / "data" / "brightway").exists()
    assert time.monotonic() - start < 60


def test_outputs_are_written_as_a_set(tmp_path):
    from lca.core.atomic import write_set
    from lca.core.errors import OutputError

    out = tmp_path / "out"
    write_set({out / "s.json": b"old json", out / "s.html": b"old html"})
    (out / "s.pdf").mkdir()  # a folder in the way of the PDF: the rename of the set fails
    with pytest.raises(OutputError, match="the previous files, if any, are unchanged"):
        write_set({out / "s.json": b"new json", out / "s.html": b"new html", out / "s.pdf": b"new pdf"})
    assert (out / "s.json").read_bytes() == b"old json"  # ...and not new json beside an old html
    assert sorted(p.name for p in out.iterdir()) == ["s.html", "s.json", "s.pdf"]  # no temporary left


def test_a_failing_renderer_leaves_the_previous_outputs(tmp_path, monkeypatch, tiny_result):
    import lca.report
    from lca.io.publish import write_outputs

    out = tmp_path / "out"
    first = write_outputs(tiny_result, out, ["json", "html"])
    before = {p.name: p.read_bytes() for p in first}

    def broken(result, *args):
        raise RuntimeError("planted: the PDF engine failed")

    monkeypatch.setattr(lca.report, "render_pdf", broken)
    with pytest.raises(RuntimeError, match="planted"):
        write_outputs(tiny_result, out, ["json", "html", "pdf"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_rename_failing_midway_puts_back_the_files_already_renamed(tmp_path, monkeypatch):
    import lca.core.atomic as atomic

    out = tmp_path / "out"
    atomic.write_set({out / "s.json": b"old json", out / "s.html": b"old html"})
    real_replace, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the second rename of the set (the HTML) fails: disk error
            raise OSError(5, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(atomic.OutputError, match="Input/output error"):
        atomic.write_set({out / "s.json": b"new json", out / "s.html": b"new html"})
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert (out / "s.json").read_bytes() == b"old json" and (out / "s.html").read_bytes() == b"old html"
    assert sorted(p.name for p in out.iterdir()) == ["s.html", "s.json"]
