"""``lca run STUDY --iterations N --seed S``: reproducible JSON, summary lines, bad values refused."""

from __future__ import annotations

import json

from conftest import DATA
from lca.cli import main


def _run(tmp_path, capsys, data_dir, *extra):
    code = main(["run", str(DATA / "mc-bench.yaml"), "--format", "json", "--out", str(tmp_path),
                 "--data-dir", str(data_dir), *extra])
    return code, capsys.readouterr()


def test_same_seed_same_json(tmp_path, capsys, data_dir):
    code, out = _run(tmp_path, capsys, data_dir, "--iterations", "400", "--seed", "17")
    assert code == 0
    assert "Monte Carlo: 400 iterations, seed 17" in out.out
    assert "P(net < 0) = 100.0%" in out.out  # net GWP about -463 +- 57 kgCO2e
    assert "hinges on reference heating: Electricity, world average (Sobol ST 0." in out.out  # ST about 0.7, see test_sensitivity
    first = json.loads((tmp_path / "mc-bench.json").read_text())
    code, _ = _run(tmp_path, capsys, data_dir, "--iterations", "400", "--seed", "17")
    second = json.loads((tmp_path / "mc-bench.json").read_text())
    for key in ("uncertainty", "sensitivity"):
        assert first[key] == second[key]
    assert first["uncertainty"]["seed"] == 17


def test_bad_iterations_exit_2(tmp_path, capsys, data_dir):
    import pytest

    with pytest.raises(SystemExit) as info:
        main(["run", str(DATA / "mc-bench.yaml"), "--iterations", "-5"])
    assert info.value.code == 2
    assert "give a number of iterations between 0 and 1,000,000 (got -5)" in capsys.readouterr().err
