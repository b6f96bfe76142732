"""The foreground handed to bw2calc as a datapackage in memory (lca.engine.foreground_package) gives
the matrices a foreground written into bw2data gives (ensure_foreground, as `lca export` still
writes it), key by key: every technosphere and biosphere entry, every characterisation factor,
the supply of every node and the scores; and a study run writes no foreground into Brightway."""

from __future__ import annotations

import dataclasses
import importlib.util
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest

from conftest import DATA, ROOT, STUDIES

SHIPPED = sorted(STUDIES.glob("*.yaml"))


def _bench_large():
    spec = importlib.util.spec_from_file_location("bench_large", ROOT / "benchmarks" / "bench_large.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _resolved(path: Path, library, brightway=None, data_dir=None):
    from lca.engine.user_background import with_user_background
    from lca.study import load_study, resolve

    loaded, library = with_user_background(load_study(path), library, brightway, data_dir=data_dir)
    return resolve(loaded, library), library


def _package_matrices(resolved, library, data_dir):
    """What `lca run` computes (the matrix cache left out)."""
    from lca.engine.datadir import data_directory
    from lca.engine.matrices import _built

    return _built(resolved, library, data_directory(data_dir))


def _written_matrices(resolved, library, data_dir):
    """The same with the foreground written into the project and read back by bw2data's own
    ``get_multilca_data_objs`` (the path of every run before the datapackage)."""
    from lca.engine.bw import brightway
    from lca.engine.datadir import data_directory
    from lca.engine.matrices import brightway_multilca, study_matrices, written_foreground
    from lca.engine.project import foreground_name, method_key, project_name

    ids = written_foreground(resolved, library, data_dir)
    bd, bc = brightway(data_directory(data_dir))
    fg = foreground_name(resolved)
    criteria = list(library.criteria)
    demands = {key: {ids[(fg, f"{key}/__fu__")]: 1.0} for key in resolved.systems}
    mlca = brightway_multilca(bd, bc, demands, [method_key(c) for c in criteria])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlca.lci()
        mlca.lcia()
    return study_matrices(mlca, ids, project_name(library), fg, resolved, criteria, bd, bc)


def keyed(m) -> dict:
    """The matrices with node and flow keys in place of ids, rows and columns."""
    key_of = {i: k for k, i in m.ids.items()}
    node_of_col = {c: key_of[i] for i, c in m.col.items()}
    node_of_row = {r: key_of[i] for i, r in m.row.items()}
    flow_of_row = {r: key_of[i] for i, r in m.flow_row.items()}
    A, B = m.A.tocoo(), m.B.tocoo()
    out = {
        "A": {(node_of_row[r], node_of_col[c]): v for r, c, v in zip(A.row, A.col, A.data) if v},
        "B": {(flow_of_row[r], node_of_col[c]): v for r, c, v in zip(B.row, B.col, B.data) if v},
        "cf": {(crit, flow_of_row[r]): m.cf[j, r] for j, crit in enumerate(m.criteria)
               for r in np.flatnonzero(m.cf[j])},
        "supply": {(s, node_of_col[c]): m.supply[i, c] for i, s in enumerate(m.systems)
                   for c in range(m.supply.shape[1])},
        "scores": m.scores,
        "nodes": sorted(node_of_col.values()),
    }
    assert len(out["nodes"]) == len(set(out["nodes"])) == m.A.shape[1]
    return out


def assert_same_matrices(resolved, library, data_dir):
    new = keyed(_package_matrices(resolved, library, data_dir))
    old = keyed(_written_matrices(resolved, library, data_dir))
    assert new["nodes"] == old["nodes"]
    assert new["A"] == old["A"]  # exactly: the same single-precision amounts, the same signs
    assert new["B"] == old["B"]
    assert new["cf"] == old["cf"]
    assert new["supply"].keys() == old["supply"].keys()
    for key, value in old["supply"].items():
        assert new["supply"][key] == pytest.approx(value, rel=1e-12, abs=1e-300), key
    np.testing.assert_allclose(new["scores"], old["scores"], rtol=1e-12, atol=0)
    return new


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_study_gives_the_matrices_of_the_written_foreground(path, library, data_dir):
    resolved, library = _resolved(path, library)
    assert_same_matrices(resolved, library, data_dir)


@pytest.mark.parametrize("shape", ["flat", "chain", "ring"])
def test_generated_shapes_give_the_matrices_of_the_written_foreground(shape, tmp_path, library, data_dir):
    path = tmp_path / f"{shape}.yaml"
    path.write_text(_bench_large().study_text(6, shape))
    resolved, library = _resolved(path, library)
    new = assert_same_matrices(resolved, library, data_dir)
    fg = resolved.loaded.model.study.id
    assert any(k[1] == "ai/a5" for k in new["nodes"]), fg


@pytest.mark.parametrize("name", ["local-datasets.yaml", "mc-bench.yaml", "mc-shared.yaml", "tiny.yaml"])
def test_local_datasets_and_uncertainty_give_the_matrices_of_the_written_foreground(name, library, data_dir):
    resolved, library = _resolved(DATA / name, library)
    assert_same_matrices(resolved, library, data_dir)


def test_proxies_of_the_users_activities_give_the_matrices_of_the_written_foreground(tmp_path, library, data_dir):
    # tests/test_own_brightway.py's mixed study: activities of the user's own project, as
    # proxies in our foreground (four: both markets, lorry, steel), with one extra criterion (acidification) of their methods
    from brightway_user import build_user_project
    from test_own_brightway import _study

    from lca.engine.user_background import BrightwayOptions

    user_dir = build_user_project(tmp_path / "their" / "brightway")
    resolved, lib = _resolved(_study(tmp_path), library, BrightwayOptions(directory=user_dir), data_dir)
    assert resolved.loaded.brightway is not None
    new = assert_same_matrices(resolved, lib, data_dir)
    assert sum(1 for k in new["nodes"] if k[1].startswith("brightway/")) == 4  # market-fr, market-de, lorry, steel


def _distributions(package, ids: dict) -> dict:
    """stats_arrays fields of every uncertain entry of a datapackage, by (row key, column key)."""
    key_of = {i: k for k, i in ids.items()}
    out = {}
    for res in package.resources:
        if res["kind"] != "distributions":
            continue
        group = res["name"].rsplit(".", 1)[0]
        dist = package.get_resource(res["name"])[0]
        indices = package.get_resource(group + ".indices")[0]
        for (r, c), d in zip(indices.tolist(), dist.tolist()):
            if d[0] > 1:
                fields = tuple(None if np.isnan(v) else float(v) for v in d[:6])  # NaN != NaN: None instead
                out[(res["matrix"], key_of[r], key_of[c])] = fields + tuple(d[6:])
    return out


def test_uncertainty_fields_are_those_bw2data_writes(library, data_dir):
    # mc-bench: exchange distributions of every kind Brightway represents (lognormal, normal,
    # uniform, triangular), scaled by the amounts of activities consumed by others
    from lca.engine.bw import brightway
    from lca.engine.datadir import data_directory
    from lca.engine.foreground_package import foreground_package
    from lca.engine.matrices import id_map, written_foreground
    from lca.engine.project import BACKGROUND_DB, BIOSPHERE_DB, INDICATOR_DB, foreground_name

    for path in (DATA / "mc-bench.yaml", DATA / "local-datasets.yaml", STUDIES / "demo-office-heating.yaml"):
        resolved, lib = _resolved(path, library)
        ids = written_foreground(resolved, lib, data_dir)
        bd, _ = brightway(data_directory(data_dir))
        fg = foreground_name(resolved)
        written = _distributions(bd.Database(fg).datapackage(), ids)
        package, fg_ids = foreground_package(bd, resolved, fg, id_map(bd, (BACKGROUND_DB, INDICATOR_DB, BIOSPHERE_DB)))
        ours = _distributions(package, {**ids, **fg_ids})
        assert written == ours, path.name
        if path.name == "mc-bench.yaml":
            assert written  # there is something to compare


def _flags(package, ids: dict, kind: str) -> set:
    """(row key, column key) of the entries a datapackage flags as ``kind`` (flip, reference)."""
    key_of = {i: k for k, i in ids.items()}
    out = set()
    for res in package.resources:
        if res["kind"] == kind:
            flags = package.get_resource(res["name"])[0]
            indices = package.get_resource(res["name"].rsplit(".", 1)[0] + ".indices")[0]
            out |= {(key_of[int(r)], key_of[int(c)]) for (r, c), f in zip(indices.tolist(), flags) if f}
    return out


def test_reference_and_flip_flags_are_those_bw2data_writes(library, data_dir):
    # every production exchange is its column's reference product; every technosphere input is flipped
    from lca.engine.bw import brightway
    from lca.engine.datadir import data_directory
    from lca.engine.foreground_package import foreground_package
    from lca.engine.matrices import id_map, written_foreground
    from lca.engine.project import BACKGROUND_DB, BIOSPHERE_DB, INDICATOR_DB, foreground_name

    resolved, lib = _resolved(DATA / "local-datasets.yaml", library)
    ids = written_foreground(resolved, lib, data_dir)
    bd, _ = brightway(data_directory(data_dir))
    fg = foreground_name(resolved)
    written = bd.Database(fg).datapackage()
    package, fg_ids = foreground_package(bd, resolved, fg, id_map(bd, (BACKGROUND_DB, INDICATOR_DB, BIOSPHERE_DB)))
    for kind in ("reference", "flip"):
        assert _flags(package, {**ids, **fg_ids}, kind) == _flags(written, ids, kind), kind
    references = _flags(package, {**ids, **fg_ids}, "reference")
    assert references and all(r == c for r, c in references)  # on the diagonal: each node's own product
    assert package.metadata["database_dependencies"] == written.metadata["database_dependencies"]


TWO = textwrap.dedent("""\
    study:
      id: two-activities
      name: Two activities, hand-checkable
      functional_unit: {description: one run, quantity: 1, unit: run}
    systems:
      ai:
        name: AI solution
        activities:
          - id: main
            name: Main
            stage: C1
            phase: training
            tier: data_centre
            exchanges:
              - {activity: sub, amount: 2, assumption: test}
          - id: sub
            name: Sub
            stage: C1
            phase: training
            tier: data_centre
            exchanges:
              - {dataset: electricity.fr, amount: "1 kWh", assumption: test}
      reference:
        name: Reference
        activities:
          - id: compute
            name: Computing electricity
            stage: C1
            phase: none
            tier: data_centre
            exchanges:
              - {dataset: electricity.world, amount: "2 kWh", assumption: test}
    """)


def test_two_activities_by_hand(tmp_path, library, data_dir):
    from lca.engine.project import foreground_name

    path = tmp_path / "two.yaml"
    path.write_text(TWO)
    resolved, lib = _resolved(path, library)
    m = _package_matrices(resolved, lib, data_dir)
    k = keyed(m)
    fg = foreground_name(resolved)
    fr = ("ai-lca-background", _variant(lib, "electricity.fr"))
    world = ("ai-lca-background", _variant(lib, "electricity.world"))
    main, sub, fu = (fg, "ai/main"), (fg, "ai/sub"), (fg, "ai/__fu__")
    # production +1 on the diagonal, inputs negative (flipped): main takes 2 sub, sub 1 kWh of FR,
    # the reference's activity 2 kWh of the world mix
    assert k["A"][(main, main)] == k["A"][(sub, sub)] == k["A"][(fu, fu)] == 1.0
    assert k["A"][(sub, main)] == -2.0 and k["A"][(fr, sub)] == -1.0 and k["A"][(main, fu)] == -1.0
    assert k["A"][(world, (fg, "reference/compute"))] == -2.0
    assert k["supply"][("ai", sub)] == pytest.approx(2.0) and k["supply"][("ai", fr)] == pytest.approx(2.0)
    # 2 kWh x 0.056 kgCO2e/kWh (electricity.fr) = 0.112; reference 2 kWh x 0.475 (electricity.world) = 0.95
    fr_gwp = lib.impact(*lib.dataset("electricity.fr"), "gwp").amount
    world_gwp = lib.impact(*lib.dataset("electricity.world"), "gwp").amount
    assert (fr_gwp, world_gwp) == (pytest.approx(0.056), pytest.approx(0.475))
    gwp = m.criteria.index("gwp")
    assert m.scores[0, gwp] == pytest.approx(0.112, rel=1e-6)
    assert m.scores[1, gwp] == pytest.approx(0.95, rel=1e-6)
    # the foreground's ids lie above every id of the project
    assert min(m.ids[key] for key in (main, sub, fu)) > max(i for key, i in m.ids.items() if key[0] != fg)


def test_duplicate_exchanges_of_one_cell_are_summed(tmp_path, library, data_dir):
    # main takes sub twice (1 + 1 = 2), sub takes 1 + 1 kWh of FR and the methane leak twice (1 + 2 kg):
    # FR 2 x 2 = 4 kWh x 0.056 kgCO2e/kWh = 0.224, plus 2 x 3 kg CH4 fossil x 29.8 = 178.8 kgCO2e
    from lca.engine.project import foreground_name

    sub_twice = "\n".join(["          - {activity: sub, amount: 1, assumption: test}"] * 2)
    fr_twice = "\n".join(['          - {dataset: electricity.fr, amount: "1 kWh", assumption: test}'] * 2)
    leaks = ('          - {flow: "Methane, fossil (air)", amount: "1 kg", assumption: test}\n'
             '          - {flow: "Methane, fossil (air)", amount: "2 kg", assumption: test}')
    text = _replaced(TWO, {"          - {activity: sub, amount: 2, assumption: test}": sub_twice,
                           '          - {dataset: electricity.fr, amount: "1 kWh", assumption: test}':
                               fr_twice + "\n" + leaks})
    path = tmp_path / "duplicates.yaml"
    path.write_text(text.replace("id: two-activities", "id: duplicates"))
    resolved, lib = _resolved(path, library)
    k = assert_same_matrices(resolved, lib, data_dir)  # bw2data's own processing sums them the same way
    fg = foreground_name(resolved)
    main, sub = (fg, "ai/main"), (fg, "ai/sub")
    fr = ("ai-lca-background", _variant(lib, "electricity.fr"))
    methane = next(f.id for f in lib.flows.values() if f.name == "Methane, fossil" and tuple(f.categories) == ("air",))
    assert k["A"][(sub, main)] == -2.0 and k["A"][(fr, sub)] == -2.0
    assert k["B"][(("biosphere3", methane), sub)] == 3.0
    gwp = list(lib.criteria).index("gwp")
    ch4 = k["cf"][("gwp", ("biosphere3", methane))]
    assert ch4 == pytest.approx(29.8)
    assert k["scores"][0, gwp] == pytest.approx(4 * 0.056 + 2 * 3 * 29.8, rel=1e-6)


def _replaced(text: str, changes: dict) -> str:
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _variant(lib, ident: str) -> str:
    ds, variant = lib.dataset(ident)
    return f"{ds.id}@{variant}"


def test_a_run_writes_no_foreground_into_brightway(tmp_path, library, data_dir):
    import lca
    from lca.engine.bw import brightway
    from lca.engine.datadir import data_directory

    path = tmp_path / "two.yaml"
    path.write_text(TWO.replace("id: two-activities", "id: never-written"))
    result = lca.assess(path, data_dir=data_dir, library=library)
    assert result.systems["ai"].total["gwp"] == pytest.approx(0.112, rel=1e-6)  # as above
    bd, _ = brightway(data_directory(data_dir))
    bd.projects.set_current(result.provenance["brightway_project"], update=False)
    assert not [name for name in bd.databases if name.startswith("study-never-written-")]


def test_a_loop_without_solution_is_still_located_at_its_lines(tmp_path, library, data_dir, monkeypatch):
    # tests/test_solve_errors.py's loop: b consumes `back` of a; at back = 1 the system is singular
    import bw2calc
    from test_solve_errors import A_TO_B_LINE, B_TO_A_LINE, _study, _with_back

    from lca.core.errors import InputError, UnsolvableSystemError
    from lca.engine.compute import compute_study

    resolved, lib = _resolved(_study(tmp_path), library)
    singular = _with_back(resolved, 1.0)
    for solver_raises in (False, True):  # NaN supplies (check_solution), or bw2calc raising (_solve_failure)
        if solver_raises:
            def lci(self, *args, **kwargs):  # the solve itself, after the matrices are built
                raise RuntimeError("Factor is exactly singular")
            monkeypatch.setattr(bw2calc.MultiLCA, "lci_calculation", lci)
        with pytest.raises(UnsolvableSystemError) as raised:
            compute_study(singular, lib, data_dir)
        [problem] = raised.value.problems
        assert problem.line == A_TO_B_LINE and problem.field == "systems.ai.activities[1].exchanges[1].activity"
        assert f"at lines {A_TO_B_LINE}, {B_TO_A_LINE}" in problem.message
        assert isinstance(raised.value, InputError)  # exit 2
        if solver_raises:
            assert "Factor is exactly singular" in problem.message


def test_the_foreground_name_changes_with_its_content(tmp_path, library):
    from lca.engine.project import foreground_name

    path = tmp_path / "two.yaml"

    def name(text: str) -> str:
        path.write_text(text)
        return foreground_name(_resolved(path, library)[0])

    base = name(TWO)
    assert name(TWO) == base  # the same content, the same name (another resolve of it)
    changes = {
        "amount": ("amount: 2,", "amount: 3,"),
        "target": ("dataset: electricity.fr", "dataset: electricity.world"),
        "unit": ('amount: "1 kWh"', 'amount: "1 MJ"'),
        "activity name": ("name: Sub", "name: Sub-activity"),
        "system name": ("name: Reference", "name: Reference system"),
        "structure": ("{activity: sub, amount: 2, assumption: test}",
                      "{activity: sub, amount: 1, assumption: test}\n          - {activity: sub, amount: 1, assumption: test}"),
        "uncertainty": ("{activity: sub, amount: 2, assumption: test}",
                        "{activity: sub, amount: 2, assumption: test, uncertainty: {distribution: normal, sd: 0.1}}"),
    }
    names = {what: name(TWO.replace(old, new)) for what, (old, new) in changes.items()}
    assert all(n != base for n in names.values()), names
    assert len(set(names.values())) == len(names)
    sd = name(TWO.replace("{activity: sub, amount: 2, assumption: test}",
                          "{activity: sub, amount: 2, assumption: test, uncertainty: {distribution: normal, sd: 0.2}}"))
    assert sd != names["uncertainty"]  # an uncertainty field alone


def test_the_foreground_name_is_computed_once_per_resolved_study(tmp_path, library, monkeypatch):
    from lca.engine import project

    path = tmp_path / "two.yaml"
    path.write_text(TWO)
    resolved, _ = _resolved(path, library)
    calls = []
    original = project.foreground_digest
    monkeypatch.setattr(project, "foreground_digest", lambda r: calls.append(1) or original(r))
    first = project.foreground_name(resolved)
    assert project.foreground_name(resolved) == first and len(calls) == 1
    other = dataclasses.replace(resolved)  # another object with the same content: the same name
    assert project.foreground_name(other) == first and len(calls) == 2
