"""The YAML guards (lca.core.yamlio) accept a study of 100,000 activities and still refuse
pathological files, each with a located message."""

from __future__ import annotations

import pytest

from lca.core import yamlio
from lca.core.errors import InputError
from lca.core.yamlio import load_yaml


def _refused(text: str) -> list[str]:
    with pytest.raises(InputError) as err:
        load_yaml("s.yaml", text)
    return [str(p) for p in err.value.problems]


def test_the_limits_hold_a_study_of_100k_activities():
    # 100,000 activities in flow style, with two exchanges each: about 130 bytes and 27 nodes an
    # activity (keys count): 13 MB and 2.7 million nodes, within 50 MB and 5 million
    activity = ('    - {id: a12345, name: a12345, stage: C1, phase: inference, tier: data_centre, exchanges: '
                '[{dataset: electricity.fr, amount: "3 kWh", source: generated}, {activity: a12346, amount: 1}]}\n')
    assert 100_000 * len(activity) < yamlio.MAX_BYTES
    small = load_yaml("s.yaml", "activities:\n" + activity)
    builder = yamlio._Builder("s.yaml")
    builder.build(yamlio.yaml.compose(activity.strip()[2:], Loader=yamlio._COMPOSER), ())
    assert 100_000 * builder.count < yamlio.MAX_NODES
    assert small.data["activities"][0]["exchanges"][1] == {"activity": "a12346", "amount": 1}


def test_aliases_a_study_may_use_are_read():
    text = "base: &b {unit: kWh, source: x}\nuse: [*b, *b, *b]\n"
    doc = load_yaml("s.yaml", text)
    assert doc.data["use"] == [{"unit": "kWh", "source": "x"}] * 3


def test_a_billion_laughs_is_refused_where_the_aliases_multiply():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    [problem] = _refused("\n".join(lines) + "\n")
    # 10 aliases of 11 nodes at b, 10 of 111 at c, ... the budget of 100,000 runs out within e (line 5)
    assert problem.startswith("s.yaml:") and "aliases expand to more than 100000 nodes (an alias bomb?)" in problem


def test_the_alias_budget_counts_only_nodes_built_again(monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_ALIAS_NODES", 3)
    assert load_yaml("s.yaml", "a: &a [1, 2]\nb: *a\n").data["b"] == [1, 2]  # 3 nodes again: at the limit
    [problem] = _refused("a: &a [1, 2, 3]\nb: *a\n")  # 4 nodes again
    assert problem.startswith("s.yaml:1: b[2]: aliases expand to more than 3 nodes")  # the 4th: [, 1, 2, 3


def test_too_many_nodes_without_aliases_are_refused_with_their_line(monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_NODES", 100)
    # the mapping, its key k, the list, then items: item 97 (line 99) is node 101
    [problem] = _refused("k:\n" + "".join(f"  - {i}\n" for i in range(200)))
    assert problem.startswith("s.yaml:99: k[97]: document expands to more than 100 nodes")


def test_deep_nesting_is_refused_with_its_line():
    text = "".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "v\n"
    [problem] = _refused(text)
    assert problem.startswith("s.yaml:65:") and "nested more than 64 levels deep" in problem


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("# " + "x" * 1200 + "\n")
    with pytest.raises(InputError) as err:
        yamlio.read_text(path)
    assert "over the 1000-byte limit" in str(err.value.problems[0])
