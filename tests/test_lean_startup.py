"""`lca --help`, `lca validate` and `lca data` start without the engine, the report or the
plotting: none of them may import Brightway, WeasyPrint or matplotlib (each a second or more of
start-up). An eager import added anywhere on their path makes this test fail."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "inventories" / "studies" / "demo-office-heating.yaml"
NEVER = ("bw2calc", "bw2data", "bw_processing", "weasyprint", "matplotlib", "pandas", "SALib", "scipy.stats")

# Runs the command in this process, then prints the modules of NEVER (and scipy.sparse) it imported.
PROBE = """
import contextlib, io, json, sys
from lca.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        code = main(sys.argv[2:])
    except SystemExit as exc:  # --help
        code = exc.code
print(json.dumps({"code": code, "imported": [m for m in json.loads(sys.argv[1]) if m in sys.modules]}))
"""


def _imported(args: list[str], tmp_path: Path, watch=NEVER) -> list[str]:
    env = dict(os.environ, AI_LCA_DATA_DIR=str(tmp_path / "data"), BRIGHTWAY2_DIR=str(tmp_path / "data" / "bw"))
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(list(watch)), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["code"] == 0, proc.stderr
    return out["imported"]


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["validate", str(DEMO)], ["data", "list"],
                                  ["data", "show", "gpu.nvidia-a100-40gb"]], ids=" ".join)
def test_help_validate_and_data_import_nothing_heavy(args, tmp_path):
    assert _imported(args, tmp_path) == []


def test_help_imports_not_even_the_study_model(tmp_path):
    assert _imported(["--help"], tmp_path, ("pint", "pydantic", "numpy", "lca.study", "lca.pipeline")) == []


def test_validating_an_acyclic_study_needs_no_scipy_sparse(tmp_path):
    # the demo's activities consume each other without loops: checked in plain Python (lca.study.loops)
    assert _imported(["validate", str(DEMO)], tmp_path, ("scipy.sparse",)) == []


def test_the_probe_sees_an_eager_import(tmp_path):
    # `lca run` of a study computes it: Brightway is imported (the probe is not blind)
    out = tmp_path / "out"
    assert "bw2calc" in _imported(["run", str(ROOT / "tests" / "data" / "tiny.yaml"), "--format", "json",
                                   "--out", str(out), "--quiet"], tmp_path)
