"""A system that cannot be solved is a located error (exit 2), never NaN, a negative footprint or a traceback.

The study: ``top`` consumes 1 ``a``; ``a`` consumes 1 kWh of French electricity (0.056 kgCO2e)
and 1 ``b``; ``b`` consumes ``back`` units of ``a``. Supply of ``a`` = 1 / (1 - back), so the
AI footprint is 0.056 / (1 - back) kgCO2e: 0.112 at back = 0.5, no solution at back = 1
(singular), negative above 1 (a loop that consumes more than it makes).
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lca.core.errors import UnsolvableSystemError

STUDY = """\
study:
  id: loop
  name: Two activities that supply each other
  functional_unit: {{description: one run, quantity: 1, unit: run}}
parameters:
  back: {{value: "0.5", {uncertainty}assumption: test}}
systems:
  ai:
    name: AI solution
    activities:
      - id: top
        name: Top
        stage: C1
        phase: training
        tier: data_centre
        exchanges:
          - {{activity: a, amount: 1, assumption: test}}
      - id: a
        name: A
        stage: C1
        phase: training
        tier: data_centre
        exchanges:
          - {{dataset: electricity.fr, amount: "1 kWh", assumption: test}}
          - {{activity: b, amount: 1, assumption: test}}
      - id: b
        name: B
        stage: C1
        phase: training
        tier: data_centre
        exchanges:
          - {{activity: a, amount: "{back}", assumption: test}}
"""
A_TO_B_LINE, B_TO_A_LINE = 25, 32


def _study(tmp_path: Path, back: str = "back", uncertainty: str = "") -> Path:
    path = tmp_path / "loop.yaml"
    path.write_text(STUDY.format(back=back, uncertainty=uncertainty))
    return path


def _with_back(resolved, value: float):
    """The resolved study with b's amount of a set to ``value``: what would reach Brightway if a
    loop slipped past the study's loop check (which refuses back >= 1 before Brightway opens)."""
    system = resolved.systems["ai"]
    acts = tuple(dataclasses.replace(a, inputs=tuple(dataclasses.replace(i, amount=value) for i in a.inputs))
                 if a.id == "b" else a for a in system.activities)
    return dataclasses.replace(resolved, systems={"ai": dataclasses.replace(system, activities=acts)})


def test_a_one_for_one_loop_is_refused_at_its_line_by_the_cli(tmp_path, data_dir):
    proc = subprocess.run([sys.executable, "-m", "lca.cli", "run", str(_study(tmp_path, back="1")), "--out",
                           str(tmp_path / "out"), "--format", "json"], capture_output=True, text=True,
                          env=dict(os.environ, AI_LCA_DATA_DIR=str(data_dir)), timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert f"loop.yaml:{A_TO_B_LINE}: systems.ai.activities[1].exchanges[1].activity: activities a, b form a loop" \
        in proc.stderr


@pytest.mark.parametrize("back, why", [(1.0, "a singular system: supplies that are not finite"),
                                       (2.0, "a loop that consumes more than it makes: negative supplies")])
def test_a_loop_without_solution_that_reaches_brightway_is_located(tmp_path, library, data_dir, back, why):
    from lca.engine.compute import compute_study
    from lca.study import load_study, resolve

    resolved = resolve(load_study(_study(tmp_path)), library)
    # the sound study first: 0.056 / (1 - 0.5) = 0.112 kgCO2e
    assert compute_study(resolved, library, data_dir).totals["ai"]["gwp"] == pytest.approx(0.112, rel=1e-6)
    with pytest.raises(UnsolvableSystemError) as raised:
        compute_study(_with_back(resolved, back), library, data_dir)  # before: RuntimeError (NaN), or -0.056 kgCO2e
    [problem] = raised.value.problems
    assert problem.line == A_TO_B_LINE and problem.field == "systems.ai.activities[1].exchanges[1].activity"
    assert "activities a, b of ai have no solution together" in problem.message and why in problem.message
    assert f"at lines {A_TO_B_LINE}, {B_TO_A_LINE}" in problem.message


def test_monte_carlo_draws_that_break_the_loop_exit_2(tmp_path, data_dir):
    # back ~ uniform(0.1, 1.5): its value 0.5 solves, but P(back >= 1) = 0.5 / 1.4 = 36 % of the draws
    # do not (before: exit 0 with a 95 % interval down to -1.2 kgCO2e)
    study = _study(tmp_path, uncertainty="uncertainty: {distribution: uniform, min: 0.1, max: 1.5}, ")
    proc = subprocess.run([sys.executable, "-m", "lca.cli", "run", str(study), "--out", str(tmp_path / "out"),
                           "--format", "json", "--iterations", "1000", "--seed", "1"], capture_output=True,
                          text=True, env=dict(os.environ, AI_LCA_DATA_DIR=str(data_dir)), timeout=300)
    assert proc.returncode == 2, proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    assert line.startswith(f"{study}:{A_TO_B_LINE}: systems.ai.activities[1].exchanges[1].activity: activities a, b")
    draws = int(line.split(" evaluations")[0].split("in ")[-1].split(" of ")[0])
    assert 310 <= draws <= 405  # 1000 x 0.357, binomial sd 15: within 3 sd
    assert "parameter:back" in line and not (tmp_path / "out" / "loop.json").exists()


def test_monte_carlo_draws_that_keep_the_loop_below_one_still_run(tmp_path, library, data_dir):
    import lca

    study = _study(tmp_path, uncertainty="uncertainty: {distribution: uniform, min: 0.1, max: 0.9}, ")
    result = lca.assess(study, data_dir=data_dir, library=library, iterations=2000, seed=3)
    gwp = result.to_dict()["uncertainty"]["systems"]["ai"]["gwp"]
    # 0.056 / (1 - back): 2.5th percentile at back = 0.1 + 0.8 x 0.025 = 0.12 -> 0.0636,
    # 97.5th at back = 0.88 -> 0.467
    assert gwp["p2_5"] == pytest.approx(0.0636, rel=0.02)
    assert gwp["p97_5"] == pytest.approx(0.467, rel=0.05)
