"""The event reader (lca/core/yamlfast.py) builds exactly what the node builder of lca/core/yamlio.py
builds (data, types, key order and the line of every field), or declines and leaves the file to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from lca.core import yamlfast, yamlio
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
    # repr: 1, 1.0 and True differ, and so does the order of keys; the lines in their order too
    return repr(fast[0]) == repr(reference[0]) and list(fast[1].items()) == list(reference[1].items())


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
