"""Every geography of the background library is a code a reader can look up.

A country is written in ISO 3166-1 alpha-3 (``FRA``, ``USA``), a subdivision in ISO 3166-2
(``US-CA``, ``CN-AH``), checked against pycountry's copy of the standard. Besides these the library
uses only the regions in ``REGIONS`` and the former countries in ``FORMER`` (ISO 3166-3), which
old national statistics still report. ``lca data search --geography`` matches a country in either
ISO form (lca/library/search.py), so one dataset written ``US`` where the rest say ``USA`` was
found by one form's search and not the other's reader (it was the GPT-3 training site).
"""

from __future__ import annotations

import pytest

pycountry = pytest.importorskip("pycountry")

REGIONS = {
    "GLO": "the world (the ecoinvent convention for a global dataset)",
    "EU": "the European Union (ISO 3166-1 exceptionally reserved alpha-2 code)",
}
FORMER = {"SCG", "ANT"}  # Serbia and Montenegro (to 2006), Netherlands Antilles (to 2010): ISO 3166-3


def _bad(geographies: dict[str, str]) -> dict[str, str]:
    countries = {c.alpha_3 for c in pycountry.countries}
    former = {c.alpha_3 for c in pycountry.historic_countries}
    subdivisions = {s.code for s in pycountry.subdivisions}
    assert FORMER <= former  # the former codes are ISO 3166-3's
    return {ident: geo for ident, geo in geographies.items()
            if not (geo in countries or geo in subdivisions or geo in REGIONS or geo in FORMER)}


def test_the_check_refuses_an_alpha_2_country():
    # "US" is the alpha-2 of USA: refused; "USA", "US-CA" and "GLO" pass
    assert _bad({"a": "US", "b": "USA", "c": "US-CA", "d": "GLO", "e": "XX-YY"}) == {"a": "US", "e": "XX-YY"}


def test_every_library_geography_is_iso_3166_or_a_listed_region(library):
    geographies = {i: ds.geography for i, ds in library.datasets.items() if ds.geography}
    assert _bad(geographies) == {}
    assert library.datasets["electricity.gpt3-training-site"].geography == "USA"
    # every listed exception is used, so the lists stay honest
    assert (set(REGIONS) | FORMER) <= set(geographies.values())
