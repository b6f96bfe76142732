"""A cache in front of the amount parser: each amount text is parsed once per process.

A study of 10,000 activities has 30,000 amount texts and the library's values are read again by
every finding that looks at them: pint's full parser takes a few hundred microseconds each. The
wrapper below keeps the parser's result for a text whose value cannot depend on the variables
(none of its names is a variable), and reads a plain literal (``"433 MWh"``, ``"0.85"``,
``"-2e3 kgCO2e/kWh"``) without pint's expression parser: the number by ``float``, the unit by the
cached unit parser. Any text it does not recognise, and every error, goes to the parser itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import wraps

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
LITERAL = re.compile(r"^\s*(?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(?P<unit>[A-Za-z_][A-Za-z0-9_ /*^.]*?)?\s*$")
MAX_ENTRIES = 200_000  # texts kept (cleared when full)


def memoised_literals(parse: Callable, quantity: Callable, parse_unit: Callable) -> Callable:
    """Wrap ``parse(text, variables)``: results of texts that name no variable are kept by text.

    ``quantity(magnitude, unit)`` builds the result (a new object every call: callers may not
    share one); ``parse_unit(text)`` is the (cached) unit parser.
    """
    cache: dict[str, tuple[frozenset, float, object]] = {}

    @wraps(parse)
    def parse_quantity(text, variables: dict | None = None):
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            value = float(text) if abs(text) < 1e300 else math.inf  # a huge integer: the parser refuses it
            return quantity(value, parse_unit("dimensionless")) if math.isfinite(value) else parse(text, variables)
        if not isinstance(text, str) or len(text) > 500:
            return parse(text, variables)
        hit = cache.get(text)
        if hit is not None and (not variables or hit[0].isdisjoint(variables)):
            return quantity(hit[1], hit[2])
        names = frozenset(NAME.findall(text))
        if variables and not names.isdisjoint(variables):
            return parse(text, variables)  # depends on the variables: never kept
        q = _literal(text, quantity, parse_unit)
        if q is None:
            q = parse(text, variables)
        magnitude = q.magnitude
        if isinstance(magnitude, float):
            if len(cache) >= MAX_ENTRIES:
                cache.clear()
            cache[text] = (names, magnitude, q.units)
        return q

    parse_quantity.cache_clear = cache.clear  # type: ignore[attr-defined]
    return parse_quantity


def _literal(text: str, quantity: Callable, parse_unit: Callable):
    """A number with an optional unit, read without the expression parser; None for anything else."""
    match = LITERAL.match(text)
    if match is None:
        return None
    value = float(match["number"])
    if not math.isfinite(value):
        return None
    unit_text = (match["unit"] or "").strip()
    if not unit_text:
        return quantity(value, parse_unit("dimensionless"))
    try:
        unit = parse_unit(unit_text)
    except ValueError:
        return None
    return quantity(value, unit)
