"""The foreground datapackage's entries (lca.engine.foreground_package._entries) are built from the
resolved study directly, each target's id found once; they must be exactly the entries the plain
path gives: every exchange of ``foreground_exchanges`` (what ``lca export`` writes), in its order,
with its amount, flags and stats_arrays fields. tests/test_foreground_package.py compares the
resulting matrices with bw2data's; this compares the entries themselves, without Brightway."""

from __future__ import annotations

import importlib.util

import pytest

from conftest import DATA, ROOT, STUDIES

SHIPPED = sorted(STUDIES.glob("*.yaml"))
DATA_STUDIES = ["local-datasets.yaml", "mc-bench.yaml", "mc-shared.yaml", "tiny.yaml"]


def _plain_entries(resolved, db_name: str, local: dict, known: dict):
    """The entries as one pass over ``foreground_exchanges`` gives them (the code before the fast path)."""
    from lca.engine.project import foreground_exchanges
    from lca.engine.stats_arrays import stats_arrays_fields

    tech, bio, tech_fields, bio_fields, used = [], [], {}, {}, set()
    for key, data in local.items():
        for ex in data["exchanges"]:
            fields = {k: v for k, v in ex.items() if k not in ("input", "amount", "type")}
            entries, kept = (bio, bio_fields) if ex["type"] == "biosphere" else (tech, tech_fields)
            if fields:
                kept[len(entries)] = fields
            used.add(ex["input"][0])
            entries.append((known[ex["input"]], known[key], ex["amount"], ex["type"] == "technosphere",
                            ex["type"] == "production"))
    for out, target, kind, amount, inp, factor in foreground_exchanges(resolved, db_name):
        amount = float(amount)
        entries, kept = (bio, bio_fields) if kind == "biosphere" else (tech, tech_fields)
        if inp is not None and inp.uncertainty is not None:
            kept[len(entries)] = stats_arrays_fields(inp.uncertainty, amount, float(factor))
        used.add(target[0])
        entries.append((known[target], known[out], amount, kind == "technosphere", kind == "production"))
    return tech, bio, tech_fields, bio_fields, used


def _known(resolved, db_name: str, local: dict) -> dict:
    """An id for every node the foreground's exchanges name (made up: no Brightway needed)."""
    from lca.engine.project import foreground_exchanges

    keys = dict.fromkeys(local)
    for data in local.values():
        keys.update(dict.fromkeys(ex["input"] for ex in data["exchanges"]))
    for out, target, *_ in foreground_exchanges(resolved, db_name):
        keys.update(dict.fromkeys((out, target)))
    return {key: 1000 + i for i, key in enumerate(keys)}


def assert_same_entries(resolved):
    from lca.engine.foreground_package import _entries
    from lca.engine.project import _local_nodes

    db_name = "study-x"
    local = _local_nodes(resolved.library, db_name)
    known = _known(resolved, db_name, local)
    used: set[str] = set()
    technosphere, biosphere = _entries(resolved, db_name, local, known, used)
    tech, bio, tech_fields, bio_fields, plain_used = _plain_entries(resolved, db_name, local, known)
    assert technosphere.items == tech
    assert biosphere.items == bio
    assert {i: f for i, f in technosphere.uncertain.items() if f} == {i: f for i, f in tech_fields.items() if f}
    assert {i: f for i, f in biosphere.uncertain.items() if f} == {i: f for i, f in bio_fields.items() if f}
    assert used == plain_used
    assert all(type(a) is float for _, _, a, _, _ in technosphere.items + biosphere.items)
    return technosphere, biosphere


def _resolved(path, library, brightway=None, data_dir=None):
    from lca.engine.user_background import with_user_background
    from lca.study import load_study, resolve

    loaded, library = with_user_background(load_study(path), library, brightway, data_dir=data_dir)
    return resolve(loaded, library)


@pytest.mark.parametrize("path", SHIPPED + [DATA / n for n in DATA_STUDIES], ids=lambda p: p.stem)
def test_the_entries_are_those_of_foreground_exchanges(path, library):
    assert_same_entries(_resolved(path, library))


