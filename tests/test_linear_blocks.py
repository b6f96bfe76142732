"""The structure-aware Monte Carlo kernel: foreground block solves and linear background terms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

import lca
from lca.uncertainty.foreground import ForegroundSolver
from lca.uncertainty.model import build_model
from lca.uncertainty.montecarlo import run_monte_carlo

GWP = 0


def _chain():
    # nodes: 0 = functional unit, 1 = a, 2 = b.  FU needs 2 a, each a needs 3 b:
    #   x_fu = 1, x_a = 2, x_b = 2 x 3 = 6  (Brightway signs: inputs negative)
    A = sparse.csr_matrix(np.array([[1.0, 0, 0], [-2.0, 1, 0], [0, -3.0, 1]]))
    D = np.array([[1.0], [0], [0]])
    return A, D, np.linalg.solve(A.toarray(), D)


def test_forward_substitution_of_a_chain():
    A, D, X0 = _chain()
    # b's consumption by a goes from 3 to 3 + 1 and 3 - 0.5 (cell row b, column a: sign -)
    solver = ForegroundSolver(A, D, X0, ((2, 1),))
    X = solver.solve(np.array([[-1.0, 0.5]]))
    np.testing.assert_allclose(X[:, :, 0].T, [[1, 2, 8], [1, 2, 5]])
    assert [list(s.rows) for s in solver.steps] == [[2]]  # only b is downstream of the changed cell


def test_a_loop_is_one_small_block():
    # FU needs 1 a; a needs 0.5 b; b needs 0.5 a:  x_a = 1 + 0.5 x_b, x_b = 0.5 x_a
    #   -> x_a = 1 / (1 - 0.25) = 4/3, x_b = 2/3.  With b needing 0.8 a: x_a = 1/(1 - 0.4) = 5/3, x_b = 0.5 x 5/3 = 5/6
    A = sparse.csr_matrix(np.array([[1.0, 0, 0], [-1.0, 1, -0.5], [0, -0.5, 1]]))
    D = np.array([[1.0], [0], [0]])
    X0 = np.linalg.solve(A.toarray(), D)
    np.testing.assert_allclose(X0[:, 0], [1, 4 / 3, 2 / 3])
    solver = ForegroundSolver(A, D, X0, ((1, 2),))  # a's consumption by b changes
    X = solver.solve(np.array([[-0.3, 0.0]]))
    np.testing.assert_allclose(X[:, :, 0].T, [[1, 5 / 3, 5 / 6], [1, 4 / 3, 2 / 3]])
    assert [list(s.rows) for s in solver.steps] == [[1, 2]]


LOOP_STUDY = """
study: {id: mc-loop, name: Loop, functional_unit: {description: x}}
systems:
  ai:
    name: AI
    activities:
      - {id: top, name: Top, stage: C1, phase: inference, tier: data_centre,
         exchanges: [{activity: a, amount: 1, assumption: t}]}
      - {id: a, name: A, stage: C1, phase: inference, tier: data_centre,
         exchanges: [{dataset: electricity.fr@owid-2023, amount: "100 kWh", assumption: t},
                     {activity: b, amount: 0.5, assumption: t,
                      uncertainty: {distribution: uniform, min: 0.25, max: 0.75}}]}
      - {id: b, name: B, stage: C1, phase: inference, tier: data_centre,
         exchanges: [{dataset: electricity.world@iea-2019, amount: "10 kWh", assumption: t},
                     {activity: a, amount: 0.5, assumption: t}]}
"""


def test_a_loop_with_an_uncertain_exchange_matches_the_closed_form(library, data_dir, tmp_path):
    # top needs 1 a; a needs u b (u uniform 0.25-0.75); b needs 0.5 a:
    #   x_a = 1 + 0.5 x_b, x_b = u x_a  ->  x_a = 1 / (1 - 0.5 u), x_b = u x_a
    #   GWP = x_a x 100 kWh x 0.056 + x_b x 10 kWh x 0.475 = 5.6 x_a + 4.75 x_b
    #   u = 0.25: x_a = 8/7, x_b = 2/7  -> 6.4 + 1.357143 = 7.757143
    #   u = 0.5:  x_a = 4/3, x_b = 2/3  -> 7.466667 + 3.166667 = 10.633333
    #   u = 0.75: x_a = 8/5, x_b = 6/5  -> 8.96 + 5.7 = 14.66
    study = tmp_path / "loop.yaml"
    study.write_text(LOOP_STUDY)
    model = build_model(lca.load_study(study), library, data_dir)
    (inp,) = model.inputs
    scores = model.scores({inp.name: np.array([0.25, 0.5, 0.75])}, 3)[:, 0, GWP]
    np.testing.assert_allclose(scores, [7.757143, 10.633333, 14.66], rtol=1e-6)
    assert model.linear.scores[0, GWP] == pytest.approx(10.633333, rel=1e-6)
    assert model.linear._solvers  # the foreground block was solved, not taken as fixed


def test_deterministic_draws_are_the_brightway_scores_on_every_path(library, data_dir):
    # mc-bench has exchanges to background datasets, a direct emission and an activity-to-activity
    # exchange: with every input at its deterministic value all three paths give Brightway's scores
    from conftest import DATA

    model = build_model(lca.load_study(DATA / "mc-bench.yaml"), library, data_dir)
    values = {i.name: np.full(4, i.base) for i in model.inputs}
    np.testing.assert_allclose(model.scores(values, 4), np.broadcast_to(model.linear.scores, (4,) + model.linear.scores.shape),
                               rtol=1e-9, atol=1e-15)
    mc = run_monte_carlo(model, 200, seed=1)
    assert np.std(mc.system("ai")[:, GWP]) > 1
