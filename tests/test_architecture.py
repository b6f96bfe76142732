"""The architecture holds: the import contract of pyproject.toml (docs/architecture.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(exe), "--no-cache"], cwd=cwd, capture_output=True, text=True)


def test_lower_layers_never_import_higher_ones():
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "1 kept, 0 broken" in proc.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    """The check can fail: a copy of the package where lca.core imports lca.pipeline is refused."""
    import shutil

    shutil.copytree(ROOT / "lca", tmp_path / "lca", ignore=shutil.ignore_patterns("__pycache__", "_data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    bad = tmp_path / "lca" / "core" / "vocabulary.py"
    bad.write_text(bad.read_text() + "\n\ndef _upward():\n    from lca.pipeline import assess\n\n    return assess\n")
    proc = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=tmp_path,
                          capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path), "PATH": ""})
    assert proc.returncode != 0
    assert "lca.core.vocabulary -> lca.pipeline" in proc.stdout
