"""The corpus of bad inputs: every file must be refused with exit 2 and located messages.

``tests/bad_inputs/NAME.yaml`` is a bad study file; ``NAME.expect`` lists the problems it must
produce, one per line, as ``LINE: FIELD: TEXT`` (``TEXT`` is a part of the message, ``*`` as
FIELD matches any field). A few cases too large to keep in the repository (a 6 MB file, 100 000
nested brackets, a 3 MB id, 20 000 unknown keys, 110 000 keys) are generated here. Every case runs through the real ``lca`` command
in a subprocess: exit code 2, ``PATH:LINE: field: message`` lines on stderr, no traceback, within
a bounded time and memory, and nothing a file smuggles in is executed. ``/dev/zero`` checks that an
endless stream is cut at the size limit.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = sorted(CORPUS.glob("*.yaml"))
PROBLEM_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<field>(?:(?!: ).)+): (?P<message>.+)$")
MAX_SECONDS_ALL = 90  # the whole corpus in one process (about 5 s on a laptop)
MAX_SECONDS_ONE = 30  # one hostile file, including the interpreter start (about 2 s)
MAX_RSS_MB = 600  # one process: Python, numpy, pint, pydantic (about 150 MB)

# Generated cases: name -> (content, expected lines)
GENERATED = {
    "very_large_file": (b"# padding\n" + b"#" * 79 + b"\n" + (b"# " + b"x" * 77 + b"\n") * 650_000,
                        ["1: (file): over the 50000000-byte limit"]),
    "flow_nesting_100k": (b"study: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
                          ["1: (file): YAML syntax error: exceeded maximum nesting depth"]),
    "id_of_3_megabytes": (b"study:\n  id: " + b"X" * 3_000_000 + b"\n",
                          ["2: study.id: is not an id: use lower-case letters"]),
    "unknown_keys_20k": (b"study:\n" + b"".join(b"  k%d: 1\n" % i for i in range(20_000)),
                         ["*: (file): more problems not shown; fix the ones above first"]),
    "key_of_100k_characters": (b"study:\n  ? " + b"k" * 100_000 + b"\n  : 1\n", ["2: *: unknown key 'kkkk"]),
    "keys_200k": (b"study:\n" + b"".join(b"  k%d: 1\n" % i for i in range(110_000)),
                  ["*: (file): more problems not shown; fix the ones above first"]),  # 220,000 nodes: a valid size
}

# Paths that are not ordinary files: an endless stream must be cut at the size limit
DEVICES = {"/dev/zero": ["1: (file): over the 50000000-byte limit"]} if Path("/dev/zero").exists() else {}


def _expected(path: Path) -> list[tuple[str, str, str]]:
    lines = [ln for ln in path.with_suffix(".expect").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return [tuple(ln.split(": ", 2)) for ln in lines]


def _run(args: list[str], cwd: Path, data_dir: Path) -> tuple[int, str, str, float, float]:
    """Run ``python -m lca.cli ARGS``; return exit code, stdout, stderr, seconds and peak RSS (MB)."""
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    env.pop("LCA_DEBUG", None)
    out, err = cwd / ".stdout", cwd / ".stderr"
    start = time.monotonic()
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.Popen([sys.executable, "-m", "lca.cli", *args], cwd=cwd, env=env, stdout=o, stderr=e)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            raise
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    return (proc.returncode, out.read_text(errors="replace"), err.read_text(errors="replace"), seconds,
            usage.ru_maxrss / 1024)


def _check_output(shown: str, stderr_lines: list[str], expected: list[tuple[str, str, str]]) -> None:
    """Every stderr line of ``shown`` is located; every expected problem is among them."""
    found = []
    for line in stderr_lines:
        m = PROBLEM_LINE.match(line)
        assert m, f"not a PATH:LINE: field: message line: {line!r}"
        assert len(m["field"]) <= 200 and len(m["message"]) <= 1000, f"overlong problem line: {line[:300]!r}"
        if m["path"] == shown:
            found.append(m)
    assert found, f"{shown}: no problem reported"
    for line, field, text in expected:
        assert any((line == "*" or m["line"] == line) and (field == "*" or m["field"] == field)
                   and text in m["message"] for m in found), (
            f"{shown}: expected {line}: {field}: {text}\n got:\n" + "\n".join(m.group(0) for m in found))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A scratch folder holding copies of the cases and the generated ones (the cwd of the runs)."""
    folder = tmp_path_factory.mktemp("bad-inputs")
    for case in CASES:
        (folder / case.name).write_bytes(case.read_bytes())
    for name, (content, _) in GENERATED.items():
        (folder / f"{name}.yaml").write_bytes(content)
    return folder


