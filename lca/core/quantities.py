"""Quantities in the unit a reader expects: kWh, MWh or GWh (never ``h·W`` or ``kW·s``), kg or t,
MJ or GJ, GB or TB.

``readable(quantity)`` picks, for a pint quantity, a unit of its family (energy in watt-hours or
joules, mass, CO2e, Sb-eq, power, data) whose magnitude falls in [1, 1000) when it can;
``scaled(value, unit)`` does the same for a plain number in a known unit (a criterion's total in
kgCO2e, a final energy in kWh). A quantity of no known family keeps the unit it was written in,
with pint's short names (``a``, the year, reads ``year``).
"""

from __future__ import annotations

import re

from lca.core import units

# A family: its base unit and its rungs (unit text, size in the base unit), smallest first.
FAMILIES: dict[str, tuple[str, tuple[tuple[str, float], ...]]] = {
    "watt_hour": ("kWh", (("Wh", 1e-3), ("kWh", 1.0), ("MWh", 1e3), ("GWh", 1e6), ("TWh", 1e9))),
    "joule": ("MJ", (("kJ", 1e-3), ("MJ", 1.0), ("GJ", 1e3), ("TJ", 1e6), ("PJ", 1e9))),
    "mass": ("kg", (("g", 1e-3), ("kg", 1.0), ("t", 1e3), ("kt", 1e6), ("Mt", 1e9))),
    "co2e": ("kgCO2e", (("gCO2e", 1e-3), ("kgCO2e", 1.0), ("tCO2e", 1e3), ("ktCO2e", 1e6), ("MtCO2e", 1e9))),
    "sbe": ("kgSbe", (("mgSbe", 1e-6), ("gSbe", 1e-3), ("kgSbe", 1.0))),
    "power": ("W", (("W", 1.0), ("kW", 1e3), ("MW", 1e6), ("GW", 1e9))),
    "data": ("GB", (("B", 1e-9), ("kB", 1e-6), ("MB", 1e-3), ("GB", 1.0), ("TB", 1e3), ("PB", 1e6))),
}
_JOULE_UNITS = {"J", "kJ", "MJ", "GJ", "TJ", "PJ"}
_DATA_NAMES = {"byte", "bit", "kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte"}


def _family(quantity) -> str | None:
    """The family of a quantity's dimension (energy: joules when written in joules), or None."""
    if any(name.endswith(("byte", "bit")) or name in _DATA_NAMES for name, _ in quantity.unit_items()):
        return "data"
    for name in ("co2e", "sbe", "mass", "power"):
        if units.same_dimension(quantity.units, FAMILIES[name][0]):
            return name
    if units.same_dimension(quantity.units, "kWh"):
        return "joule" if unit_text(quantity) in _JOULE_UNITS else "watt_hour"
    return None


def unit_text(quantity) -> str:
    """pint's short unit text for a reader: ``kWh/m²/a`` -> ``kWh/m²/year``; "" when dimensionless."""
    if quantity.dimensionless and not any(n in _DATA_NAMES for n, _ in quantity.unit_items()):
        return ""
    return re.sub(r"(?<![A-Za-z])a(?![A-Za-z])", "year", f"{quantity.units:~P}")


def pick(value: float, family: str) -> tuple[float, str]:
    """``value`` (in the family's base unit) in the largest rung where it is at least 1."""
    _, rungs = FAMILIES[family]
    chosen = rungs[0] if abs(value) < rungs[0][1] else next(r for r in reversed(rungs) if abs(value) >= r[1])
    if value == 0:
        chosen = next(r for r in rungs if r[1] == 1.0)
    return value / chosen[1], chosen[0]


def scaled(value: float, unit: str) -> tuple[float, str]:
    """A number in ``unit`` (a base unit such as kWh, kgCO2e, MJ) in the rung a reader expects."""
    for family, (base, _rungs) in FAMILIES.items():
        if unit == base:
            return pick(value, family)
    return value, unit


def common_unit(values, unit: str) -> tuple[float, str]:
    """(factor, unit) to show several numbers in ``unit`` in one rung, chosen by the largest."""
    largest = max((abs(v) for v in values if v is not None), default=0.0)
    scaled_value, text = scaled(largest, unit)
    factor = scaled_value / largest if largest else 1.0
    return factor, text


def readable(quantity) -> tuple[float, str]:
    """(magnitude, unit text) of a scalar pint quantity in the unit a reader expects.

    ``336 h * 400 W`` -> ``(134.4, "kWh")``; ``1287 MWh`` -> ``(1.287, "GWh")``; ``2.1e9 byte``
    -> ``(2.1, "GB")``; ``0.85`` -> ``(0.85, "")``; ``6 year`` -> ``(6, "year")``.
    """
    family = _family(quantity)
    if family is None:
        if quantity.dimensionless:
            return float(units.convert(quantity, "dimensionless")), ""
        return float(quantity.magnitude), unit_text(quantity)
    base = FAMILIES[family][0]
    return pick(float(units.convert(quantity, base)), family)
