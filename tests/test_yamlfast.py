"""The event reader (lca/core/yamlfast.py) builds exactly what the node builder of lca/core/yamlio.py
builds (data, types, key order and the line of every field), or declines and leaves the file to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from lca.core import yamlfast, yamlflow, yamlio
from lca.core.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("inventories/**/*.yaml"), *ROOT.glob("tests/**/*.yaml")])


def _by_nodes(path: str, text: str):
    """What load_yaml built before the event reader: libyaml's nodes, then yamlio's builder."""
    nodes = list(yamlio.yaml.compose_all(text, Loader=yamlio._COMPOSER))
    if len(nodes) != 1:
        raise InputError([])
    builder = yamlio._Builder(path)
    data = builder.build(nodes[0], ())
    if builder.problems:
        raise InputError(builder.problems)
    return data, builder.lines


def _same(fast, reference) -> bool:
    """The same data (repr: 1, 1.0 and True differ, and so does the order of keys) and the same line
    for every field, as ``line_of`` finds it: a collection written on one line (lca/core/yamlflow.py)
    records its own line only, which ``line_of`` gives each of its fields."""
    if repr(fast[0]) != repr(reference[0]):
        return False
    found = yamlio.LoadedYaml("x", fast[0], fast[1])
    if any(found.line_of(loc) != line for loc, line in reference[1].items()):
        return False
    # what is recorded is recorded at the same line, in the same order
    recorded = [loc for loc in reference[1] if loc in fast[1]]
    return recorded == list(fast[1]) and all(fast[1][loc] == reference[1][loc] for loc in recorded)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_event_reader_builds_what_the_node_builder_builds(path):
    try:
        text = yamlio.read_text(path)
    except InputError:
        return  # not text (a bad input of the corpus): neither reader sees it
    fast = yamlfast.read_plain(text)
    try:
        reference = _by_nodes(str(path), text)
    except (InputError, yamlio.yaml.YAMLError):
        assert fast is None, "the node builder refuses this file: the event reader must decline it"
        return
    if fast is not None:
        assert _same(fast, reference)


def test_the_shipped_studies_take_the_event_reader():
    studies = sorted(ROOT.glob("inventories/studies/*.yaml"))
    assert studies and all(yamlfast.read_plain(yamlio.read_text(p)) is not None for p in studies)


CASES = [
    "a: 1\nb: 1.5\nc: yes\nd: ~\ne: 2024-01-02\nf: '1'\ng: \"x\"\nh: |\n  block\n",
    "1: one\n1.5: x\ntrue: t\n",  # keys that are numbers or booleans become text, as the builder makes them
    "- [a, {b: [c, d]}, []]\n- {}\n- ''\n- \n",
    "k:\n  - x: 1\n    y:\n      z: w\n",
]


@pytest.mark.parametrize("text", CASES)
def test_small_documents_read_the_same_both_ways(text):
    fast = yamlfast.read_plain(text)
    assert fast is not None and _same(fast, _by_nodes("s.yaml", text))


DECLINED = [
    "a: &x 1\nb: *x\n",  # anchors and aliases
    "a: !!str 1\n",  # a tag
    "a: 1\na: 2\n",  # a duplicate key
    "? [a]\n: b\n",  # a key that is not text
    "<<: {a: 1}\n",  # a merge key
    "a: 010\n",  # octal in YAML 1.1
    "a: 1:30\n",  # base 60
    "a: \"\\e[31m\"\n",  # an escape character
    "a: 1\n---\nb: 2\n",  # two documents
    "a: [1\n",  # a syntax error
    "# only a comment\n",
    "~: x\n",  # a null key
]


@pytest.mark.parametrize("text", DECLINED)
def test_what_the_builder_must_locate_is_left_to_it(text):
    assert yamlfast.read_plain(text) is None


def test_the_limits_are_the_loaders(monkeypatch):
    text = "k:\n" + "".join(f"  - {i}\n" for i in range(200))  # 202 nodes
    assert yamlfast.read_plain(text) is not None
    monkeypatch.setattr(yamlio, "MAX_NODES", 100)
    assert yamlfast.read_plain(text) is None  # and load_yaml then names node 101 (tests/test_yaml_limits.py)


# --- single-line flow collections (lca/core/yamlflow.py) ---------------------------------------

def _flow_count(text: str) -> int:
    """How many collections yamlflow reads itself (the rest is libyaml's)."""
    typed = yamlfast.typer(yamlio.yaml.SafeLoader(""), {})
    try:
        found = yamlflow.substitute(text, yamlio._UNSAFE_TEXT.search, typed)[1]
    except Exception:  # a scalar the event reader declines: the whole document is the builder's
        return 0
    return sum(len(data) if type(data) is yamlflow.Items else 1 for data, _ in found.values())


def _placeholders(text: str) -> int:
    typed = yamlfast.typer(yamlio.yaml.SafeLoader(""), {})
    try:
        return len(yamlflow.substitute(text, yamlio._UNSAFE_TEXT.search, typed)[1])
    except Exception:  # a scalar the event reader declines: the whole document is the builder's
        return 0


def _agrees_with_the_builder(text: str):
    """The event reader's result, checked: what the node builder refuses it declines, and what it
    builds it builds the same (or leaves to the builder)."""
    fast = yamlfast.read_plain(text)
    try:
        reference = _by_nodes("s.yaml", text)
    except (InputError, yamlio.yaml.YAMLError):
        assert fast is None, text
        return None
    assert fast is None or _same(fast, reference), text
    return fast


FLOW_CASES = [
    # typed plain scalars, as PyYAML's resolver types them; quoted ones stay text
    "a:\n- {n: 1, f: 1.5, e: 1.0e+3, t: true, y: yes, z: ~, d: 2024-01-02, s: \"1\", w: 1 kWh, m: -3}\n",
    # keys that are numbers or booleans become text; empty collections; nesting
    "a:\n- {1: one, 1.5: x, true: t, k: {}, l: [], n: [[1, 2], {b: [c]}]}\n",
    # a collection as a mapping's value, at the root, and several per document
    "k: {a: 1, b: [x, y]}\nl: [1, 2, 3]\nm:\n  - [a, b]\n  - {c: d}\n",
    "{a: 1, b: {c: [1, 2]}}\n",
    # words with spaces, a dash inside or first before a character, dots, slashes
    "a: [{x: electricity.fr, y: 56 gCO2e/kWh, z: -x-y, w: a - b}]\n",
    # an empty quoted string, quoted text with brackets, commas and colons
    "a: [{x: \"\", y: \"a, b: [c]\", z: \"{\"}]\n",
]


@pytest.mark.parametrize("text", FLOW_CASES)
def test_flow_lines_read_the_same_both_ways(text):
    assert _flow_count(text) >= 1, "the case must take the flow reader"
    fast = yamlfast.read_plain(text)
    assert fast is not None and _same(fast, _by_nodes("s.yaml", text))


FLOW_LEFT_TO_LIBYAML = [
    "a: [{x: 1,}]\n",  # a trailing comma
    "a: [x: 1]\n",  # a single-pair mapping in a sequence
    "a: {x: }\n",  # an empty value
    "a: {x}\n",  # a key without a value
    "a: {x:1}\n",  # a colon without a space: YAML reads text "x:1"
    "a: {x: 1} # a comment\n",
    "a: {x: 'single'}\n",  # single quotes
    "a: {x: \"esc\\tape\"}\n",  # an escape
    "a: {x: !unit 1}\n",  # a tag
    "a: {x: &a 1, y: *a}\n",  # an anchor and an alias
    "a: {x: .inf}\n",  # JSON has no infinity
    "a: {x: a #b}\n",
    "a: {x: ?y}\n",
    "a: {x: |y}\n",  # an indicator no plain scalar starts with, between two tokens
    "a: [x, @y]\n",
    "a: {\"x\":y}\n",  # a colon after a quoted key without a space (JSON would read it)
    "a: {x: 1,\ty: 2}\n",  # a tab between tokens (JSON would read it)
]


@pytest.mark.parametrize("text", FLOW_LEFT_TO_LIBYAML)
def test_what_the_flow_reader_does_not_know_stays_with_libyaml(text):
    assert _flow_count(text) == 0
    _agrees_with_the_builder(text)


FLOW_DECLINED = [
    "a:\n- {x: 1, x: 2}\n",  # a duplicate key: the builder locates it
    "a:\n- {x: 010}\n",  # octal in YAML 1.1
    "a:\n- {~: 1}\n",  # a null key
    "a: |\n  - {x: 1}\n",  # a line inside a block scalar: text, not a collection
    "a: \"one\n  - {x: 1}\n  two\"\n",  # inside a quoted scalar
    "a: plain text\n  - {x: 1}\n",  # a plain scalar's continuation
    "a:\n- {x: 1}\n  b: 2\n",  # a syntax error after the collection
]


@pytest.mark.parametrize("text", FLOW_DECLINED)
def test_a_doubtful_flow_line_makes_the_document_the_builders(text):
    assert yamlfast.read_plain(text) is None
    _agrees_with_the_builder(text)


def test_lines_outside_the_subset_among_many_stay_with_libyaml_and_the_others_are_read():
    lines = [f"  - {{a: {i}, b: [x, y]}}" for i in range(200)]
    lines[17] = "  - {a: 17, b: [x, y,]}"  # a trailing comma: the JSON decoder refuses it
    lines[150] = "  - {a: 150, b: x:1}"  # a colon without a space: text for YAML, refused here
    text = "k:\n" + "\n".join(lines) + "\n"
    assert _flow_count(text) == 198  # halves decoded on their own until the two lines are found
    fast = _agrees_with_the_builder(text)
    assert fast is not None and fast[0]["k"][150] == {"a": 150, "b": "x:1"}


def test_adjacent_sequence_items_share_one_placeholder_and_later_lines_keep_their_numbers():
    text = "k:\n- {a: 1}\n- {a: 2}\n- {a: 3}\nm: 4\n"
    assert _flow_count(text) == 3 and _placeholders(text) == 1
    fast = _agrees_with_the_builder(text)
    assert fast is not None and fast[1][("k", 2)] == 4 and fast[1][("m",)] == 5


RUNS_BROKEN = [
    "k:\n- {a: 1}\n\n- {a: 2}\n",  # a blank line between: two placeholders
    "k:\n- {a: 1}\n# note\n- {a: 2}\n",  # a comment line
    "k:\n  - {a: 1}\n  - b: {c: 2}\n  - {a: 3}\n",  # an item that is a mapping of its own
    "k:\n  - {a: 1}\n  - [x, y]\nj:\n  - {a: 2}\n",  # two sequences, the second of one item
    "k:\n  - {a: 1}\n  - {a: 2,}\n  - {a: 3}\n",  # the middle line left to libyaml
    "k:\n  - - {a: 1}\n    - {a: 2}\n  - {a: 3}\n",  # a nested sequence, then the outer one
    "k:\n  - {a: 1}\n  - {a: 2} \n  - {a: 3}\n",  # a trailing space
]


@pytest.mark.parametrize("text", RUNS_BROKEN)
def test_items_not_adjacent_in_one_sequence_are_read_as_written(text):
    fast = _agrees_with_the_builder(text)
    assert fast is not None and _flow_count(text) >= 2


@pytest.mark.parametrize("text", [
    "a: |\n  - {x: 1}\n  - {x: 2}\n",  # inside a block scalar: text
    "a: \"one\n  - {x: 1}\n  - {x: 2}\n  two\"\n",  # inside a quoted scalar
    "k:\n  - {a: 1}\n  - {a: 2}\n    more\n",  # a continuation after the last item
])
def test_items_that_are_not_sequence_items_make_the_document_the_builders(text):
    assert yamlfast.read_plain(text) is None
    _agrees_with_the_builder(text)


def test_a_document_holding_the_placeholders_text_is_read_without_the_flow_path():
    text = "a:\n- {x: 1}\n- __lca_flow_0__\n"
    assert _flow_count(text) == 0 and _agrees_with_the_builder(text) is not None


def test_long_lines_are_read_or_refused_in_linear_time():
    # 40 words then a character outside the subset: a backtracking tokenizer would try 2**40 ways
    # to split the words before refusing (this test then never ends)
    words = " ".join(["w"] * 40)
    assert _flow_count("a: {x: " + words + " :x}\n") == 0
    text = "a: {x: " + words + " !t}\n"  # "!" inside a plain scalar is text
    assert _flow_count(text) == 1 and _same(yamlfast.read_plain(text), _by_nodes("s.yaml", text))


def test_every_activity_line_of_a_large_generated_study_takes_the_flow_reader():
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_large import study_text

    for shape in ("flat", "chain", "ring"):
        text = study_text(300, shape)
        assert _flow_count(text) == 301 + (shape == "ring")  # the activities and the functional unit
        fast = yamlfast.read_plain(text)
        assert fast is not None and _same(fast, _by_nodes("s.yaml", text))


def test_the_flow_readers_nodes_count_toward_the_limit(monkeypatch):
    text = "k:\n" + "".join(f"  - {{a: {i}, b: [x, y]}}\n" for i in range(50))
    # the mapping, k and the sequence, then 50 times a mapping, a, its value, b, a sequence, x and y
    nodes = 3 + 50 * 7
    assert yamlfast.read_plain(text) is not None
    monkeypatch.setattr(yamlio, "MAX_NODES", nodes - 1)
    assert yamlfast.read_plain(text) is None
    monkeypatch.setattr(yamlio, "MAX_NODES", nodes)
    assert yamlfast.read_plain(text) is not None


def test_the_flow_readers_nesting_counts_toward_the_depth_limit(monkeypatch):
    text = "k:\n  - " + "[" * 10 + "1" + "]" * 10 + "\n"  # the 1 at depth 2 + 10
    assert yamlfast.read_plain(text) is not None
    monkeypatch.setattr(yamlio, "MAX_DEPTH", 11)
    assert yamlfast.read_plain(text) is None
    monkeypatch.setattr(yamlio, "MAX_DEPTH", 12)
    assert yamlfast.read_plain(text) is not None


def test_random_flow_lines_read_the_same_both_ways():
    import random

    rng = random.Random(14)
    atoms = ["a", "b c", "1", "-2", "1.5", "yes", "~", "null", "\"q\"", "\"\"", "2024-01-02", "x.y/z",
             "\"a, b\"", "0", "true", "1e3", "k-1", "_u"]

    def value(depth: int) -> str:
        roll = rng.random()
        if depth > 3 or roll < 0.5:
            return rng.choice(atoms)
        items = rng.randint(0, 3)
        if roll < 0.75:
            keys = rng.sample(["a", "b", "c", "1", "d e", "\"f\"", "true"], items)
            return "{" + ", ".join(f"{k}: {value(depth + 1)}" for k in keys) + "}"
        return "[" + ", ".join(value(depth + 1) for _ in range(items)) + "]"

    taken = 0
    for _ in range(300):
        lines = ["top:"] + [f"  - {value(0)}" for _ in range(rng.randint(1, 4))] + [f"m: {value(1)}"]
        text = "\n".join(lines) + "\n"
        taken += _flow_count(text) > 0
        _agrees_with_the_builder(text)
    assert taken > 100  # most documents hold a line the flow reader takes