@pytest.fixture(scope="module")
def corpus_run(workdir, tmp_path_factory):
    """``lca validate`` over every case at once, in one real process."""
    names = [c.name for c in CASES] + [f"{n}.yaml" for n in GENERATED] + list(DEVICES)
    data_dir = tmp_path_factory.mktemp("data")
    code, stdout, stderr, seconds, rss = _run(["validate", *names], workdir, data_dir)
    return names, code, stdout, stderr, seconds, rss


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    for case in CASES:
        assert case.with_suffix(".expect").exists(), f"{case.name} has no .expect file"


def test_every_bad_input_is_refused_with_located_problems(corpus_run, capsys):
    names, code, stdout, stderr, seconds, rss = corpus_run
    assert code == 2
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr[-3000:]
    assert not [ln for ln in stdout.splitlines() if ln.endswith(": ok")], stdout
    lines = stderr.splitlines()
    for case in CASES:
        _check_output(case.name, lines, _expected(case))
    for name, (_, expected) in GENERATED.items():
        _check_output(f"{name}.yaml", lines, [tuple(e.split(": ", 2)) for e in expected])
    for name, expected in DEVICES.items():
        _check_output(name, lines, [tuple(e.split(": ", 2)) for e in expected])
    assert seconds < MAX_SECONDS_ALL and rss < MAX_RSS_MB
    with capsys.disabled():
        print(f"\nbad inputs tried: {len(names)} ({len(CASES)} corpus files + {len(GENERATED)} generated"
              f" + {len(DEVICES)} device), "
              f"all refused with exit 2 and located messages in {seconds:.1f} s, peak memory {rss:.0f} MB")


def test_nothing_smuggled_in_was_executed(corpus_run, workdir):
    # python_object_tag, amount_code_injection: would create HACKED in the working folder
    assert not (workdir / "HACKED").exists()


# the most expensive ones, each in a process of its own (the others are bounded by the corpus run)
HOSTILE = ["alias_bomb", "amount_power_bomb", "python_object_tag", "very_large_file", "flow_nesting_100k",
           "keys_200k"]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_alone_exits_2_in_bounded_time_and_memory(name, workdir, tmp_path):
    code, stdout, stderr, seconds, rss = _run(["validate", f"{name}.yaml"], workdir, tmp_path)
    assert code == 2, stderr
    assert "Traceback" not in stderr
    assert all(PROBLEM_LINE.match(line) for line in stderr.splitlines()), stderr
    assert seconds < MAX_SECONDS_ONE, f"{name}: {seconds:.1f} s"
    assert rss < MAX_RSS_MB, f"{name}: {rss:.0f} MB"
    assert not (workdir / "HACKED").exists()


@pytest.mark.parametrize("name", ["activity_loop_no_solution", "unit_wrong_dimension", "python_object_tag"])
def test_lca_run_refuses_bad_input_and_writes_nothing(name, workdir, tmp_path):
    out = tmp_path / "out"
    code, stdout, stderr, seconds, rss = _run(
        ["run", f"{name}.yaml", "--out", str(out), "--format", "json", "--data-dir", str(tmp_path / "data")],
        workdir, tmp_path / "data")
    assert code == 2, stderr
    expected = _expected(CORPUS / f"{name}.yaml")
    _check_output(f"{name}.yaml", stderr.splitlines(), expected)
    assert not out.exists() or not any(out.iterdir())

