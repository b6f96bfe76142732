"""The one pint registry of ai-lca.

Amounts are written as text ("433 MWh", "57 gCO2e/kWh", "6 year") and parsed here. Impact units
are pint dimensions of their own, so that a carbon intensity cannot be mistaken for an energy:

- ``kgCO2e`` (also ``gCO2e``, ``tCO2e``): climate change, dimension ``[co2e]``;
- ``kgSbe`` (also ``kgSbeq``, ``gSbe``): abiotic depletion of elements, dimension ``[sbe]``;
- energy units are pint's own (``MJ``, ``kWh``).

A ``year`` is 365 days (8760 h), the LCA convention.

Counted things (``unit``, ``device``, ``inference``, ...) are dimensionless.
"""

from __future__ import annotations

import math
import re
import sys
import warnings
from functools import lru_cache
from typing import cast

import numpy as np
import pint

from lca.core import expression
from lca.core.cachedir import cache_folder


def _registry() -> pint.UnitRegistry:
    folder = cache_folder("pint")
    if folder is not None:
        for _attempt in range(2):
            try:
                return pint.UnitRegistry(cache_folder=folder, autoconvert_offset_to_baseunit=True,
                                         on_redefinition="warn")
            except Exception:  # a cache file cut short by a killed run: drop the cache, rebuild it once
                import shutil

                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return pint.UnitRegistry(autoconvert_offset_to_baseunit=True, on_redefinition="warn")


ureg = _registry()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    # LCA convention: a year of use is 365 days (8760 h), not pint's Julian 365.25 days.
    ureg.define("year = 365 * day = a = yr = julian_year")
ureg.define("kgCO2e = [co2e] = kgCO2eq = kg_CO2_eq")
ureg.define("gCO2e = 1e-3 kgCO2e = gCO2eq")
ureg.define("tCO2e = 1e3 kgCO2e = tCO2eq")
ureg.define("ktCO2e = 1e6 kgCO2e")
ureg.define("MtCO2e = 1e9 kgCO2e")
ureg.define("kgSbe = [sbe] = kgSbeq = kg_Sb_eq")
ureg.define("gSbe = 1e-3 kgSbe = gSbeq")
ureg.define("mgSbe = 1e-6 kgSbe = mgSbeq")
for _counted in ("unit", "device", "item", "piece", "inference", "request", "query", "person", "car"):
    ureg.define(f"{_counted} = [] ")
ureg.define("Sm3 = meter ** 3 = standard_cubic_meter")
# money, for spend-based intensities (kgCO2e per euro re-spent): each currency its own dimension,
# no exchange rate is ever assumed
ureg.define("EUR = [currency_eur] = euro")
ureg.define("USD = [currency_usd] = dollar_us")

Quantity = ureg.Quantity


class UnitError(ValueError):
    """A text that is not an amount with a known unit, or a unit of the wrong dimension."""


class DimensionError(UnitError):
    """An amount of another kind than expected (kg where kWh is meant)."""


@lru_cache(maxsize=8192)
def unit_quantity(name: str) -> pint.Quantity | None:
    """``1 name`` when ``name`` is a unit pint knows (``kWh``, ``hours``, ``ms``: prefixes and plurals
    too), else None. One name, never an expression."""
    if name == "dimensionless":
        return Quantity(1.0)
    try:
        if not ureg.parse_unit_name(name):
            return None
        return Quantity(1.0, ureg.Unit(name))
    except Exception:  # pint raises several unrelated types
        return None


