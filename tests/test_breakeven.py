"""Break-even of a scale parameter: crossings a person can compute, and "never within"."""

from __future__ import annotations

import pytest

import lca
from lca.uncertainty.breakeven import find_crossings

STUDY = """
study: {{id: mc-breakeven, name: Break-even, functional_unit: {{description: one year}}}}
parameters:
  sites: {{value: 5, assumption: test}}
  runs: {{value: 100, assumption: test}}
break_even: {{parameter: {parameter}, range: {range}}}
systems:
  ai:
    name: AI
    activities:
      - id: training
        name: Training
        stage: C1
        phase: training
        tier: data_centre
        amortised_over: runs
        exchanges: [{{dataset: electricity.world@iea-2019, amount: "1000 kWh", assumption: test}}]
      - id: fixed
        name: Fixed
        stage: C1
        phase: inference
        tier: data_centre
        exchanges: [{{dataset: electricity.world@iea-2019, amount: "100 kWh + sites * 5 kWh", assumption: test}}]
  reference:
    name: Reference
    activities:
      - id: use
        name: Use
        stage: C1
        phase: none
        tier: data_centre
        exchanges: [{{dataset: electricity.world@iea-2019, amount: "sites * 15 kWh + 3 kWh", assumption: test}}]
"""


def _assess(tmp_path, library, data_dir, parameter, range_):
    path = tmp_path / "be.yaml"
    path.write_text(STUDY.format(parameter=parameter, range=range_))
    return lca.assess(path, data_dir=data_dir, library=library)


def test_linear_break_even(tmp_path, library, data_dir):
    # net GWP = 0.475 x (1000/runs + 100 + 5 sites - 15 sites - 3) = 0.475 x (107 - 10 sites) at runs = 100:
    # zero at sites = 10.7; the AI is better above it
    be = _assess(tmp_path, library, data_dir, "sites", "[1, 100]").extras["break_even"]
    assert be["parameter"]["name"] == "sites" and be["parameter"]["range"] == [1, 100]
    assert be["gwp"]["value"] == pytest.approx(10.7, rel=1e-6)
    assert be["gwp"]["benefit_when"] == "above"
    assert be["gwp"]["net_at_min"] == pytest.approx(0.475 * 97, rel=1e-5)


def test_amortisation_never_pays_back(tmp_path, library, data_dir):
    # with sites = 5: net = 0.475 x (1000/runs + 100 + 25 - 75 - 3) = 0.475 x (1000/runs + 47) > 0
    # for every number of runs: no break-even on the (logarithmic) scan of [1, 1e6]
    be = _assess(tmp_path, library, data_dir, "runs", '["1", "1e6"]').extras["break_even"]
    assert be["gwp"]["value"] is None
    assert be["gwp"]["text"].startswith("never within [1, 1e+06]")
    assert be["gwp"]["benefit_when"] == "never"


def test_never_within_a_short_range(tmp_path, library, data_dir):
    # 107 - 10 sites > 0 for every sites in [1, 5]: the AI never pays back there
    be = _assess(tmp_path, library, data_dir, "sites", "[1, 5]").extras["break_even"]
    assert be["gwp"]["value"] is None
    assert "never within [1, 5]" in be["gwp"]["text"]


def test_crossings_of_a_nonlinear_net():
    # net(x) = 1000/x - 2: zero at x = 500, found on a logarithmic grid and refined by bisection
    import numpy as np

    found = find_crossings(lambda x: np.column_stack([1000 / x - 2, np.ones_like(x)]), 1.0, 1e6, 2)
    assert found[0] == [pytest.approx(500, rel=1e-9)]
    assert found[1] == []


def test_a_net_zero_everywhere_crosses_nothing():
    # the reference and the AI system equal on a criterion: net 0 at every one of the 257 grid
    # points, which were each listed as a crossing before
    import numpy as np

    from lca.uncertainty.breakeven import break_even_section

    net_of = lambda x: np.column_stack([np.zeros_like(x), x - 10.0, (x - 10.0) ** 2])  # noqa: E731
    found = find_crossings(net_of, 0.0, 20.0, 3)
    assert found[0] == []
    assert found[1] == [pytest.approx(10.0)]  # an exact zero on the grid, with a sign change
    assert found[2] == []  # touches zero without changing sign: no break-even
    section = break_even_section(net_of, "n", "", 0.0, 20.0, 5.0, ["a", "b", "c"], {})
    assert section["a"]["value"] is None and "the net stays zero" in section["a"]["text"]
