"""The installed package, not the checkout: a wheel in a fresh virtual environment, run elsewhere.

The wheel must carry the inventories and the report templates (mapped into ``lca/_data`` at build
time). The fresh environment takes its dependencies from the test environment (a ``.pth`` line;
``AI_LCA_FULL_INSTALL=1`` installs them from the package index instead, as CI does), but ai-lca
itself only from the wheel, and runs from a folder outside the checkout: it must give the same
numbers as the editable install.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, STUDIES

DEMO = STUDIES / "demo-office-heating.yaml"


def _run(cmd: list, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, ROOT])
    (path,) = out.glob("ai_lca-*.whl")
    return path


@pytest.fixture(scope="module")
def fresh_env(wheel, tmp_path_factory) -> Path:
    env_dir = tmp_path_factory.mktemp("fresh") / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    if os.environ.get("AI_LCA_FULL_INSTALL") == "1":
        _run([python, "-m", "pip", "install", "--quiet", wheel])
    else:
        _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel])
        purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
        Path(purelib, "test-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return env_dir


def test_wheel_carries_the_data_and_templates(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in (ROOT / "inventories").rglob("*.yaml"):
        assert f"lca/_data/inventories/{shipped.relative_to(ROOT / 'inventories').as_posix()}" in names
    for template in (ROOT / "reports" / "templates").iterdir():
        assert f"lca/_data/templates/{template.name}" in names


def test_installed_package_runs_the_demo_elsewhere_with_the_same_numbers(fresh_env, tmp_path, library,
                                                                         data_dir):
    import lca

    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    study = shutil.copy(DEMO, workdir / "study.yaml")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "AI_LCA_DATA_DIR", "BRIGHTWAY2_DIR")}
    env["AI_LCA_DATA_DIR"] = str(tmp_path / "data")
    lca_cmd = fresh_env / "bin" / "lca"
    where = _run([fresh_env / "bin" / "python", "-c", "import lca; print(lca.__file__)"], cwd=workdir, env=env)
    assert where.stdout.strip().startswith(str(fresh_env)), "lca was not imported from the wheel"
    listing = json.loads(_run([lca_cmd, "data", "list", "--json"], cwd=workdir, env=env).stdout)
    assert len(listing) == len(library.datasets)
    _run([lca_cmd, "run", study, "--out", "out", "--format", "json,html", "--quiet"], cwd=workdir, env=env)
    installed = json.loads((workdir / "out" / "demo-office-heating.json").read_text())
    editable = lca.assess(DEMO, data_dir=data_dir, library=library)
    for system, values in editable.systems.items():
        for criterion, total in values.total.items():
            assert installed["systems"][system]["total"][criterion] == pytest.approx(total, rel=1e-12)
    assert "<svg" in (workdir / "out" / "demo-office-heating.html").read_text()
