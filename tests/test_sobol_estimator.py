"""Our Sobol estimators (lca.uncertainty.sobol) give exactly SALib's numbers, without importing SALib."""

import numpy as np
import pytest

from lca.uncertainty.sensitivity import saltelli_rows
from lca.uncertainty.sobol import first_and_total


def _outputs(d: int, n: int, seed: int) -> np.ndarray:
    # a non-additive model at Saltelli's points: y = x0 + 2 x1 x2 + 0.1 (x3 + ...), or x0^2 for one input
    x = saltelli_rows(np.random.default_rng(seed).random((n, 2 * d)), d)
    if d == 1:
        return x[:, 0] ** 2
    return x[:, 0] + 2.0 * x[:, 1] * x[:, min(2, d - 1)] + 0.1 * x[:, 3:].sum(axis=1)


@pytest.mark.parametrize("d, n, seed", [(3, 64, 1), (5, 256, 7), (1, 32, 3)])
def test_first_and_total_are_salibs(d, n, seed):
    from SALib.analyze import sobol

    y = _outputs(d, n, seed)
    problem = {"num_vars": d, "names": [f"x{j}" for j in range(d)], "bounds": [[0.0, 1.0]] * d}
    expected = sobol.analyze(problem, y, calc_second_order=False, num_resamples=100, seed=seed)
    ours = first_and_total(y, d, num_resamples=100, seed=seed)
    for key in ("S1", "S1_conf", "ST", "ST_conf"):
        np.testing.assert_allclose(ours[key], expected[key], rtol=1e-12, atol=1e-15)


def test_an_input_that_does_nothing_has_zero_indices():
    # y = x0 only: x1 never changes y, so AB_1 = A and both its indices are exactly 0
    base = np.random.default_rng(2).random((128, 4))
    y = saltelli_rows(base, 2)[:, 0]
    out = first_and_total(y, 2, seed=2)
    assert out["S1"][1] == 0.0 and out["ST"][1] == 0.0
    assert out["S1"][0] == pytest.approx(1.0, abs=0.1) and out["ST"][0] == pytest.approx(1.0, abs=0.1)


def test_outputs_not_in_whole_saltelli_rows_are_refused():
    with pytest.raises(ValueError, match="Saltelli rows"):
        first_and_total(np.zeros(7), 2)


@pytest.mark.parametrize("d, n, seed", [(1, 8, 0), (2, 64, 1), (7, 256, 42), (40, 1024, 2**31 + 5), (2000, 64, 3)])
def test_sobol_points_are_scipys(d, n, seed):
    from scipy.stats import qmc

    from lca.uncertainty.sobol import sobol_points

    expected = qmc.Sobol(d=d, scramble=True, seed=seed).random(n)
    np.testing.assert_array_equal(sobol_points(d, n, seed), expected)
