"""Raw-material demand in years of world production (lca/materials.py)."""

from __future__ import annotations

import pytest

import lca
from lca.balance.materials import years_of_world_production
from lca.library.materials import load_world_production

COBALT = "d0779a5e-6969-4144-954e-ceb81fb83f15"


def test_shipped_world_production_loads_in_kg_per_year(library):
    prod = load_world_production(library)
    assert prod[COBALT].kg_per_year == pytest.approx(230e6)  # 230,000 t
    assert prod[COBALT].source.startswith("U.S. Geological Survey")
    # manganese: 20,000 thousand tonnes = 2e10 kg, not 20,000 t
    assert prod["c2586875-bb56-4b1e-84c5-5ff255a1108b"].kg_per_year == pytest.approx(2e10)


def test_years_of_world_production_by_hand(library):
    prod = load_world_production(library)
    rows = years_of_world_production({COBALT: 115e6}, prod, library)
    # 115,000 t / 230,000 t per year = 0.5 year
    assert rows[0]["years_of_world_production"] == pytest.approx(0.5)
    assert rows[0]["amount_kg"] == pytest.approx(115e6)


def test_knot_is_not_a_kilotonne(library, tmp_path):
    """"kt" is a knot in pint: a production written "230 kt/year" is refused, located."""
    bad = tmp_path / "world.yaml"
    bad.write_text(
        "materials:\n"
        f"  - flow: {COBALT}\n"
        "    name: Cobalt\n"
        "    production: {value: \"230 kt/year\", source: test}\n")
    with pytest.raises(lca.InputError) as exc:
        load_world_production(library, bad)
    (problem,) = exc.value.problems
    assert problem.line == 4 and problem.field == "materials[0].production.value"
    assert "kilotonne" in problem.message


def test_unknown_flow_is_refused(library, tmp_path):
    bad = tmp_path / "world.yaml"
    bad.write_text("materials:\n  - flow: not-a-flow\n    name: X\n"
                   "    production: {value: \"1 t/year\", source: test}\n")
    with pytest.raises(lca.InputError) as exc:
        load_world_production(library, bad)
    assert exc.value.problems[0].line == 2


def test_section_only_lists_materials_with_a_production_figure(tiny_result):
    # tiny.yaml extracts 2 kg of cobalt: 2 / 230e6 kg per year
    rows = tiny_result.to_dict()["raw_materials"]["systems"]["ai"]
    assert [r["name"] for r in rows] == ["Cobalt"]
    assert rows[0]["years_of_world_production"] == pytest.approx(2 / 230e6)
    assert tiny_result.to_dict()["raw_materials"]["systems"]["reference"] == []
