"""Datasets combined per criterion (``{from: DATASET@VARIANT}`` in a study-local dataset,
lca.study.combined): each criterion from its source, computed in Brightway, cited, with no false
data gap. The arithmetic is in tests/data/combined-datasets.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from lca.core.errors import InputError

DATA = Path(__file__).parent / "data"
COMBINED = DATA / "combined-datasets.yaml"


@pytest.fixture(scope="module")
def combined(library, data_dir):
    import lca

    return lca.assess(COMBINED, data_dir=data_dir, library=library)


def test_each_criterion_from_its_source_by_hand(combined):
    ai, ref = combined.systems["ai"], combined.systems["reference"]
    # server 0.25 x 3660 + GPUs 2/3 x 1067 + 2 MWh x 56 kgCO2e/MWh + 1000 GB x 0.05 kgCO2e/GB
    assert ai.total["gwp"] == pytest.approx(915 + 2 / 3 * 1067 + 112 + 50, rel=1e-6)
    # server 0.25 x 0.0378 (ADEME) + GPUs 2/3 x 0.00895 (EcoLogits); the electricity has no ADPe data
    assert ai.total["adpe"] == pytest.approx(0.00945 + 2 / 3 * 0.00895, rel=1e-6)
    # server 0.25 x 15000 (Boavizta) + GPUs 2/3 x 14470 + 2 x 9313.5 + 1000 GB x 0.6 MJ/GB
    assert ai.total["pe"] == pytest.approx(3750 + 2 / 3 * 14470 + 18627 + 600, rel=1e-6)
    assert ref.total["gwp"] == pytest.approx(560.0, rel=1e-6)   # 10 MWh x 56 kgCO2e/MWh
    assert ref.total["pe"] == pytest.approx(93135.0, rel=1e-6)  # 10 MWh x 9313.5 MJ/MWh
    assert ai.energy.total == pytest.approx(2000.0)             # 2 MWh of a per-MWh dataset
    per_unit = combined.datasets["server.combined@combined"]["per_unit"]  # as Brightway computed it
    assert per_unit["gwp"] == pytest.approx(3660.0) and per_unit["pe"] == pytest.approx(15000.0)
    assert combined.datasets["electricity.site@combined"]["per_unit"]["gwp"] == pytest.approx(56.0, rel=1e-6)


def test_no_false_data_gap_for_the_criteria_a_source_covers(combined):
    gaps = {f.message.split(":")[0]: f.message for f in combined.findings if f.code == "DATA_GAP"}
    # the server takes pe from the Boavizta variant: only water (covered by none) is a gap
    assert "no data for water;" in gaps["server"]
    assert "no data for water;" in gaps["gpus"]
    assert "no data for adpe, water;" in gaps["compute"]
    zero_totals = [f.message for f in combined.findings if f.code == "DATA_GAP_ZERO_TOTAL"]
    assert not any(crit in m for m in zero_totals for crit in ("on gwp", "on pe"))


def test_the_library_dataset_alone_has_the_gap_the_combination_fills(library):
    # the ADEME variant used directly has no primary energy: the gap the combination removes is real
    from lca.balance.breakdown import criterion_source

    ds, variant = library.dataset("server.generic@ademe-negaoctet")
    assert criterion_source(library, ds, variant, "pe") is None


def test_each_source_is_cited_in_the_sources_table(combined):
    from lca.report import render_html

    sources = combined.datasets["gpu.combined@combined"]["sources"]
    assert sources["gwp"]["from"] == "gpu.nvidia-h200@boavizta-2025"
    assert sources["adpe"]["from"] == "gpu.nvidia-h200@ecologits-0.11.3"
    assert sources["adpe"]["source"].startswith("EcoLogits 0.11.3 ecologits/data/video_models.json")
    assert sources["pe"]["from"] == "gpu.nvidia-h200@boavizta-2025"  # no variant: the library's default
    assert sources["water"] is None
    assert combined.datasets["electricity.site@combined"]["sources"]["gwp"]["year"] == 2023
    html = render_html(combined.to_dict()).split('id="sources"')[1]
    assert "taken from <code>server.generic@boavizta-dellr740-2025</code>" in html
    assert "taken from <code>electricity.fr@owid-2023</code>" in html


def test_a_taken_distribution_is_converted_and_drawn(library, data_dir):
    import lca

    result = lca.assess(COMBINED, data_dir=data_dir, library=library, iterations=4000, seed=11)
    gwp = result.extras["uncertainty"]["systems"]["ai"]["gwp"]
    # storage.ssd per TB: triangular(23.53, 50, 140.5) kgCO2e; per GB x 1000 GB: the same triangle.
    # mean of a triangle (a + mode + b) / 3 = 71.343; sd 25.0, standard error over 4000 draws 0.4
    fixed = 915 + 2 / 3 * 1067 + 112
    assert gwp["mean"] == pytest.approx(fixed + (23.53 + 50 + 140.5) / 3, abs=2.0)
    assert fixed + 23.53 < gwp["p2_5"] < gwp["p97_5"] < fixed + 140.5
    names = [i["name"] for i in result.extras["uncertainty"]["inputs"]]
    assert "background:storage.array@combined:gwp" in names


def _problems(tmp_path, library, old: str, new: str):
    from lca.study import load_study, resolve

    path = tmp_path / "bad.yaml"
    text = COMBINED.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(InputError) as exc:
        resolve(load_study(path), library)
    return [(p.field, p.line, p.message) for p in exc.value.problems]


GPU_ADPE = "          adpe: {from: gpu.nvidia-h200@ecologits-0.11.3}\n"
HERE = "datasets[1].variants.combined.impacts.adpe.from"


@pytest.mark.parametrize("ref, message", [
    ("gpu.nvidia-h2000", "unknown dataset 'gpu.nvidia-h2000'; did you mean 'gpu.nvidia-h200'? (`from` names a "
                         "dataset of the background library)"),
    ("gpu.nvidia-h200@ecologits-9", "has no variant 'ecologits-9'"),
    ("server.combined", "'server.combined' is a study-local dataset; `from` takes a value from the background "
                        "library only: write the value here, with its source"),
    ("gpu.nvidia-h200@boavizta-2025", None),  # a valid source: no problem here
])
def test_an_unknown_source_is_located(tmp_path, library, ref, message):
    new = GPU_ADPE.replace("gpu.nvidia-h200@ecologits-0.11.3", ref)
    if message is None:
        from lca.study import load_study, resolve

        path = tmp_path / "ok.yaml"
        path.write_text(COMBINED.read_text().replace(GPU_ADPE, new))
        resolve(load_study(path), library)
        return
    problems = _problems(tmp_path, library, GPU_ADPE, new)
    assert [(f, line) for f, line, m in problems if message in m] == [(HERE, 48)]


def test_a_source_without_data_on_the_criterion_is_refused(tmp_path, library):
    problems = _problems(tmp_path, library, GPU_ADPE, "          adpe: {from: server.generic@boavizta-dellr740-2025}\n"
                         .replace("server.generic@boavizta-dellr740-2025", "electricity.fr@owid-2023"))
    # electricity.fr@owid-2023 has adpe: no data (and is per kWh: the first problem is the gap)
    assert (HERE, 48, "dataset electricity.fr@owid-2023 has no data on adpe; take adpe from another dataset, or "
                      "write `adpe: no data`") in problems


def test_a_source_of_another_unit_is_refused(tmp_path, library):
    problems = _problems(tmp_path, library, GPU_ADPE, "          adpe: {from: electricity.fr@ecologits-0.11.3}\n")
    assert (HERE, 48, "dataset electricity.fr@ecologits-0.11.3 is per kWh and 'gpu.combined' is per unit: its adpe "
                      "value cannot be one per unit; take it from a dataset per unit (or a unit of the same kind)"
            ) in problems


def test_a_source_carrying_the_criterion_in_flows_is_refused(tmp_path, library):
    problems = _problems(tmp_path, library, "          gwp: {from: electricity.fr}\n",
                         "          gwp: {from: heat.natural-gas-boiler}\n")
    assert any(f == "datasets[2].variants.combined.impacts.gwp.from" and "carries gwp through biosphere flows" in m
               for f, _, m in problems)


def test_a_criterion_named_twice_is_refused(tmp_path):
    from lca.study import load_study

    path = tmp_path / "twice.yaml"
    path.write_text(COMBINED.read_text().replace(GPU_ADPE, GPU_ADPE + "          adpe: {from: gpu.nvidia-h200}\n"))
    with pytest.raises(InputError) as exc:
        load_study(path)
    assert [(p.line, p.message) for p in exc.value.problems] == [
        (49, "duplicate key 'adpe'; each key may appear once")]