def is_unit_name(name: str) -> bool:
    """Whether ``name`` alone reads as a unit (a parameter of that name would shadow it)."""
    return unit_quantity(name) is not None


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit text such as ``kWh`` or ``kgCO2e/kWh`` (the amount grammar, without numbers
    other than exponents); raise UnitError when it is not a unit. An empty text is dimensionless."""
    if not text.strip():
        return ureg.Unit("dimensionless")
    try:
        q = _constant(text.strip())
    except UnitError as exc:
        raise UnitError(f"unknown unit {text!r}: {exc}") from None
    if np.ndim(q.magnitude) or float(q.magnitude) != 1.0:
        raise UnitError(f"unknown unit {text!r}: a unit has no number in it (write kWh, not 1000 kWh)")
    # pint annotates `.units` as its base PlainUnit; the object is this registry's Unit (a pint.Unit)
    return q.units  # type: ignore[return-value]


@lru_cache(maxsize=16384)
def _constant(source: str) -> pint.Quantity:
    """An amount text that uses no parameter (cached: "10 kWh" is read once)."""
    fast = _number_with_unit(source)
    return fast if fast is not None else _evaluate(source, {})


_NAME = r"(?:°|[^\W\d])[\w°]*"
_FACTOR = _NAME + r"(?:\s*\*\*\s*-?\d+)?"
_NUMBER_UNIT = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?:\s+(" + _FACTOR + r"(?:\s*[*/]\s*" + _FACTOR
                          + r")*))?")


def _number_with_unit(source: str) -> pint.Quantity | None:
    """The quantity of ``"56 gCO2e/kWh"`` (a number, then a unit of names, ``*``, ``/`` and integer
    powers) as the amount grammar computes it, without the grammar: the number times the unit, parsed
    once per unit text. None for any other text, for a number the grammar refuses (overflow,
    underflow) and for a unit that is not a plain factor (degC): the grammar then reads it."""
    match = _NUMBER_UNIT.fullmatch(source)
    if match is None:
        return None
    number, unit_text = match.groups()
    value = float(number)
    written_zero = not re.search(r"[1-9]", number.lower().split("e")[0])
    if not (sys.float_info.min <= abs(value) < math.inf or (value == 0.0 and written_zero)):
        return None
    if unit_text is None:
        return Quantity(value)
    unit = _multiplicative_unit(unit_text)
    return None if unit is None else Quantity(value, unit)


@lru_cache(maxsize=4096)
def _multiplicative_unit(text: str) -> pint.Unit | None:
    try:
        unit = parse_unit(text)
    except UnitError:
        return None
    return unit if Quantity(1.0, unit)._is_multiplicative else None


def _evaluate(source: str, variables: dict) -> pint.Quantity:
    try:
        parsed = expression.parse(source)
    except expression.ExpressionError as exc:
        raise UnitError(f"cannot read {source!r} as an amount: {exc.message}") from None
    try:
        # the evaluator builds every node with `Quantity` (lca.core.expression is unit-library neutral)
        return cast(pint.Quantity, expression.evaluate(parsed, variables, Quantity, unit_quantity))
    except expression.ExpressionError as exc:
        raise UnitError(f"{exc.message} in {source!r}") from None


def _plain_number(value: int | float) -> pint.Quantity:
    return Quantity(_plain_float(value), "dimensionless")


def _plain_float(value: int | float) -> float:
    """A YAML number as a float; UnitError when it is too large or not finite."""
    if isinstance(value, int):
        try:
            value = float(value)
        except OverflowError:
            try:
                digits = len(str(abs(value)))
            except ValueError:  # over Python's limit of digits for int -> str
                digits = int(math.log10(abs(value))) + 1
            raise UnitError(f"a number of {digits} digits is too large (the largest is about 1.8e308); "
                            "write it with an exponent and check it, e.g. 1.5e12") from None
    if not math.isfinite(value):
        raise UnitError(f"amount {value!r} is not a finite number")
    return float(value)


def parse_quantity(text: str | int | float, variables: dict | None = None) -> pint.Quantity:
    """Parse ``"433 MWh"`` or ``"gpu_hours * 0.4 kW"`` (names taken from ``variables``) with the
    amount grammar of ``lca.core.expression``.

    A bare number gives a dimensionless quantity. Raises UnitError with the reason when the text is
    not an amount, names an unknown unit or variable, or is not finite.
    """
    if isinstance(text, bool):
        raise UnitError("expected an amount, got a boolean")
    if isinstance(text, (int, float)):
        return _plain_number(text)
    source = str(text).strip()
    if not source:
        raise UnitError("empty amount")
    if len(source) > 500:
        raise UnitError("amount text longer than 500 characters")
    variables = variables or {}
    if variables and not expression.names_in(source).isdisjoint(variables):
        return _evaluate(source, variables)
    try:
        return _constant(source)
    except UnitError:
        if variables:  # again with the parameters at hand, for a "did you mean" in the message
            return _evaluate(source, variables)
        raise


def amount_in(text: str | int | float, unit: str, variables: dict | None = None):
    """``parse_quantity(text, variables)`` converted to ``unit``; an amount that uses no parameter
    is converted once and cached ("1 kWh" repeated by 10,000 activities)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool) and unit == "dimensionless":
        return _plain_float(text)  # a plain number: no pint quantity (100,000 activities have one each)
    if isinstance(text, str) and (not variables or expression.names_in(text.strip()).isdisjoint(variables)):
        try:
            return _constant_in(text.strip(), unit)
        except UnitError:
            pass  # again below, with the parameters at hand for the message
    return convert(parse_quantity(text, variables), unit)