@pytest.mark.parametrize("shape", ["flat", "chain", "ring"])
def test_generated_shapes_give_the_entries_of_foreground_exchanges(shape, tmp_path, library):
    spec = importlib.util.spec_from_file_location("bench_large", ROOT / "benchmarks" / "bench_large.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = tmp_path / f"{shape}.yaml"
    path.write_text(bench.study_text(40, shape))
    technosphere, _ = assert_same_entries(_resolved(path, library))
    # 40 activities: 40 productions, 1 of the functional unit, each activity's inputs, the unit's
    assert sum(1 for *_, reference in technosphere.items if reference) == 41 + (shape == "ring")


def test_uncertain_activity_inputs_scale_their_bounds_as_the_plain_path(library):
    resolved = _resolved(DATA / "mc-bench.yaml", library)
    technosphere, biosphere = assert_same_entries(resolved)
    assert any(technosphere.uncertain.values()) or any(biosphere.uncertain.values())


def test_proxies_of_the_users_activities_give_the_entries_of_foreground_exchanges(tmp_path, library, data_dir):
    from brightway_user import build_user_project
    from test_own_brightway import _study

    from lca.engine.user_background import BrightwayOptions

    user_dir = build_user_project(tmp_path / "their" / "brightway")
    resolved = _resolved(_study(tmp_path), library, BrightwayOptions(directory=user_dir), data_dir)
    assert any(inp.kind == "brightway" for s in resolved.systems.values() for a in s.activities for inp in a.inputs)
    assert_same_entries(resolved)


AMORTISED = """\
study:
  id: amortised
  name: An amortised activity consumed by another
  functional_unit: {description: one run}
systems:
  ai:
    name: AI
    activities:
      - id: main
        name: Main
        stage: C1
        phase: training
        tier: data_centre
        exchanges:
          - {activity: sub, amount: 2, assumption: test, uncertainty: {distribution: uniform, min: 1, max: 3}}
          - {activity: other, amount: 3, assumption: test, uncertainty: {distribution: normal, sd: 0.5}}
          - {dataset: electricity.fr, amount: "1 kWh", assumption: test}
      - id: sub
        name: Sub
        stage: C1
        phase: training
        tier: data_centre
        amortised_over: 4
        exchanges:
          - {dataset: electricity.fr, amount: "1 kWh", assumption: test, uncertainty: {distribution: lognormal, gsd: 1.2}}
      - id: other
        name: Other
        stage: C1
        phase: training
        tier: data_centre
        amortised_over: 5
        exchanges:
          - {dataset: electricity.world, amount: "2 kWh", assumption: test}
"""


def test_an_amortised_activity_consumed_by_another_is_written_per_unit_of_its_output(tmp_path, library):
    # main consumes 2 sub, sub serving 4 runs: the entry is 2 x 1/4 = 0.5 (its bounds 1..3 scaled alike,
    # 0.25..0.75); 3 other, serving 5 runs: 3 x 1/5 = 0.6 (sd 0.5 x 1/5 = 0.1)
    path = tmp_path / "amortised.yaml"
    path.write_text(AMORTISED)
    technosphere, _ = assert_same_entries(_resolved(path, library))
    scaled = {round(a, 12) for _, _, a, flip, _ in technosphere.items if flip}
    assert {0.5, 0.6} <= scaled
    fields = [f for f in technosphere.uncertain.values() if f]
    assert any(f.get("minimum") == 0.25 and f.get("maximum") == 0.75 for f in fields), fields
    assert any(f.get("scale") == pytest.approx(0.1) for f in fields), fields


def test_the_foreground_digest_tells_where_each_input_belongs(tmp_path, library):
    # the same texts and numbers, one input moved from `main` to `sub` (and back): other digests
    from lca.engine.project import foreground_digest

    moved = AMORTISED.replace(
        '          - {dataset: electricity.fr, amount: "1 kWh", assumption: test}\n      - id: sub',
        '      - id: sub').replace(
        "        amortised_over: 4\n        exchanges:\n",
        '        amortised_over: 4\n        exchanges:\n          - {dataset: electricity.fr, amount: "1 kWh", assumption: test}\n')
    assert moved != AMORTISED
    digests = []
    for i, text in enumerate((AMORTISED, moved, AMORTISED)):
        path = tmp_path / f"s{i}.yaml"
        path.write_text(text)
        digests.append(foreground_digest(_resolved(path, library)))
    assert digests[0] == digests[2] != digests[1]


def test_index_maps_and_rows_are_those_of_bw2calcs_dictionaries(library, data_dir):
    # lca.engine.matrices reads bw2calc's index mappers in one vectorised lookup each, and the
    # product row of every column from one array: the same as mlca.dicts and a lookup per node
    import numpy as np

    from lca.engine.bw import brightway
    from lca.engine.datadir import data_directory
    from lca.engine.matrices import _solved, study_matrices
    from lca.engine.project import ensure_background, foreground_name

    resolved = _resolved(STUDIES / "demo-office-heating.yaml", library)
    lib = resolved.library or library
    directory = data_directory(data_dir)
    bd, bc = brightway(directory)
    project = ensure_background(bd, lib)
    fg = foreground_name(resolved)
    mlca, ids = _solved(bd, bc, fg, resolved, list(lib.criteria), directory)
    m = study_matrices(mlca, ids, project, fg, resolved, list(lib.criteria), bd, bc)
    for mine, theirs in ((m.col, mlca.dicts.activity), (m.row, mlca.dicts.product), (m.flow_row, mlca.dicts.biosphere)):
        assert mine == dict(theirs) and list(mine) == list(theirs)
        assert all(type(k) is int and type(v) is int for k, v in mine.items())
    node_of_col = {c: node for node, c in m.col.items()}
    columns = np.arange(m.A.shape[1])
    assert m.rows_of(columns).tolist() == [m.row[node_of_col[c]] for c in columns.tolist()]
    assert m.rows_of(m.foreground_columns).tolist() == [m.row[m.ids[k]] for k in m.foreground_keys]
