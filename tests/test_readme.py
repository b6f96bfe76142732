"""The README's Python example runs as written."""

from __future__ import annotations

import os
import re

from conftest import ROOT


def test_readme_example_runs(data_dir, capsys, monkeypatch):
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("AI_LCA_DATA_DIR", os.fspath(data_dir))
    exec(compile(block, "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "654.0 kgCO2e"
    assert lines[1] == "-296.0"
    assert lines[2] == "['A+B', 'C']"
