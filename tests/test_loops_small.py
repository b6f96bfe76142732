"""Small acyclic systems are checked and their supplies computed in plain Python (lca.study.loops,
no scipy import); the numbers are those of the sparse solve used for large or looped systems."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from lca.study import loops
from lca.study.model import ResolvedActivity, ResolvedInput, ResolvedSystem


def _system(n: int, edges: list[tuple[int, int, float]], scales=None) -> ResolvedSystem:
    scales = scales or [1.0] * n
    acts = []
    for i in range(n):
        inputs = tuple(ResolvedInput("activity", f"a{j}", w, "unit", None, f"systems.ai.activities[{i}]", 10 + i)
                       for k, j, w in edges if k == i)
        acts.append(ResolvedActivity(f"a{i}", f"a{i}", ("C1",), "C1", "training", "data_centre", scales[i], inputs,
                                     i == 0))
    return ResolvedSystem("ai", "AI", tuple(acts))


def test_a_chain_by_hand():
    # a0 needs 2 a1, a1 needs 3 a2 (a2 amortised over 4: scale 1/4): x = [1, 2, 2 x 3 x 1/4 = 1.5]
    system = _system(3, [(0, 1, 2.0), (1, 2, 3.0)], scales=[1.0, 1.0, 0.25])
    assert loops.supplies(system) == pytest.approx([1.0, 2.0, 1.5], rel=1e-15)
    assert loops.loop_problems(system, "s.yaml") == []


@pytest.mark.parametrize("seed", range(5))
def test_random_acyclic_systems_agree_with_the_sparse_solve(seed):
    rng = np.random.default_rng(seed)
    n = 60
    edges = [(i, j, float(rng.uniform(0.1, 3))) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.08]
    scales = list(rng.uniform(0.2, 1.0, n))
    system = _system(n, edges, scales)
    assert loops.consumers_first(n, [(i, j, None) for i, j, _ in edges]) is not None
    m = sp.csr_matrix(([w * scales[j] for _, j, w in edges], ([e[0] for e in edges], [e[1] for e in edges])),
                      shape=(n, n))
    demand = np.array([scales[0]] + [0.0] * (n - 1))
    expected = spsolve((sp.identity(n, format="csc") - m.T.tocsc()).tocsc(), demand)
    assert loops.supplies(system) == pytest.approx(expected, rel=1e-9)


def test_a_self_loop_or_a_ring_is_no_order():
    assert loops.consumers_first(2, [(0, 1, None), (1, 0, None)]) is None
    assert loops.consumers_first(1, [(0, 0, None)]) is None
    # a ring goes to the sparse check: a0 needs 2 a1 and a1 needs 1 a0, factor sqrt(2) > 1, refused
    [problem] = loops.loop_problems(_system(2, [(0, 1, 2.0), (1, 0, 1.0)]), "s.yaml")
    assert "form a loop that consumes 1.41 unit(s)" in problem.message


def test_a_long_acyclic_chain_needs_no_scipy(monkeypatch):
    # 5,000 activities, a_i needs 2 a_(i+1) at first then 0.5 back: an acyclic chain of any length is
    # ordered in plain Python (no scipy import: a None in sys.modules makes `import` fail)
    n = 5000
    system = _system(n, [(i, i + 1, 2.0 if i < 3 else 0.5) for i in range(n - 1)])
    for name in ("scipy.sparse", "scipy.sparse.csgraph", "scipy.sparse.linalg"):
        monkeypatch.setitem(sys.modules, name, None)
    assert loops.loop_problems(system, "s.yaml") == []
    x = loops.supplies(system)
    # x_0 = 1, x_1 = 2, x_2 = 4, x_3 = 8, then halved at each step: x_4 = 4, x_5 = 2
    assert list(x[:6]) == [1.0, 2.0, 4.0, 8.0, 4.0, 2.0]


def test_a_long_ring_still_goes_through_the_sparse_check_and_is_located():
    # 3,000 activities in a ring, each needing 1 of the next: factor 1, no solution; the problem is on
    # the first exchange of the loop by line (line 10 + 0, field of a0)
    n = 3000
    [problem] = loops.loop_problems(_system(n, [(i, (i + 1) % n, 1.0) for i in range(n)]), "s.yaml")
    assert "and 2980 more form a loop that consumes 1 unit(s)" in problem.message
    assert (problem.path, problem.line, problem.field) == ("s.yaml", 10, "systems.ai.activities[0].activity")