@lru_cache(maxsize=16384)
def _constant_in(source: str, unit: str):
    return convert(parse_quantity(source), unit)


def convert(quantity: pint.Quantity, unit: str | pint.Unit) -> float:
    """The magnitude of ``quantity`` in ``unit``; UnitError names both dimensions on mismatch."""
    target = parse_unit(unit) if isinstance(unit, str) else unit
    try:
        with np.errstate(all="ignore"):
            value = quantity.to(target).magnitude
    except pint.DimensionalityError:
        raise DimensionError(
            f"{_shown(quantity)} has dimension {quantity.dimensionality}, expected {target:~P} "
            f"({ureg.get_dimensionality(target)})"
        ) from None
    except OverflowError:
        value = math.inf
    if not np.all(np.isfinite(value)):
        raise UnitError(f"{_shown(quantity)} in {target:~P} is too large to compute (overflow); check the "
                        "exponents and units")
    return value


def _shown(quantity: pint.Quantity) -> str:
    if np.ndim(quantity.magnitude) == 0:
        return f"{quantity:~P}"
    return f"values in {quantity.units:~P}"


@lru_cache(maxsize=4096)
def _factor_or_none(source: pint.Unit, target: pint.Unit) -> float | None:
    try:
        return Quantity(1.0, source).to(target).magnitude
    except pint.DimensionalityError:
        return None


@lru_cache(maxsize=4096)
def _reference_factor(source: pint.Unit, target: str, reference: str) -> float | None:
    """The factor from ``source`` to ``target`` (or to ``target`` per ``reference``); None when neither
    fits or ``source`` is not a plain factor (degC)."""
    if not Quantity(1.0, source)._is_multiplicative:
        return None
    t = parse_unit(target)
    factor = _factor_or_none(source, t)
    return factor if factor is not None else _factor_or_none(source * parse_unit(reference), t)


def per_reference(quantity: pint.Quantity, target: str, reference: str) -> float:
    """``quantity`` in ``target``, or in ``target`` per ``reference`` unit when written per unit.

    "150 kgCO2e" of a device is 150 kgCO2e; "56 gCO2e/kWh" of a kWh dataset is 0.056 kgCO2e (per
    kWh). Same result as ``convert(q, target)``, falling back to ``convert(q * 1 reference, target)``,
    with both unit ratios cached: the library has thousands of such values. UnitError when neither fits.
    """
    if isinstance(quantity.magnitude, float):
        factor = _reference_factor(quantity.units, target, reference)
        if factor is not None and math.isfinite(quantity.magnitude * factor):
            return quantity.magnitude * factor
    try:
        return convert(quantity, target)
    except UnitError:
        return convert(quantity * Quantity(1, reference), target)


def same_dimension(a: str | pint.Unit, b: str | pint.Unit) -> bool:
    ua = parse_unit(a) if isinstance(a, str) else a
    ub = parse_unit(b) if isinstance(b, str) else b
    return ureg.get_dimensionality(ua) == ureg.get_dimensionality(ub)
