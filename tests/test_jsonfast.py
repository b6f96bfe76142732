"""The fast JSON writer (lca/core/jsonfast.py): ``indent=2`` bytes while containers are short,
one item per line inside long ones, the same object back from ``json.loads``."""

import json

import pytest

from lca.core import jsonfast
from lca.core.atomic import json_bytes


def _indent2(payload) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False)


SHORT = {
    "schema_version": 1,
    "study": {"id": "tiny", "name": "Café ☕ \"quoted\"\n", "empty": {}, "none": [], "flag": True, "nothing": None},
    "systems": {"ai": {"total": {"gwp": 0.1 + 0.2, "pe": 1e-300, "water": -0.0},
                       "activities": [{"id": f"a{i}", "share": i / 7} for i in range(jsonfast.LONG)]}},
    "tuple": (1, 2.5, "x"),
    "numbers as keys": {1: "one", 2.5: "two and a half", None: "null", False: "false"},
}


def test_short_containers_are_written_as_indent_2_writes_them():
    # every container holds at most LONG (100) items: the bytes of json.dumps(indent=2)
    assert jsonfast.dumps(SHORT) == _indent2(SHORT)
    assert json_bytes(SHORT) == (_indent2(SHORT) + "\n").encode("utf-8")


def test_long_containers_hold_one_item_per_line_and_read_back_the_same():
    n = jsonfast.LONG + 1  # 101 items: long
    payload = {"study": {"id": "big"},
               "systems": {"ai": {"by_activity": {f"a{i}": {"gwp": i / 3, "pe": [i, None]} for i in range(n)},
                                  "exchanges": [{"from": f"a{i}", "amount": 1.5} for i in range(n)],
                                  "energy": {f"a{i}": i * 0.5 for i in range(n)}}}}
    text = jsonfast.dumps(payload)
    assert json.loads(text) == payload
    lines = text.splitlines()
    # each long item on its own line, written by the compact encoder
    assert '      "by_activity": {' in lines
    assert '        "a1": {"gwp": 0.3333333333333333, "pe": [1, null]},' in lines
    assert '        {"from": "a100", "amount": 1.5}' in lines
    assert '        "a3": 1.5,' in lines  # plain values: the same line as indent=2 writes
    # 1 "{" + 1 study + 3 lines of "id" + 2 systems/ai + 3 containers x (101 items + open + close) + 3 closings = 318
    assert len(lines) == 1 + 3 + 2 + 3 * (n + 2) + 3
    # the short parts stay indented as indent=2 lays them out
    assert text.startswith('{\n  "study": {\n    "id": "big"\n  },\n  "systems": {\n')
    assert jsonfast.dumps(payload) == text  # the same bytes every time


def test_nan_is_refused_in_short_and_long_containers():
    with pytest.raises(ValueError):
        jsonfast.dumps({"x": float("nan")})
    with pytest.raises(ValueError):
        jsonfast.dumps({"x": [{"v": float("inf")}] * (jsonfast.LONG + 1)})
