"""The amount grammar (lca.core.expression): what it reads, to what value, and what it refuses.

Each refused text was read by the previous free-arithmetic parser as a wrong number with exit 0
(issue "Trustworthy numbers"): "1 000 kWh" -> 0 kWh, "1,5 MWh" -> 15 MWh, "1'500 kWh" -> 500 kWh,
"10 MWh; 0" -> 0, "10 MWh < 5" -> 50 MWh, "[1, 2] MWh" -> 2 MWh, "5 10 kWh" -> 50 kWh,
"1e-400 kWh" -> 0, "6 kWh/2 h" -> 3 kWh·h.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lca.core import expression, units

PARAMS = {"gpu_hours": units.parse_quantity("2820 h"), "pue": units.parse_quantity("1.2"),
          "n_requests": units.parse_quantity("1e6")}

# text, expected value, expected unit (values computed by hand)
READ = [
    ("433 MWh", 433, "MWh"),
    ("57 gCO2e/kWh", 57, "gCO2e/kWh"),
    ("1.5e3 kWh", 1500, "kWh"),
    ("1.5E-3 kWh", 0.0015, "kWh"),
    (".5 kg", 0.5, "kg"),
    ("3kWh", 3, "kWh"),
    ("2 m**2", 2, "m**2"),
    ("100 kWh/m**2/year", 100, "kWh/m**2/year"),
    ("gpu_hours * 0.4 kW", 2820 * 0.4, "kWh"),  # 1128 kWh
    ("gpu_hours * 0.4 kW * (pue - 1)", 2820 * 0.4 * 0.2, "kWh"),  # 225.6 kWh
    ("1.52e-10 kWh/byte * 1e9 byte", 0.152, "kWh"),
    ("10 W / 2000", 0.005, "W"),
    ("-2**2", -4, ""),  # the power binds tighter than the sign
    ("2**-1", 0.5, ""),
    ("2 ** 3 ** 2", 512, ""),  # right-associative
    ("2 (1 + 1) kWh", 4, "kWh"),
    ("- - 2 kWh", 2, "kWh"),
    ("85 %", 0.85, ""),
    ("5 min", 5, "minute"),  # min without parentheses is the minute
    ("1 year", 8760, "h"),  # the LCA year: 365 days
    ("exp(0)", 1, ""),
    ("log(exp(2))", 2, ""),
    ("sqrt(4 m**2)", 2, "m"),
    ("abs(-3 kWh)", 3, "kWh"),
    ("min(1 kWh, 500 Wh)", 0.5, "kWh"),
    ("max(1 kWh, 500 Wh, 2 MJ)", 1, "kWh"),  # 2 MJ = 0.556 kWh
    ("floor(2.7)", 2, ""),
    ("ceil(n_requests / 300000)", 4, ""),  # 3.33 -> 4 servers
    ("round(2.5)", 3, ""),  # halves away from zero, as a spreadsheet
    ("round(-2.5)", -3, ""),
    ("max(1, ceil(n_requests / 1e7)) * 50 W", 50, "W"),
    ("exp(log(pue) * 2)", 1.44, ""),
]


@pytest.mark.parametrize("text,value,unit", READ)
def test_grammar_reads(text, value, unit):
    q = units.parse_quantity(text, PARAMS)
    assert units.convert(q, unit or "dimensionless") == pytest.approx(value, rel=1e-12)


# text, a part of the message (each says how to write it)
REFUSED = [
    ("1 000 kWh", "write 1000 (no thousands separator)"),
    ("1,5 MWh", "write 1.5 (decimal point) or 15"),
    ("1,500 kWh", "or 1500 (no thousands separator)"),
    ("1'500 kWh", "write 1500 (no thousands separator)"),
    ("1_000 kWh", "write 1000"),
    ("10 MWh; 0", "a semicolon is not part of an amount"),
    ("10 MWh < 5", "comparisons are not part of an amount"),
    ("10 MWh >= 5", "comparisons are not part of an amount"),
    ("a == b", "not an equation or a comparison"),
    ("[1, 2] MWh", "brackets [ ] are not part of an amount"),
    ("{1} MWh", "braces { } are not part of an amount"),
    ("5 10 kWh", "two numbers in a row ('5 10')"),
    ("1.2.3 kWh", "two numbers in a row"),
    ("kWh 5", "write the number before its unit"),
    ("1e-400 kWh", "1e-400 is too small to compute with"),
    ("1e400 kWh", "1e400 is too large for a number"),
    ("9" * 400 + " kWh", "is too large for a number"),
    ("1e-200 kWh * 1e-200", "too small to compute (it would read as 0)"),
    ("1e200 kWh * 1e200", "too large to compute (overflow)"),
    ("(kWh/J)**200", "too large to compute (overflow)"),
    ("10**10**10 kWh", "too large to compute (overflow)"),
    ("2**99999999 kWh", "too large to compute (overflow)"),
    ("kWh**20", "fixed power of at most 12"),
    ("kWh**gpu_hours", "an exponent is a plain number"),
    ("6 kWh/2 h", "'/2 h' is ambiguous: write '/ (2 h)'"),
    ("1/2 kWh", "is ambiguous"),
    ("exp(2 kWh)", "exp(...) needs a plain number, got 2.0 kWh"),
    ("log(0)", "log(...) needs a value above zero"),
    ("log(-1 kWh / kWh)", "log(...) needs a value above zero"),
    ("sqrt(-1)", "sqrt of a negative value"),
    ("floor(2.5 kWh)", "divide by the unit first, e.g. floor(x / (1 kWh))"),
    ("max(1 kWh, 5 kg)", "max(...) compares values of one kind"),
    ("min(5)", "compares two values or more"),
    ("exp(1, 2)", "takes one argument, got 2"),
    ("foo(2)", "unknown function 'foo' (did you mean floor?); the functions are exp, log, sqrt"),
    ("sin(2)", "unknown function 'sin'"),
    ("__import__('os').system('x')", "quotes are not part of an amount"),
    ("x.y", "there are no attributes"),
    ("2 ^ 3", "write a power with **"),
    ("3 m²", "not superscripts"),
    ("2 − 1", "plain hyphen"),
    ("2 × 3", "write a product with *"),
    ("1 / 0", "division by zero"),
    ("2 kWh + 3 kg", "cannot add 2.0 kWh and 3.0 kg"),
    ("inf kWh", "'inf' is not a finite number"),
    ("nan kWh", "'nan' is not a finite number"),
    ("10 kWhh", "unknown unit or parameter 'kWhh'"),
    ("gpu_hourss * 2", "did you mean the parameter gpu_hours?"),
    ("(1 + 2", "is never closed: add ')'"),
    ("1 + 2)", "')' without a matching '('"),
    ("1 +", "the amount ends where a number"),
    ("(" * 40 + "1" + ")" * 40, "nested more than 32 levels"),
    ("-" * 40 + "1", "nested more than 32 levels"),
    ("1 kWh, 2 kWh", "a comma only separates the arguments of a function"),
    ("", "empty amount"),
]


@pytest.mark.parametrize("text,message", REFUSED)
def test_grammar_refuses_with_a_message_that_says_how(text, message):
    with pytest.raises(units.UnitError) as info:
        units.parse_quantity(text, PARAMS)
    assert message in str(info.value)


def test_huge_yaml_integer_is_refused_not_a_crash():
    # YAML reads a 400-digit integer as a Python int; float() of it raises OverflowError
    with pytest.raises(units.UnitError, match="a number of 400 digits is too large"):
        units.parse_quantity(10 ** 399)


def test_conversion_overflow_is_refused():
    # the grammar reduces a ratio of units at once: (kWh/J)**12 = 3.6e6**12 = 4.7e78
    assert units.convert(units.parse_quantity("(kWh/J)**12"), "dimensionless") == pytest.approx(3.6e6 ** 12)
    # a quantity built in code keeps kWh**50/J**50 with magnitude 1 until converted: 3.6e6**50 overflows
    with pytest.raises(units.UnitError, match="too large to compute"):
        units.convert(units.Quantity(1.0, "kWh/J") ** 50, "dimensionless")


def test_arrays_flow_through_every_operation_and_function():
    # Monte Carlo and break-even pass arrays as parameter values
    p = {"e": units.Quantity(np.array([1.0, 2.0, 4.0]), "kWh"), "k": units.Quantity(np.array([0.5, 1.0, 2.0]))}
    q = units.parse_quantity("max(e, 1.5 kWh) * exp(log(k)) + sqrt(e * e) - min(e, 3 kWh)", p)
    # max(e,1.5) = [1.5, 2, 4]; * k = [0.75, 2, 8]; + e = [1.75, 4, 12]; - min(e,3) = [0.75, 2, 9]
    assert np.allclose(units.convert(q, "kWh"), [0.75, 2.0, 9.0])
    assert np.allclose(units.convert(units.parse_quantity("ceil(k * 3)", p), ""), [2, 3, 6])
    with pytest.raises(units.UnitError, match="log"):
        units.parse_quantity("log(k - 1)", p)  # one of the draws is 0


def test_parse_unit_refuses_amounts():
    assert units.parse_unit("kgCO2e/kWh") == units.ureg.Unit("kgCO2e/kWh")
    with pytest.raises(units.UnitError, match="a unit has no number"):
        units.parse_unit("1000 kWh")


def test_pint_expression_parser_is_never_fed_amount_text(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("pint's parse_expression was called")

    monkeypatch.setattr(units.ureg, "parse_expression", refuse)
    monkeypatch.setattr(units.ureg, "parse_units", refuse)
    assert units.convert(units.parse_quantity("gpu_hours * 0.4 kW + 1 MWh", PARAMS), "kWh") == pytest.approx(2128)


def test_unit_names_include_prefixes_and_plurals():
    for name in ("h", "hours", "t", "g", "m", "s", "a", "b", "year", "days", "count", "requests", "devices",
                 "inference", "lambda", "kWh", "ms", "Mt", "cars"):
        assert units.is_unit_name(name), name
    for name in ("gpu_hours", "n_requests", "pue", "energy", "lifetime", "x", "utilisation"):
        assert not units.is_unit_name(name), name


numbers = st.floats(min_value=1e-300, max_value=1e300, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(numbers, st.sampled_from(["kWh", "kg", "h", "gCO2e/kWh", "m**2"]))
def test_a_written_number_reads_back_exactly(x, unit):
    assert units.parse_quantity(f"{x!r} {unit}").magnitude == x


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 999), st.integers(0, 999))
def test_no_separator_is_ever_read_as_arithmetic(a, b):
    for sep in (" ", ",", "'"):
        with pytest.raises(units.UnitError):
            units.parse_quantity(f"{a}{sep}{b:03d} kWh")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789.eE+-*/() ,'%;[]<>=^_") + ["kWh", "h", "exp", "max", "pue",
                                                                           "min", "**", "1e308", "1e-308"]),
                max_size=30).map("".join))
def test_any_text_is_a_finite_quantity_or_a_unit_error(text):
    try:
        q = units.parse_quantity(text, PARAMS)
    except units.UnitError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert np.all(np.isfinite(np.asarray(q.magnitude, dtype=float)))


def test_parsed_trees_are_cached_and_names_listed():
    parsed = expression.parse("gpu_hours * 0.4 kW")
    assert parsed is expression.parse("gpu_hours * 0.4 kW")
    assert parsed.names == {"gpu_hours", "kW"}
    assert math.isclose(units.convert(units.parse_quantity("0.4 kW * 2 h"), "kWh"), 0.8)
