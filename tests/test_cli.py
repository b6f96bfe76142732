"""The command line as a user runs it: real subprocesses, exit codes, located errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import DATA


def run_cli(*args, data_dir, cwd=None):
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir))
    return subprocess.run([sys.executable, "-m", "lca.cli", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


def test_validate_ok(data_dir):
    proc = run_cli("validate", DATA / "tiny.yaml", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "tiny.yaml: ok" in proc.stdout


MALFORMED = {
    "bad-yaml.yaml": ("study:\n  id: x\n   name: y\n", 3, "", "YAML syntax error"),
    "unknown-key.yaml": (
        "study: {id: x, name: X, functional_unit: {description: d}, colour: red}\n"
        "systems: {ai: {name: A, activities: [{id: a, name: A, stage: C1, phase: none, tier: other,\n"
        "  exchanges: [{dataset: electricity.fr, amount: '1 kWh', source: s}]}]}}\n",
        1, "study.colour", "unknown key 'colour'"),
    "missing-unit.yaml": (
        "study: {id: x, name: X, functional_unit: {description: d}}\n"
        "systems:\n  ai:\n    name: A\n    activities:\n"
        "      - id: a\n        name: A\n        stage: C1\n        phase: none\n        tier: other\n"
        "        exchanges:\n          - dataset: electricity.fr\n            amount: 12\n            source: s\n",
        13, "systems.ai.activities[0].exchanges[0].amount", "write it in kWh"),
    "unknown-reference.yaml": (
        "study: {id: x, name: X, functional_unit: {description: d}}\n"
        "systems:\n  ai:\n    name: A\n    activities:\n"
        "      - id: a\n        name: A\n        stage: C1\n        phase: none\n        tier: other\n"
        "        exchanges:\n          - dataset: electricity.frr\n            amount: 1 kWh\n            source: s\n",
        12, "systems.ai.activities[0].exchanges[0].dataset", "did you mean 'electricity.fr'"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_validate_malformed_prints_located_errors(name, tmp_path, data_dir):
    text, line, field, message = MALFORMED[name]
    path = tmp_path / name
    path.write_text(text)
    proc = run_cli("validate", path, data_dir=data_dir)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    first = proc.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{line}: {field or '(file)'}: "), first
    assert message in first


def test_validate_reports_every_problem_of_a_file(tmp_path, data_dir):
    path = tmp_path / "two.yaml"
    path.write_text(
        "study: {id: x, name: X, functional_unit: {description: d}}\n"
        "systems:\n  ai:\n    name: A\n    activities:\n"
        "      - {id: a, name: A, stage: C1, phase: none, tier: other,\n"
        "         exchanges: [{dataset: nope, amount: 1 kWh, source: s}]}\n"
        "      - {id: b, name: B, stage: C1, phase: none, tier: other,\n"
        "         exchanges: [{dataset: electricity.fr, amount: 3 kg, source: s}]}\n")
    proc = run_cli("validate", path, data_dir=data_dir)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{path}:7: systems.ai.activities[0].exchanges[0].dataset:")
    assert lines[1].startswith(f"{path}:9: systems.ai.activities[1].exchanges[0].amount:")


def test_run_writes_json_and_prints_summary(tmp_path, data_dir):
    proc = run_cli("run", DATA / "tiny.yaml", "--out", tmp_path / "out", "--format", "json", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "net (AI - ref)" in proc.stdout
    assert "Verdict: The gain holds on gwp" in proc.stdout
    assert "major finding(s): MISSING_MANDATORY_UNIT_PROCESS (ai, reference)" in proc.stdout
    out = tmp_path / "out" / "tiny.json"
    assert f"wrote {out}" in proc.stdout
    payload = json.loads(out.read_text())
    assert payload["schema_version"] == 1
    assert payload["systems"]["ai"]["total"]["gwp"] == pytest.approx(654.0, rel=1e-6)
    assert payload["systems"]["reference"]["total"]["gwp"] == pytest.approx(950.0, rel=1e-6)
    assert payload["net"]["gwp"] == pytest.approx(-296.0, rel=1e-6)
    assert payload["criteria"]["gwp"]["unit"] == "kgCO2e"
    assert set(payload["systems"]["ai"]["by_stage"]) == {"A+B", "C"}


def test_run_invalid_study_exits_2(tmp_path, data_dir):
    path = tmp_path / "bad.yaml"
    path.write_text("study: [\n")
    proc = run_cli("run", path, "--out", tmp_path, data_dir=data_dir)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert not list(tmp_path.glob("*.json"))


def test_run_unknown_format_exits_2(tmp_path, data_dir):
    proc = run_cli("run", DATA / "tiny.yaml", "--format", "docx", data_dir=data_dir)
    assert proc.returncode == 2
    assert "unknown format docx" in proc.stderr


def test_data_dir_option_is_used(tmp_path):
    target = tmp_path / "dd"
    env = dict(os.environ)
    env.pop("AI_LCA_DATA_DIR", None)
    env["HOME"] = str(tmp_path / "home")
    env["XDG_DATA_HOME"] = str(tmp_path / "home" / "share")
    proc = subprocess.run([sys.executable, "-m", "lca.cli", "run", str(DATA / "tiny.yaml"), "--format", "json",
                           "--out", str(tmp_path / "o"), "--data-dir", str(target)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (target / "brightway").is_dir()
    assert not (tmp_path / "home" / "share").exists()  # no data outside --data-dir (a cache may go to ~/.cache)
