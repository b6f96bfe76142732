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
import os
import re
import warnings
from pathlib import Path
from functools import lru_cache

import pint



def _cache_folder() -> Path | None:
    """Where pint may cache its parsed definitions (saves ~1 s per process), or None.

    Inside the data directory when ``AI_LCA_DATA_DIR`` is set (tests set it), else the per-user
    cache directory. Caching is best effort: any problem means no cache.
    """
    try:
        base = os.environ.get("AI_LCA_DATA_DIR")
        if base:
            folder = Path(base) / "cache" / "pint"
        else:
            import platformdirs

            folder = Path(platformdirs.user_cache_dir("ai-lca", appauthor=False)) / "pint"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder
    except Exception:
        return None


class _FloatRegistry(pint.UnitRegistry):
    """Integer literals of amount texts evaluate as floats.

    pint evaluates ``10**10**10`` with Python integers, which takes hours and all the memory; as
    floats it overflows at once and is refused (an amount text must never stall a run).
    """

    def _eval_token(self, token, case_sensitive=None, **values):
        value = super()._eval_token(token, case_sensitive=case_sensitive, **values)
        return float(value) if type(value) is int else value


def _registry() -> pint.UnitRegistry:
    options = dict(autoconvert_offset_to_baseunit=True, on_redefinition="warn")
    folder = _cache_folder()
    if folder is not None:
        for _attempt in range(2):
            try:
                return _FloatRegistry(cache_folder=folder, **options)
            except Exception:  # a cache file cut short by a killed run: drop the cache, rebuild it once
                import shutil

                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return _FloatRegistry(**options)


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


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit name such as ``kWh`` or ``kgCO2e/kWh``; raise UnitError when unknown."""
    try:
        unit = ureg.parse_units(text.strip())
    except Exception as exc:  # pint raises several unrelated types
        raise UnitError(f"unknown unit {text!r}: {exc}") from None
    return unit


# "561.1 gCO2e/kWh": a plain number and a unit name, the form of most library values. Parsed
# without pint's expression evaluator (the unit through the cached parse_unit): the same
# quantity, about 20x faster, which matters for a library of thousands of values.
_SIMPLE = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?:\s+([A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)?))?")


def parse_quantity(text: str | int | float, variables: dict | None = None) -> pint.Quantity:
    """Parse ``"433 MWh"`` or ``"gpu_hours * 0.4 kW"`` (names taken from ``variables``).

    A bare number gives a dimensionless quantity. Raises UnitError with the reason when the text is
    not an amount, names an unknown unit or variable, or is not finite.
    """
    if isinstance(text, bool):
        raise UnitError("expected an amount, got a boolean")
    if isinstance(text, (int, float)):
        q = Quantity(float(text), "dimensionless")
    else:
        source = str(text).strip()
        if not source:
            raise UnitError("empty amount")
        if len(source) > 500:
            raise UnitError("amount text longer than 500 characters")
        simple = _SIMPLE.fullmatch(source) if not variables else None
        if simple and math.isfinite(float(simple.group(1))):
            if simple.group(2) is None:  # a bare number: dimensionless, as pint would make it
                return Quantity(float(simple.group(1)), "dimensionless")
            try:
                return Quantity(float(simple.group(1)), parse_unit(simple.group(2)))
            except UnitError:
                pass  # not a unit name: the full parser below says why
        try:
            q = ureg.parse_expression(source, **(variables or {}))
        except pint.UndefinedUnitError as exc:
            raise UnitError(f"unknown unit or parameter {exc.unit_names!r} in {source!r}") from None
        except Exception as exc:
            raise UnitError(f"cannot read {source!r} as an amount ({type(exc).__name__}: {exc})") from None
        if not isinstance(q, pint.Quantity):
            q = Quantity(float(q), "dimensionless")
    magnitude = q.magnitude
    try:
        finite = math.isfinite(float(magnitude))
    except (TypeError, ValueError):
        finite = True  # arrays (Monte Carlo) are checked where they are sampled
    if not finite:
        raise UnitError(f"amount {text!r} is not a finite number")
    return q


@lru_cache(maxsize=4096)
def _factor(source: pint.Unit, target: pint.Unit) -> float:
    return Quantity(1.0, source).to(target).magnitude


def convert(quantity: pint.Quantity, unit: str | pint.Unit) -> float:
    """The magnitude of ``quantity`` in ``unit``; UnitError names both dimensions on mismatch."""
    target = parse_unit(unit) if isinstance(unit, str) else unit
    try:
        if quantity._is_multiplicative and isinstance(quantity.magnitude, float):
            return quantity.magnitude * _factor(quantity.units, target)  # cached ratio of the two units
        return quantity.to(target).magnitude
    except pint.DimensionalityError:
        raise UnitError(
            f"{quantity:~P} has dimension {quantity.dimensionality}, expected {target:~P} "
            f"({ureg.get_dimensionality(target)})"
        ) from None


@lru_cache(maxsize=4096)
def _factor_or_none(source: pint.Unit, target: pint.Unit) -> float | None:
    try:
        return Quantity(1.0, source).to(target).magnitude
    except pint.DimensionalityError:
        return None


def per_reference(quantity: pint.Quantity, target: str, reference: str) -> float:
    """``quantity`` in ``target``, or in ``target`` per ``reference`` unit when written per unit.

    "150 kgCO2e" of a device is 150 kgCO2e; "56 gCO2e/kWh" of a kWh dataset is 0.056 kgCO2e (per
    kWh). Same result as ``convert(q, target)``, falling back to ``convert(q * 1 reference, target)``,
    with both unit ratios cached: the library has thousands of such values. UnitError when neither fits.
    """
    if quantity._is_multiplicative and isinstance(quantity.magnitude, float):
        t = parse_unit(target)
        factor = _factor_or_none(quantity.units, t)
        if factor is None:
            factor = _factor_or_none(quantity.units * parse_unit(reference), t)
        if factor is not None:
            return quantity.magnitude * factor
    try:
        return convert(quantity, target)
    except UnitError:
        return convert(quantity * Quantity(1, reference), target)


def same_dimension(a: str | pint.Unit, b: str | pint.Unit) -> bool:
    ua = parse_unit(a) if isinstance(a, str) else a
    ub = parse_unit(b) if isinstance(b, str) else b
    return ureg.get_dimensionality(ua) == ureg.get_dimensionality(ub)
