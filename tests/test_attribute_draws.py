"""A parameter read from a dataset attribute follows the variant the Monte Carlo draws
(``variant_draws``; lca.uncertainty.model). Arithmetic in tests/data/attribute-draws.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from lca.core.errors import InputError

DATA = Path(__file__).parent / "data"
STUDY = DATA / "attribute-draws.yaml"


@pytest.fixture(scope="module")
def drawn(library, data_dir):
    import lca

    return lca.assess(STUDY, data_dir=data_dir, library=library, iterations=2000, seed=4)


def test_the_attribute_follows_the_drawn_variant(drawn):
    assert drawn.systems["ai"].energy.total == pytest.approx(110.0)  # deterministic: default pue 1.1
    unc = drawn.extras["uncertainty"]
    energy = unc["systems"]["ai"]["energy"]
    assert energy["p2_5"] == pytest.approx(110.0) and energy["p97_5"] == pytest.approx(150.0)  # 100 x 1.1, 100 x 1.5
    assert energy["mean"] == pytest.approx(130.0, abs=1.0)  # equally likely; standard error 0.45 over 2000 draws
    gwp = unc["systems"]["ai"]["gwp"]
    assert gwp["p2_5"] == pytest.approx(6.16, rel=1e-5) and gwp["p97_5"] == pytest.approx(8.4, rel=1e-5)
    assert unc["net"]["energy"]["p_benefit"] == pytest.approx(0.5, abs=0.04)  # -30 or +10 kWh


def test_the_tornado_swings_the_attribute_too(drawn):
    rows = drawn.extras["sensitivity"]["gwp"]
    row = next(r for r in rows if r["name"] == "variants:datacentre.paper")
    # the net gwp at each variant: (110 - 140) x 0.056 and (150 - 140) x 0.056
    assert sorted([row["low"], row["high"]]) == pytest.approx([-1.68, 0.56], rel=1e-5)


def test_a_drawn_variant_without_the_attribute_is_refused(tmp_path, library):
    from lca.study import load_study, resolve

    text = STUDY.read_text()
    old = '          pue: {value: 1.5, source: "Example et al. 2024, Table 1 (old hall)"}\n'
    path = tmp_path / "missing.yaml"
    path.write_text(text.replace(old, '          wue: {value: "1 L/kWh", source: "x"}\n'))
    with pytest.raises(InputError) as exc:
        resolve(load_study(path), library)
    assert [(p.field, p.line, p.message) for p in exc.value.problems] == [
        ("variant_draws.datacentre.paper", 17, "parameter 'pue' reads attribute 'pue' of datacentre.paper, which "
         "variant 'legacy' does not have; give that variant the attribute, or draw other variants")]
