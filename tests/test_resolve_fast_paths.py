"""The fast paths of loading and resolving a study (issue 14) give what the plain ones give:
the resolved records' own __init__, the constant amounts kept by ``amount``, the supplies in
plain floats, a resolved study's field texts and lines."""

from __future__ import annotations

import dataclasses
import inspect

import numpy as np
import pytest

from lca.core.yamlio import LoadedYaml, dotted
from lca.study import amounts, loops
from lca.study.amounts import Collector, amount
from lca.study.model import ResolvedActivity, ResolvedInput, ResolvedSystem


def _generated(cls):
    """The same fields as ``cls`` in a frozen dataclass with the __init__ dataclasses generates."""
    spec = []
    for f in dataclasses.fields(cls):
        default = ({"default": f.default} if f.default is not dataclasses.MISSING else
                   {"default_factory": f.default_factory} if f.default_factory is not dataclasses.MISSING else {})
        spec.append((f.name, f.type, dataclasses.field(**default)))
    return dataclasses.make_dataclass(cls.__name__, spec, frozen=True)


@pytest.mark.parametrize("cls, args", [
    (ResolvedInput, ("dataset", "electricity.fr@default", 2.5, "kWh", "a source", "systems.ai.activities[0]", 7)),
    (ResolvedActivity, ("a0", "A", ("C1",), "C", "inference", "data_centre", 1.0, (), True)),
])
def test_the_records_init_sets_every_field_as_the_generated_one(cls, args):
    plain = _generated(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    # positional, then by keyword, then with every optional field given: the same fields and values
    extra = {"label": "L", "uncertainty": "a distribution", "zero": {"pe": "why"}} if cls is ResolvedInput else \
        {"equipment_share": 0.25}
    for made, expected in ((cls(*args), plain(*args)),
                           (cls(**dict(zip(names, args))), plain(**dict(zip(names, args)))),
                           (cls(*args, **extra), plain(*args, **extra))):
        assert list(vars(made)) == names
        assert vars(made) == vars(expected)
    assert cls(*args) == cls(*args)
    assert list(inspect.signature(cls).parameters) == names
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(cls(*args), names[0], "other")
    changed = dataclasses.replace(cls(*args), **{names[0]: "other"})
    assert vars(changed) == {**vars(plain(*args)), names[0]: "other"}


def test_a_default_zero_is_a_new_dict_for_each_input():
    a, b = (ResolvedInput("flow", "f", 1.0, "kg", None, "x", 1) for _ in range(2))
    assert a.zero == {} and a.zero is not b.zero


def _fresh(text, params, unit, **flags):
    """``amount`` with nothing kept: the plain path."""
    amounts._CONSTANT.clear()
    col = Collector(LoadedYaml("s.yaml", {}))
    return amount(text, params, col, ("x",), unit, **flags), [p.message for p in col.problems]


CASES = [("3 kWh", "kWh"), ("3 MWh", "kWh"), ("56 gCO2e/kWh", "kgCO2e/kWh"), (1, None), (1.0, None), ("1", None),
         (True, None), (False, None), (0, None), ("0 kWh", "kWh"), ("-2 kWh", "kWh"), ("2 kg", "kWh"),
         ("2e30 kWh", "kWh"), ("2 h", "hour"), (10**400, None), ("nan", None)]
FLAGS = [{}, {"positive": False}, {"strictly_positive": True}]


def test_kept_constant_amounts_give_the_plain_answers_whatever_came_before():
    # each case answered fresh, then again after every case with every flag was asked (kept values)
    col = Collector(LoadedYaml("s.yaml", {}))
    expected = {(i, k): _fresh(t, {}, u, **f) for i, (t, u) in enumerate(CASES) for k, f in enumerate(FLAGS)}
    for (i, k), want in expected.items():
        text, unit = CASES[i]
        col.problems.clear()
        got = amount(text, {}, col, ("x",), unit, **FLAGS[k])
        assert (got, [p.message for p in col.problems]) == want, (text, unit, FLAGS[k])
        assert type(got) is type(want[0])
    # True equals 1 as a key: a true/false value is never kept, and 1 kept does not answer for it
    assert (1, None) in amounts._CONSTANT and not any(type(text) is bool for text, _ in amounts._CONSTANT)
    assert amount(True, {}, col, ("x",), None) is None


def test_a_kept_amount_does_not_answer_for_a_text_that_uses_a_parameter():
    from lca.core.units import Quantity

    col = Collector(LoadedYaml("s.yaml", {}))
    assert amount("2 h", {}, col, ("x",), "hour") == 2.0  # kept: h is the hour here
    params = {"h": Quantity(3.0, "hour")}  # a parameter named h shadows the unit
    assert amount("2 h", params, col, ("x",), "hour") == _fresh("2 h", params, "hour")[0] == 6.0
    assert amount("2 kWh", params, col, ("x",), "kWh") == 2.0  # a text without the parameter: kept
    assert ("2 kWh", "kWh") in amounts._CONSTANT


def _system(n: int, edges, scales) -> ResolvedSystem:
    acts = []
    for i in range(n):
        inputs = tuple(ResolvedInput("activity", f"a{j}", w, "unit", None, f"f{i}", i) for k, j, w in edges if k == i)
        acts.append(ResolvedActivity(f"a{i}", f"a{i}", ("C1",), "C", "none", "other", scales[i], inputs, i < 2))
    return ResolvedSystem("ai", "AI", tuple(acts))


@pytest.mark.parametrize("seed", range(4))
def test_supplies_in_floats_are_the_array_of_supplies(seed):
    rng = np.random.default_rng(seed)
    n = 50
    edges = [(i, j, float(rng.uniform(0.1, 3))) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.1]
    system = _system(n, edges, [float(s) for s in rng.uniform(0.2, 1.0, n)])
    x = loops.scalar_supplies(system)
    assert all(type(v) is float for v in x)
    assert x == loops.supplies(system).tolist()
    # by hand on a chain: a0 (top level) needs 2 a1 (a1 also top level), a1 needs 3 a2: x = [1, 1 + 2, 9]
    chain = _system(3, [(0, 1, 2.0), (1, 2, 3.0)], [1.0, 1.0, 1.0])
    assert loops.scalar_supplies(chain) == [1.0, 3.0, 9.0]


def test_a_study_resolves_to_the_fields_and_lines_of_the_plain_lookups(tmp_path, library):
    from lca.study.load import load_study
    from lca.study.resolve import resolve

    path = tmp_path / "s.yaml"
    path.write_text(
        "study: {id: s, name: S, functional_unit: {description: one}}\n"
        "systems:\n  ai:\n    name: AI\n    activities:\n"
        "    - {id: a0, name: a0, stage: C1, phase: inference, tier: data_centre, exchanges: "
        "[{activity: a1, amount: 2}, {dataset: electricity.fr, amount: \"1 kWh\", source: s}]}\n"
        "    - id: a1\n      name: a1\n      stage: C1\n      phase: inference\n      tier: data_centre\n"
        "      exchanges:\n        - dataset: electricity.fr\n          amount: 3 kWh\n          source: s\n")
    loaded = load_study(path)
    acts = resolve(loaded, library).systems["ai"].activities
    for i, act in enumerate(acts):
        for j, inp in enumerate(act.inputs):
            loc = ("systems", "ai", "activities", i, "exchanges", j)
            assert (inp.field, inp.line) == (dotted(loc), loaded.doc.line_of(loc))
    assert [inp.line for act in acts for inp in act.inputs] == [6, 6, 13]  # a flow line, then the block
