"""The JSON form of results records (lca.results.model._shallow) is dataclasses.asdict's, copied;
the tree the JSON writer gets (StudyResult.json_tree: the records' own dicts) is written as to_dict()'s."""

from dataclasses import asdict, replace

from lca.core.atomic import json_bytes
from lca.core.jsonfast import LONG
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


def test_a_record_with_an_attribute_beside_its_fields_is_still_what_asdict_gives(tiny_result):
    exchange = replace(tiny_result.systems["ai"].exchanges[0])
    object.__setattr__(exchange, "extra", 1.0)  # not a field: not in the JSON form
    assert _shallow(exchange) == asdict(exchange)
    assert "extra" not in _shallow(exchange)


def _long(result, times: int):
    """``result`` with each system's activities and exchanges, and the findings, repeated ``times``
    times: lists longer than jsonfast.LONG (100), written one record per line."""
    systems = {k: replace(s, activities=s.activities * times, exchanges=s.exchanges * times)
               for k, s in result.systems.items()}
    return replace(result, systems=systems, findings=result.findings * times)


def test_the_json_tree_is_written_as_the_dict_is(tiny_result):
    # the records' own dicts (json_tree) and their copies (to_dict): the same bytes, short or long
    big = _long(tiny_result, 60)
    assert len(big.systems["ai"].exchanges) > LONG
    for result in (tiny_result, big):
        assert json_bytes(result.json_tree()) == json_bytes(result.to_dict())
    tree = big.json_tree()["systems"]["ai"]
    assert tree["exchanges"][0] is vars(big.systems["ai"].exchanges[0])  # not copied
    assert tree["activities"][0]["unit_processes"] == big.systems["ai"].activities[0].unit_processes


def test_a_record_with_an_attribute_beside_its_fields_makes_the_json_tree_copy(tiny_result):
    big = _long(tiny_result, 60)
    odd = replace(big.systems["ai"].exchanges[0])
    object.__setattr__(odd, "extra", 1.0)
    system = replace(big.systems["ai"], exchanges=(*big.systems["ai"].exchanges, odd))
    odd_result = replace(big, systems=big.systems | {"ai": system})
    exchanges = odd_result.json_tree()["systems"]["ai"]["exchanges"]
    assert "extra" not in exchanges[-1] and exchanges[0] is not vars(system.exchanges[0])
    assert json_bytes(odd_result.json_tree()) == json_bytes(odd_result.to_dict())
