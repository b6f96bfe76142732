"""Defects found in review (issue: package and layout), each with the test that would have caught it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

import lca
from conftest import DATA, ROOT
from lca.core.errors import LibraryError, StudyError


def test_a_study_id_with_a_dot_keeps_it_in_the_file_names(tmp_path, data_dir, library):
    """``tiny.v2`` used to be written to ``tiny.json`` (Path.with_suffix), overwriting ``tiny``'s result."""
    from lca.io.publish import write_outputs

    study = tmp_path / "v2.yaml"
    study.write_text((DATA / "tiny.yaml").read_text().replace("id: tiny", "id: tiny.v2", 1))
    written = write_outputs(lca.assess(study, data_dir=data_dir, library=library), tmp_path / "out", ["json"])
    assert [p.name for p in written] == ["tiny.v2.json"]
    assert json.loads(written[0].read_text())["study"]["id"] == "tiny.v2"


def _library_copy(tmp_path):
    root = tmp_path / "inventories"
    for part in ("methods", "background", "materials"):
        shutil.copytree(ROOT / "inventories" / part, root / part)
    return root


def test_a_background_distribution_in_the_wrong_unit_is_refused_at_load_with_its_line(tmp_path):
    root = _library_copy(tmp_path)
    path = root / "background" / "extra.yaml"
    path.write_text("""datasets:
  - id: test.thing
    kind: service
    name: Test thing
    unit: unit
    covers: C1
    default: a
    variants:
      a:
        impacts:
          gwp:
            value: "10 kgCO2e"
            source: test
            uncertainty: {distribution: uniform, min: "5 kWh", max: "15 kgCO2e"}
""")
    with pytest.raises(LibraryError) as err:
        lca.load_library(root)
    (problem,) = err.value.problems
    assert problem.path == str(path)
    assert problem.line == 14  # the uncertainty line, not "line 1" at run time
    assert problem.field.endswith("impacts.gwp.uncertainty.min")
    assert "kgCO2e" in problem.message


def test_world_production_follows_the_library_root_and_its_fingerprint(tmp_path):
    from lca.library.materials import load_world_production

    root = _library_copy(tmp_path)
    shipped = lca.load_library(root)
    cobalt = next(iter(load_world_production(shipped).values()))
    path = root / "materials" / "world-production.yaml"
    path.write_text(path.read_text().replace(cobalt.source, cobalt.source + " (edited copy)", 1))
    edited = lca.load_library(root)
    assert edited.fingerprint != shipped.fingerprint  # the provenance covers the materials file
    assert any(p.source.endswith("(edited copy)") for p in load_world_production(edited).values())


def test_an_empty_library_folder_is_an_error_not_zero_datasets(tmp_path):
    (tmp_path / "methods").mkdir()
    (tmp_path / "background").mkdir()
    with pytest.raises(LibraryError) as err:
        lca.load_library(tmp_path)
    assert {p.path for p in err.value.problems} == {str(tmp_path / "methods"), str(tmp_path / "background")}


def test_a_system_whose_activities_all_feed_each_other_is_refused(tmp_path, library):
    """a <-> b with nothing consuming either used to give a total of exactly 0 with exit 0."""
    study = tmp_path / "loop_only.yaml"
    shutil.copy(ROOT / "tests" / "bad_inputs" / "activity_loop_no_solution.yaml", study)
    study.write_text(study.read_text().replace("amount: 1}", "amount: 0.5}"))
    with pytest.raises(StudyError) as err:
        lca.validate(study, library)
    assert any("functional unit uses none of them" in p.message for p in err.value.problems)


def test_a_loop_with_a_solution_gives_the_supplies_a_person_computes(tmp_path, data_dir, library):
    # root needs 1 a; a needs 0.5 b; b needs 0.5 a. Supplies: a = 1 + 0.5 b, b = 0.5 a
    # => a = 1 + 0.25 a => a = 4/3, b = 2/3. a uses 1 kWh FR (0.056 kgCO2e/kWh): 4/3 x 0.056 = 0.07467
    study = tmp_path / "loop_ok.yaml"
    study.write_text("""
study: {id: loop-ok, name: Loop with a solution, functional_unit: {description: x}}
systems:
  ai:
    name: AI
    activities:
      - {id: root, name: Root, stage: C1, phase: training, tier: data_centre, exchanges: [{activity: a, amount: 1}]}
      - {id: a, name: A, stage: C1, phase: training, tier: data_centre,
         exchanges: [{activity: b, amount: 0.5}, {dataset: electricity.fr, amount: "1 kWh", source: test}]}
      - {id: b, name: B, stage: C1, phase: training, tier: data_centre, exchanges: [{activity: a, amount: 0.5}]}
""")
    result = lca.assess(study, data_dir=data_dir, library=library)
    ai = result.systems["ai"]
    (electricity,) = [e for e in ai.exchanges if e.kind == "dataset"]
    assert electricity.supply == pytest.approx(4 / 3, rel=1e-9)
    assert ai.total["gwp"] == pytest.approx(4 / 3 * 0.056, rel=1e-6)
    assert ai.by_activity["a"]["gwp"] == pytest.approx(4 / 3 * 0.056, rel=1e-6)


def test_same_epoch_same_bytes_across_two_processes(tmp_path, data_dir):
    """Two separate runs (not two renders in one process) give byte-identical HTML and PDF."""
    outs = []
    for k in range(2):
        out = tmp_path / f"run{k}"
        env = {"SOURCE_DATE_EPOCH": "1700000000", "AI_LCA_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
        proc = subprocess.run([sys.executable, "-m", "lca", "run", str(DATA / "claim-heating.yaml"), "--out", str(out),
                               "--format", "html,pdf", "--quiet"], capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        outs.append(out)
    for name in ("claim-heating.html", "claim-heating.pdf"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_a_background_flow_amount_that_does_not_read_is_refused_at_load(tmp_path):
    """A flow amount of the library is parsed when the library loads, not when a study first uses it."""
    root = _library_copy(tmp_path)
    path = root / "background" / "extra.yaml"
    path.write_text("""datasets:
  - id: test.flowing
    kind: service
    name: Test flow
    unit: unit
    covers: C1
    default: a
    variants:
      a:
        flows:
          - {flow: 349b29d1-3e58-4c66-98b9-9d1a076efd2e, amount: "0.01 * 44 / 28 kg", source: test}
""")
    with pytest.raises(LibraryError) as err:
        lca.load_library(root)
    (problem,) = err.value.problems
    assert (problem.path, problem.line) == (str(path), 11)
    assert problem.field.endswith("flows[0].amount") and "ambiguous" in problem.message
