"""The fast path of constant amounts (a number and a unit, lca.core.units._number_with_unit) gives
exactly what the amount grammar gives, and leaves every other text to the grammar."""

from __future__ import annotations

import pytest

from lca.core import units

SAME = ["56 gCO2e/kWh", "210 kgCO2e", "16", "-5 kg", "+2.5e3 kWh", ".5 h", "0 kgCO2e", "0.0e-400 kg",
        "2 kWh**2", "2 kg/m**2", "3 kg/m*s", "4 kg * m ** -2", "52560 h", "1e-300 kgSbe/unit", "600 GB",
        "7 gCO2e / MJ", "12 year"]


@pytest.mark.parametrize("text", SAME)
def test_the_fast_path_gives_exactly_what_the_grammar_gives(text):
    fast = units._number_with_unit(text)
    grammar = units._evaluate(text, {})
    assert fast is not None
    assert type(fast.magnitude) is type(grammar.magnitude) is float
    assert fast.magnitude == grammar.magnitude and fast.units == grammar.units  # same bits, same unit
    assert units.parse_quantity(text).magnitude == grammar.magnitude


@pytest.mark.parametrize("text", ["20 degC", "1e-400 kg", "1e400 kg", "2 kWh + 1 kWh", "2 (kWh)", "2 kg/3 m",
                                  "1_000 kWh", "2 nosuchunit", "x * 2 kWh", "2kWh", "max(1, 2) kWh"])
def test_other_texts_are_left_to_the_grammar(text):
    assert units._number_with_unit(text) is None


@pytest.mark.parametrize("text", ["1e-400 kg", "1e400 kg", "2 nosuchunit"])
def test_what_the_grammar_refuses_is_still_refused(text):
    with pytest.raises(units.UnitError):
        units.parse_quantity(text)


def test_an_offset_unit_keeps_the_grammar_s_reading():
    assert units.parse_quantity("20 degC") == units._evaluate("20 degC", {})
