"""Formatting helpers for the report: numbers, percentages, dates and safe links.

Every helper returns plain text or ``Markup`` built from escaped parts, so that text from a
study file (names, statements, sources) can never inject markup into a report.
"""

from __future__ import annotations

import math
import re
import time
from urllib.parse import quote

from markupsafe import Markup, escape

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


def num(x: float | None, digits: int = 4) -> str:
    """A number with ``digits`` significant digits; ``a × 10ⁿ`` outside [1e-3, 1e6); "–" for None."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if x == 0:
        return "0"
    ax = abs(x)
    if 1e-3 <= ax < 1e6:
        text = f"{x:,.{digits}g}"
        if "e" in text:  # :g may still choose an exponent for e.g. 123456 with 4 digits
            text = f"{x:,.0f}"
        return text.replace(",", "\u202f").replace("-", "−")
    mant, exp = f"{x:.{max(digits - 2, 0)}e}".split("e")  # one digit fewer: the "× 10ⁿ" is long enough
    if "." in mant:
        mant = mant.rstrip("0").rstrip(".")
    return f"{mant} × 10{str(int(exp)).translate(_SUPERSCRIPT)}".replace("-", "−", 1)


def signed(x: float | None, digits: int = 4) -> str:
    """A number with its sign always shown (net values)."""
    if x is None:
        return "–"
    text = num(x, digits)
    return text if text.startswith("−") or x == 0 else "+" + text


def pct(x: float | None, digits: int = 3) -> str:
    """A fraction as a percentage: 0.546 -> "54.6 %"."""
    if x is None:
        return "–"
    return f"{x * 100:.{digits}g} %".replace("-", "−")


def safe_href(url: str | None) -> str | None:
    """The URL when its scheme is http(s) and it has no spaces or quotes, else None (not linked)."""
    if not url or not _URL.match(url.strip()):
        return None
    return url.strip()


def doi_href(doi: str | None) -> str | None:
    """``10.1234/abc`` -> ``https://doi.org/10.1234/abc`` when it is a DOI, else None."""
    if not doi or not _DOI.match(doi.strip()):
        return None
    return "https://doi.org/" + quote(doi.strip(), safe="/:;()._-")


def link(text: str, href: str | None) -> Markup:
    """``<a href>`` around escaped text when ``href`` is safe; the text alone otherwise."""
    if href is None:
        return Markup(escape(text))
    return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(href, text)


def utc_stamp(epoch: int | None) -> str:
    """The report date: SOURCE_DATE_EPOCH when given, else now; ISO 8601 in UTC."""
    t = time.time() if epoch is None else epoch
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(t))
