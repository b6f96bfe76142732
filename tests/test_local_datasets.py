"""Study-local datasets (``datasets:``, lca.study.local): same model as the library, referenced
like library datasets, written into the study's own foreground. Arithmetic in
tests/data/local-datasets.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from lca.core.errors import InputError

DATA = Path(__file__).parent / "data"
LOCAL = DATA / "local-datasets.yaml"


@pytest.fixture(scope="module")
def local_result(library, data_dir):
    import lca

    return lca.assess(LOCAL, data_dir=data_dir, library=library)


def test_local_datasets_by_hand(local_result):
    ai, ref = local_result.systems["ai"], local_result.systems["reference"]
    assert ai.total["gwp"] == pytest.approx(590.0, rel=1e-6)   # 1200 x 0.4 + 0.5 x 200 + 100 x 0.1
    assert ai.total["pe"] == pytest.approx(12200.0, rel=1e-6)  # 1200 x 10 + 100 x 2
    assert ai.by_activity["gpus"]["gwp"] == pytest.approx(100.0)  # the dataset's own 4-year lifetime
    assert ref.total["gwp"] == pytest.approx(200.0, rel=1e-6)  # the study's electricity.fr: 2000 x 0.1
    assert ref.total["adpe"] == pytest.approx(2e-5, rel=1e-6)
    assert ai.energy.total == pytest.approx(1300.0)
    assert local_result.extras["parameters"]["pue"]["source"] == "Example et al. 2024, Table 2"


def test_local_datasets_in_the_sources_table(local_result):
    table = local_result.datasets
    assert table["electricity.paper-grid@paper"]["origin"] == "study"
    assert table["electricity.paper-grid@paper"]["file"].endswith("local-datasets.yaml")
    assert table["electricity.fr@paper"]["replaces"] == "electricity.fr"
    assert table["gpu.paper@paper"]["sources"]["gwp"]["source"] == "Example et al. 2024, sec. 4"
    assert table["gpu.paper@paper"]["sources"]["adpe"] is None  # explicit no data, never a zero
    assert any(f.code == "DATASET_REPLACED" and "electricity.fr" in f.message for f in local_result.findings)
    assert local_result.provenance["study_datasets"] == ["electricity.fr", "electricity.paper-grid", "gpu.paper"]


def test_report_marks_study_local_datasets(local_result):
    from lca.report import render_html

    html = render_html(local_result.to_dict())
    sources = html.split('id="sources"')[1]
    assert sources.count('<strong class="local">study-local</strong>') == 4  # four local variants used
    assert "replaces the library's <code>electricity.fr</code>" in sources


def test_the_brightway_project_stays_shared(local_result, tiny_result, library, data_dir):
    from lca.engine.bw import brightway
    from lca.engine.datadir import data_directory

    assert local_result.provenance["brightway_project"] == tiny_result.provenance["brightway_project"]
    bd, _ = brightway(data_directory(data_dir))
    bd.projects.set_current(local_result.provenance["brightway_project"], update=False)
    background = {node["code"] for node in bd.Database("ai-lca-background")}
    assert "electricity.paper-grid@paper" not in background  # in the study's foreground only
    assert "electricity.fr@owid-2023" in background           # the library's own, untouched


def test_changing_a_local_value_changes_the_result(tmp_path, library, data_dir):
    import lca

    path = tmp_path / "changed.yaml"
    path.write_text(LOCAL.read_text().replace('"400 gCO2e/kWh"', '"500 gCO2e/kWh"'))
    result = lca.assess(path, data_dir=data_dir, library=library)
    assert result.systems["ai"].total["gwp"] == pytest.approx(710.0, rel=1e-6)  # 590 + 1200 x 0.1


def test_monte_carlo_draws_local_variants(tmp_path, library, data_dir):
    import lca

    path = tmp_path / "draws.yaml"
    path.write_text(LOCAL.read_text().replace(
        "systems:\n", "variant_draws:\n  electricity.paper-grid: [paper, low]\nsystems:\n", 1))
    result = lca.assess(path, data_dir=data_dir, library=library, iterations=200, seed=3)
    ai = result.extras["uncertainty"]["systems"]["ai"]["gwp"]
    # low everywhere: 1200 x 0.1 + 100 + 100 x 0.1 = 230; paper everywhere: 480 + 100 + 40 = 620
    assert ai["p2_5"] == pytest.approx(230.0, rel=1e-5) and ai["p97_5"] == pytest.approx(620.0, rel=1e-5)


def _problems(tmp_path, library, old: str, new: str):
    from lca.study import load_study, resolve

    path = tmp_path / "bad.yaml"
    path.write_text(LOCAL.read_text().replace(old, new, 1))
    with pytest.raises(InputError) as exc:
        resolve(load_study(path), library)
    return [(p.field, p.message) for p in exc.value.problems]


def test_a_local_id_colliding_with_the_library_is_refused(tmp_path, library):
    problems = _problems(tmp_path, library, "    replaces: electricity.fr\n", "")
    assert ("datasets[2].id", "dataset id 'electricity.fr' is a library dataset (inventories/background/generated/"
            "electricity-countries.yaml); give yours another id, or write `replaces: electricity.fr` to use yours instead "
            "in this study") in problems


def test_replaces_must_name_a_library_dataset_of_the_same_id(tmp_path, library):
    problems = _problems(tmp_path, library, "replaces: electricity.fr", "replaces: electricity.de")
    assert any(f == "datasets[2].replaces" and "give this dataset its id (id: electricity.de)" in m
               for f, m in problems)
    problems = _problems(tmp_path, library, "  - id: gpu.paper\n", "  - id: gpu.paper\n    replaces: gpu.paper\n")
    assert ("datasets[1].replaces", "there is no library dataset 'gpu.paper' to replace; remove `replaces`") in problems


def test_a_local_value_in_the_wrong_unit_is_located(tmp_path, library):
    problems = _problems(tmp_path, library, '"200 kgCO2e"', '"200 kWh"')
    assert any(f == "datasets[1].variants.paper.impacts.gwp.value" and "kgCO2e per unit" in m for f, m in problems)
