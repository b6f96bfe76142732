"""The JSON form of results records (lca.results.model._shallow) is dataclasses.asdict's, copied."""

from dataclasses import asdict

from lca.results.model import _shallow


def test_every_record_of_a_result_is_what_asdict_gives(tiny_result):
    records = [*tiny_result.findings]
    for system in tiny_result.systems.values():
        records += [*system.activities, *system.exchanges]
    assert len(records) > 5
    for record in records:
        assert _shallow(record) == asdict(record)
    exchange = next(iter(tiny_result.systems["ai"].exchanges))
    copied = _shallow(exchange)
    copied["values"]["gwp"] = -1.0  # a copy, as asdict's: the result itself is unchanged
    assert exchange.values["gwp"] != -1.0
    assert len(tiny_result.to_dict()["systems"]["ai"]["exchanges"]) == len(tiny_result.systems["ai"].exchanges)
