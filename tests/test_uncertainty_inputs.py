"""Declared distributions: inverse CDFs, and located errors for bad declarations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import lca
from lca.core.distribution import ResolvedUncertainty
from lca.study import resolve
from lca.engine.stats_arrays import stats_arrays_fields
from lca.uncertainty.distributions import UncertainInput, ppf

U = np.array([0.025, 0.25, 0.5, 0.75, 0.975])


@pytest.mark.parametrize("dist, base, frozen", [
    (ResolvedUncertainty("lognormal", gsd=2.0), 10.0, stats.lognorm(s=np.log(2.0), scale=10.0)),
    (ResolvedUncertainty("normal", sd=3.0), 5.0, stats.norm(5.0, 3.0)),
    (ResolvedUncertainty("uniform", minimum=2.0, maximum=6.0), 3.0, stats.uniform(2.0, 4.0)),
    (ResolvedUncertainty("triangular", minimum=1.0, maximum=5.0), 2.0, stats.triang(0.25, loc=1.0, scale=4.0)),
])
def test_inverse_cdfs_match_scipy(dist, base, frozen):
    np.testing.assert_allclose(ppf(dist, base, U), frozen.ppf(U), rtol=1e-12)


def test_discrete_options_are_equally_likely():
    dist = ResolvedUncertainty("discrete", options=(150.0, 164.0, 575.0), option_names=("a", "b", "c"))
    u = np.random.default_rng(0).random(30_000)
    values, counts = np.unique(ppf(dist, 150.0, u), return_counts=True)
    np.testing.assert_array_equal(values, [150.0, 164.0, 575.0])
    assert np.all(np.abs(counts / 30_000 - 1 / 3) < 0.015)
    inp = UncertainInput("parameter:x", "x", "parameter", 150.0, "kg", dist)
    assert inp.low_high() == (150.0, 575.0)


def test_lognormal_zero_amount_has_no_brightway_fields():
    assert stats_arrays_fields(ResolvedUncertainty("lognormal", gsd=2.0), 0.0) == {}
    assert stats_arrays_fields(ResolvedUncertainty("normal", sd=2.0), 10.0, factor=0.5) == {
        "uncertainty type": 3, "loc": 10.0, "scale": 1.0}


BAD = """
study: {{id: bad, name: Bad, functional_unit: {{description: x}}}}
parameters:
  n: {{value: 5, assumption: test, {param}}}
{extra}
systems:
  ai:
    name: AI
    activities:
      - id: use
        name: Use
        stage: C1
        phase: inference
        tier: data_centre
        exchanges:
          - dataset: electricity.fr
            amount: "n * 10 kWh"
            assumption: test
            uncertainty: {unc}
"""


@pytest.mark.parametrize("param, extra, unc, expected", [
    ("uncertainty: {distribution: normal, sd: 1}", "", "{distribution: triangular, min: '60 kWh', max: '90 kWh'}",
     "the value 50 is the mode of the triangle and must lie within [60, 90]"),
    ("uncertainty: {distribution: normal, sd: 1}", "", "{distribution: uniform, min: '9 kg', max: '90 kWh'}",
     "systems.ai.activities[0].exchanges[0].uncertainty.min"),
    ("uncertainty: {distribution: normal, sd: 1}", "", "{distribution: uniform, min: '90 kWh', max: '60 kWh'}",
     "min (90) is greater than max (60)"),
    ("variants: {a: '3 kg', b: 4}", "", "{distribution: lognormal, gsd: 2}", "parameters.n.variants.a"),
    ("uncertainty: {distribution: normal, sd: 1}", "break_even: {parameter: m, range: [1, 10]}",
     "{distribution: lognormal, gsd: 2}", "break_even.parameter: 'm' is not a study parameter"),
    ("uncertainty: {distribution: normal, sd: 1}", "break_even: {parameter: n, range: [10, 1]}",
     "{distribution: lognormal, gsd: 2}", "lowest < highest"),
    ("uncertainty: {distribution: normal, sd: 1}", "variant_draws: {electricity.fr: [owid-2023, nope]}",
     "{distribution: lognormal, gsd: 2}", "has no variant nope"),
])
def test_bad_declarations_are_located(library, tmp_path, param, extra, unc, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD.format(param=param, extra=extra, unc=unc))
    with pytest.raises(lca.InputError) as info:
        resolve(lca.load_study(path), library)
    text = str(info.value)
    assert expected in text
    assert text.startswith(f"{path}:") and text.split(":")[1].isdigit()


def test_uncertainty_and_variants_together_are_refused(tmp_path):
    path = tmp_path / "both.yaml"
    path.write_text(BAD.format(param="uncertainty: {distribution: normal, sd: 1}, variants: {a: 4}", extra="",
                               unc="{distribution: lognormal, gsd: 2}"))
    with pytest.raises(lca.InputError, match="either `uncertainty`"):
        lca.load_study(path)


def test_negative_sampled_amount_gets_a_hint(library, data_dir, tmp_path):
    # n is normal(5, 10): about 31 % of the draws are negative, and so is the electricity amount
    from lca.uncertainty.model import build_model
    from lca.uncertainty.montecarlo import run_monte_carlo

    path = tmp_path / "neg.yaml"
    path.write_text(BAD.format(param="uncertainty: {distribution: normal, sd: 10}", extra="",
                               unc="{distribution: lognormal, gsd: 2}"))
    model = build_model(lca.load_study(path), library, data_dir)
    with pytest.raises(lca.InputError, match="use a lognormal or a bounded"):
        run_monte_carlo(model, 200, seed=1)
