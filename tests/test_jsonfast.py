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


def _one(value) -> str:
    """The plain path: ``value`` as json.dumps writes it on one line (the C encoder)."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)


COLUMNS = {
    "text": ["a", 'say "hi"', "tab\there", "Café ☕", "a, b", "", "\\", "\x00\x1f"],
    "numbers": [0.0, -0.0, 1.5, 0.1 + 0.2, 1e-300, 1e300, -7, 10**30, 0],
    "plain": [True, False, None, 2, 2.5, -0.0],
    "mixed": ["x", None, 1.0, {"gwp": 1.0}, [1, "a, b"], (2, 3)],
    "records": [{"id": f"a{i} é", "values": {"gwp": i / 3}, "up": ("A", "B1"), "line": None} for i in range(5)],
    "subclasses": [type("Name", (str,), {})("n"), True, 1],
}


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_a_column_at_a_time_gives_the_text_of_one_call_per_item(kind):
    values = COLUMNS[kind] * 40  # long: 120 items or more
    assert len(values) > jsonfast.LONG
    assert jsonfast._texts(values) == [_one(v) for v in values]
    assert jsonfast._texts(tuple(values)) == [_one(v) for v in values]


@pytest.mark.parametrize("value", [
    {f"a{i}, \"b\"": i / 3 for i in range(jsonfast.LONG + 1)},  # text keys: made text a column at a time
    {i + 0.5: f"v{i}" for i in range(jsonfast.LONG + 1)} | {True: "t", None: "n"},  # other keys: one by one
    [f"name {i}, \u00e9" for i in range(jsonfast.LONG + 1)],
    [float(i) for i in range(jsonfast.LONG + 1)],
])
def test_long_mappings_and_lists_are_the_lines_of_one_call_per_item(value):
    if isinstance(value, dict):
        items = [_one({k: v})[1:-1] for k, v in value.items()]  # '"key": value' as json.dumps writes it
        expected = "{\n  \"x\": {\n    " + ",\n    ".join(items) + "\n  }\n}"
    else:
        expected = "{\n  \"x\": [\n    " + ",\n    ".join(map(_one, value)) + "\n  ]\n}"
    assert jsonfast.dumps({"x": value}) == expected


def test_nan_is_refused_in_a_long_column_of_numbers():
    with pytest.raises(ValueError):
        jsonfast.dumps([1.0] * jsonfast.LONG + [float("nan")])
    with pytest.raises(ValueError):
        jsonfast.dumps({f"a{i}": float("-inf") if i == 50 else 1.0 for i in range(jsonfast.LONG + 1)})


def test_the_end_is_joined_after_the_document():
    assert jsonfast.dumps(SHORT, end="\n") == _indent2(SHORT) + "\n"
