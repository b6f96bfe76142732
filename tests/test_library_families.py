"""Large families (lca.library.families): the cloud-instance files are read when an ``instance.*`` id is
looked up or the datasets are listed, checked like any file, and covered by the fingerprint."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from lca.core.errors import LibraryError
from lca.library.background import load_library

FAMILY = """datasets:
  - id: instance.test.small
    kind: service
    name: "a test instance"
    unit: unit
    covers: A+B1
    attributes:
      vcpu: {value: "2", source: "test"}
    default: v
    variants:
      v:
        impacts:
          gwp: {value: "120 kgCO2e", source: "test"}
"""


def _library(tmp_path, monkeypatch, family: str = FAMILY):
    """methods/ and one small background file, plus a family file ``cloud-instances-test.yaml``."""
    monkeypatch.setenv("AI_LCA_DATA_DIR", str(tmp_path / "data"))
    root = tmp_path / "inventories"
    shutil.copytree(ROOT / "inventories" / "methods", root / "methods")
    (root / "background" / "generated").mkdir(parents=True)
    shutil.copy(ROOT / "inventories" / "background" / "datacentre.yaml", root / "background")
    (root / "background" / "generated" / "cloud-instances-test.yaml").write_text(family)
    return root


def test_a_family_is_read_when_one_of_its_ids_is_looked_up_and_when_the_datasets_are_listed(tmp_path, monkeypatch):
    root = _library(tmp_path, monkeypatch)
    library = load_library(root)
    assert library.datasets.state.pending  # type: ignore[attr-defined]  # not read yet
    ds, variant = library.dataset("instance.test.small")
    assert library.impact(ds, variant, "gwp").amount == 120.0  # 120 kgCO2e per unit, as written
    assert library.dataset_files["instance.test.small"].endswith("cloud-instances-test.yaml")
    listed = load_library(root)  # from the cache, the family pending again
    assert "instance.test.small" in list(listed.datasets) and len(listed.datasets) == len(set(listed.datasets))
    assert "instance.test.other" not in load_library(root).datasets  # read, and not there


def test_a_problem_in_a_family_file_is_located_when_the_family_is_read(tmp_path, monkeypatch):
    root = _library(tmp_path, monkeypatch, FAMILY.replace('"120 kgCO2e"', '"120 kWh"'))
    library = load_library(root)  # the other files are fine
    assert "datacentre.industry-average" in library.datasets
    for _attempt in range(2):  # refused every time, never cached
        with pytest.raises(LibraryError) as err:
            library.dataset("instance.test.small")
        (problem,) = err.value.problems
        assert problem.path.endswith("cloud-instances-test.yaml") and problem.line == 13  # the gwp line
        assert problem.field == "datasets[0].variants.v.impacts.gwp.value"
    with pytest.raises(LibraryError):
        list(load_library(root).datasets)  # listing reads it too


def test_a_family_id_without_the_prefix_or_defined_elsewhere_is_refused(tmp_path, monkeypatch):
    other = FAMILY.replace("instance.test.small", "gpu.test")
    root = _library(tmp_path, monkeypatch, other)
    with pytest.raises(LibraryError) as err:
        len(load_library(root).datasets)
    assert "does not start with 'instance.'" in err.value.problems[0].message
    assert err.value.problems[0].line == 2

    twice = FAMILY.replace("instance.test.small", "datacentre.industry-average")
    (root / "background" / "generated" / "cloud-instances-test.yaml").write_text(twice)
    with pytest.raises(LibraryError) as err:
        len(load_library(root).datasets)
    assert "already defined in" in err.value.problems[0].message


def test_the_fingerprint_covers_the_family_files(tmp_path, monkeypatch):
    root = _library(tmp_path, monkeypatch)
    first = load_library(root)
    (root / "background" / "generated" / "cloud-instances-test.yaml").write_text(
        FAMILY.replace('"120 kgCO2e"', '"130 kgCO2e"'))
    changed = load_library(root)
    assert changed.fingerprint != first.fingerprint
    ds, variant = changed.dataset("instance.test.small")
    assert changed.impact(ds, variant, "gwp").amount == 130.0  # the edit, not the cached family
