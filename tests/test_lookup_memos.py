"""The once-per-distinct-value paths of a run (issue 14) give the answers of the plain ones."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from lca.core.yamlio import dotted
from lca.study.activities import field_text


def _read(library) -> dict:
    """The datasets read so far (not the pending families: reading those takes seconds)."""
    return dict(getattr(library.datasets, "state", library).datasets)


def test_field_texts_built_from_their_parent_equal_dotted():
    # every mix of plain keys, indexes, <key>, quoted keys ("a: b" is shown ["a:\u0020b"]) and booleans
    parts = ["systems", "ai", "activities", 3, "exchanges", 0, "<key>", "a: b", ":x", "x.y", 7, "", True, "a\nb"]
    rng = random.Random(1)
    for _ in range(5000):
        loc = tuple(rng.choice(parts) for _ in range(rng.randint(0, 6)))
        assert field_text(loc) == dotted(loc), loc
    assert field_text(("systems", "ai", "activities", 2, "exchanges", 0)) == "systems.ai.activities[2].exchanges[0]"


def test_dataset_lookups_are_kept_but_follow_a_replaced_mapping(library):
    ds, variant = library.dataset("electricity.fr")
    assert library.dataset("electricity.fr") == (ds, variant) and variant == ds.default
    assert library.dataset(f"electricity.fr@{variant}")[0] is ds
    with pytest.raises(KeyError):  # an unknown reference is refused every time (never kept)
        library.dataset("no.such.dataset")
    with pytest.raises(KeyError):
        library.dataset("no.such.dataset")
    # a view whose `datasets` maps electricity.fr to another dataset answers with that one
    other = library.datasets["electricity.de"]
    view = replace(library, datasets={**_read(library), "electricity.fr": other})
    assert view.dataset("electricity.fr")[0] is other
    view.datasets = {"electricity.fr": ds}  # replaced in place: the kept answers are dropped
    assert view.dataset("electricity.fr")[0] is ds


def test_each_exchanges_energy_is_supply_times_amount_times_kwh_per_unit(library):
    from lca.balance.energy import exchange_energies

    energy = exchange_energies(library)
    for _ in range(2):  # the second time from what was found the first time
        assert energy("dataset", "electricity.fr", 2.5, 3.0) == pytest.approx(7.5)  # 2.5 x 3 kWh, 1 kWh per kWh
        assert energy("flow", "x", 2.5, 3.0) == 0.0  # a direct flow carries no final energy
