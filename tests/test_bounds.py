"""Bounds on derived quantities (lca.study.bounds) and the sparse loop check (lca.study.loops),
on tiny systems whose numbers can be checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from lca.review.grading import _gain_problem
from lca.study.bounds import amortisation_problem, equipment_problem
from lca.study.loops import activity_matrix, loop_factor, loop_problems, supplies
from lca.study.model import ResolvedActivity, ResolvedInput, ResolvedSystem


def _act(ident, consumes=(), scale=1.0, top=False, energy=None):
    inputs = [ResolvedInput("activity", target, amount, "unit", None, f"systems.ai.activities[{ident}]", line)
              for line, (target, amount) in enumerate(consumes, start=10)]
    if energy is not None:
        inputs.append(ResolvedInput("dataset", "electricity.fr@default", energy, "kWh", "t", f"x.{ident}", 99))
    return ResolvedActivity(ident, ident, ("C1",), "C1", "training", "data_centre", scale, tuple(inputs), top)


def _system(*acts):
    return ResolvedSystem("ai", "AI", tuple(acts))


def test_a_loop_below_one_has_supplies_by_hand():
    # a needs 0.5 b, b needs 0.5 a, the FU needs one a: x_a = 1 + 0.5 x_b, x_b = 0.5 x_a
    # -> x_a = 1 / (1 - 0.25) = 4/3, x_b = 2/3; loop factor sqrt(0.5 * 0.5) = 0.5
    system = _system(_act("a", [("b", 0.5)], top=True), _act("b", [("a", 0.5)]))
    assert loop_problems(system, "s.yaml") == []
    assert np.allclose(supplies(system), [4 / 3, 2 / 3])
    m, _, _ = activity_matrix(system)
    assert loop_factor(m) == pytest.approx(0.5, rel=1e-9)


def test_a_loop_of_factor_one_or_more_is_refused_with_its_factor():
    # a needs 2 b, b needs 0.5 a: factor sqrt(2 * 0.5) = 1: consumes what it makes
    system = _system(_act("a", [("b", 2.0)], top=True), _act("b", [("a", 0.5)]))
    [problem] = loop_problems(system, "s.yaml")
    assert "activities a, b form a loop that consumes 1 unit(s) of itself" in problem.message
    # three activities, 2 x 1 x 1 around the loop: factor 2**(1/3) = 1.26
    system = _system(_act("a", [("b", 2.0)], top=True), _act("b", [("c", 1.0)]), _act("c", [("a", 1.0)]))
    [problem] = loop_problems(system, "s.yaml")
    assert "consumes 1.26 unit(s)" in problem.message


def test_the_loop_check_counts_the_consumed_activity_scale():
    # b is amortised over 4: a consumes 2 b per unit -> 2 x (1/4) = 0.5 of b's activity; b needs 1 a:
    # factor sqrt(0.5 x 1) = 0.71 < 1: a solution
    system = _system(_act("a", [("b", 2.0)], top=True), _act("b", [("a", 1.0)], scale=0.25))
    assert loop_problems(system, "s.yaml") == []


def test_a_large_loop_is_checked_without_a_dense_matrix():
    # 20,000 activities in one ring, each needing 0.9999 of the next: factor 0.9999 < 1 (solvable);
    # a dense 20,000 x 20,000 matrix would take 3.2 GB
    n = 20_000
    acts = [_act(f"a{i}", [(f"a{(i + 1) % n}", 0.9999)], top=(i == 0)) for i in range(n)]
    system = _system(*acts)
    assert loop_problems(system, "s.yaml") == []
    ring = [_act(f"a{i}", [(f"a{(i + 1) % n}", 1.0)], top=(i == 0)) for i in range(n)]
    [problem] = loop_problems(_system(*ring), "s.yaml")
    assert "and 19980 more form a loop" in problem.message


def test_equipment_bounds_name_their_inputs():
    # 2 x 100 h / (52,560 h x 0.5): a plausible share of 0.0076
    assert equipment_problem(2.0, 100.0, 52_560.0, 0.5) is None
    assert equipment_problem(2.0, 100.0, 1e-9, 1.0)[0] == "lifetime"
    assert equipment_problem(2.0, 100.0, 52_560.0, 1e-12)[0] == "utilisation"
    field, message = equipment_problem(1.0, 1e9, 52_560.0, 1.0)
    assert field == "hours" and "1.9e+04 lifetimes" in message  # 1e9 / 52,560 = 19,026
    assert equipment_problem(np.array([1.0]), 100.0, 1e-9, 1.0) is None  # Monte Carlo draws: not here
    assert amortisation_problem(1e-30).startswith("amortised_over 1e-30 charges the activity 1e+30 times")
    assert amortisation_problem(0.5) is None


@pytest.mark.parametrize("value,unit,criterion,cunit,field", [
    (20, "%", "gwp", "kgCO2e", None),
    (100, "%", "gwp", "kgCO2e", None),
    (-20, "%", "gwp", "kgCO2e", "value"),
    (250, "%", "gwp", "kgCO2e", "value"),
    (0, "%", "gwp", "kgCO2e", "value"),
    (5, "kg", "gwp", "kgCO2e", "unit"),
    (5, "tCO2e", "gwp", "kgCO2e", None),
    (-5, "tCO2e", "gwp", "kgCO2e", None),  # a signed quantity
    (5, "MWh", "energy", "kWh", None),
    (5, "kWhh", "energy", "kWh", "unit"),
])
def test_claimed_gain_bounds(value, unit, criterion, cunit, field):
    problem = _gain_problem(value, unit, criterion, cunit)
    assert (problem[0] if problem else None) == field
