"""`lca import codecarbon`: from a CodeCarbon log to a study of the full training footprint."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import lca
from lca.io.codecarbon import gpu_for, read_log, study_from_log
from conftest import DATA

LOG = DATA / "codecarbon-emissions.csv"


def run_cli(*args, data_dir, cwd):
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir))
    return subprocess.run([sys.executable, "-m", "lca.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def test_read_log():
    runs = read_log(LOG)
    assert [r.run_id for r in runs] == ["run-a", "run-b"]
    assert [r.line for r in runs] == [2, 3]
    assert sum(r.energy_kwh for r in runs) == pytest.approx(2.25)
    assert runs[0].gpu_count == 2 and runs[0].country == "FRA"


@pytest.mark.parametrize("model, dataset", [
    ("2 x NVIDIA A100-SXM4-40GB", "gpu.nvidia-a100-40gb"),
    ("1 x NVIDIA A100 80GB PCIe", "gpu.nvidia-a100-80gb"),
    ("8 x NVIDIA H100 80GB HBM3", "gpu.nvidia-h100"),
    ("1 x Tesla V100-SXM2-32GB", "gpu.nvidia-v100"),
    ("1 x NVIDIA GeForce RTX 3090", None),
])
def test_gpu_matching(model, dataset, library):
    assert gpu_for(model, library) == dataset


def test_imported_study_adds_what_the_log_leaves_out(tmp_path, data_dir, library):
    proc = run_cli("import", "codecarbon", LOG, "--out", tmp_path / "training.yaml", data_dir=data_dir, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "next: lca run" in proc.stdout
    result = lca.assess(tmp_path / "training.yaml", data_dir=data_dir, library=library)
    by_activity = result.systems["ai"].by_activity
    grid = library.impact(*library.dataset("electricity.fr"), "gwp").amount          # 0.056 kgCO2e/kWh
    pue = library.attribute_quantity("datacentre.industry-average", "pue").magnitude  # 1.58
    gpu = library.dataset("gpu.nvidia-a100-40gb")
    gpu_life_h = library.attribute_quantity("gpu.nvidia-a100-40gb", "lifetime").to("h").magnitude  # 6 y = 52560 h
    server = library.dataset("server.generic")
    server_life_h = library.attribute_quantity("server.generic", "lifetime").to("h").magnitude
    # energy 1.5 + 0.75 = 2.25 kWh; GPU-hours 2 x (1 h + 0.5 h) = 3; host hours 1.5
    assert by_activity["training-electricity"]["gwp"] == pytest.approx(2.25 * grid, rel=1e-6)
    assert by_activity["datacentre-overhead"]["gwp"] == pytest.approx(2.25 * (pue - 1) * grid, rel=1e-6)
    assert by_activity["gpus"]["gwp"] == pytest.approx(
        3 / (gpu_life_h * 0.85) * library.impact(*gpu, "gwp").amount, rel=1e-6)
    assert by_activity["host-server"]["gwp"] == pytest.approx(
        1.5 / (server_life_h * 0.85) * library.impact(*server, "gwp").amount, rel=1e-6)
    # with today's library: 0.126 + 0.0731 + 0.0101 (150 kg GPU) + 0.1843 (3660 kg server) = 0.3935 kgCO2e
    assert result.systems["ai"].total["gwp"] == pytest.approx(0.3935, abs=5e-5)


def test_one_run_and_existing_file(tmp_path, data_dir, library):
    study, warnings = study_from_log(LOG, library, run_id="run-b")
    assert study["parameters"]["energy_measured"]["value"] == "0.75 kWh"
    assert warnings == []
    out = tmp_path / "x.yaml"
    out.write_text("keep me")
    proc = run_cli("import", "codecarbon", LOG, "--out", out, data_dir=data_dir, cwd=tmp_path)
    assert proc.returncode == 2 and "file exists" in proc.stderr
    assert out.read_text() == "keep me"


def test_bad_log_gives_located_errors(tmp_path, data_dir):
    bad = tmp_path / "emissions.csv"
    lines = LOG.read_text().splitlines()
    bad.write_text("\n".join([lines[0], lines[1].replace(",3600,", ",an hour,"), lines[2]]) + "\n")
    proc = run_cli("import", "codecarbon", bad, data_dir=data_dir, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0] == f"{bad}:2: duration: 'an hour' is not a number"
    assert "Traceback" not in proc.stderr
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    proc = run_cli("import", "codecarbon", other, data_dir=data_dir, cwd=tmp_path)
    assert proc.returncode == 2 and f"{other}:1: run_id: column missing" in proc.stderr


CLOUD_LOG = DATA / "codecarbon-cloud-emissions.csv"  # CodeCarbon 3.3.2's 38 columns, 2 runs on gcp us-east4


def test_a_cloud_run_uses_its_region_grid(tmp_path, data_dir, library):
    # the log says on_cloud Y, gcp, us-east4: the region's grid (0.322 kgCO2e/kWh, Google's figure),
    # not the US average; energy 1.67562 + 0.83376 = 2.50938 kWh, runs 7265.318 + 3601.002 s = 3.01842 h
    runs = read_log(CLOUD_LOG)
    assert [r.cloud for r in runs] == ["gcp:us-east4"] * 2 and runs[0].country == "USA"
    study, warnings = study_from_log(CLOUD_LOG, library)
    assert study["parameters"]["energy_measured"]["value"] == "2.50938 kWh"
    assert study["parameters"]["run_hours"]["value"] == "3.01842 h"
    assert study["systems"]["ai"]["activities"][0]["exchanges"][0]["dataset"] == "electricity.gcp-us-east4"
    assert any("gcp us-east4" in w and "electricity.gcp-us-east4" in w for w in warnings)
    proc = run_cli("import", "codecarbon", CLOUD_LOG, "--out", tmp_path / "cloud.yaml", data_dir=data_dir, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = lca.assess(tmp_path / "cloud.yaml", data_dir=data_dir, library=library)
    grid = library.impact(*library.dataset("electricity.gcp-us-east4"), "gwp").amount
    assert grid == pytest.approx(0.322, rel=1e-6)
    assert result.systems["ai"].by_activity["training-electricity"]["gwp"] == pytest.approx(2.50938 * 0.322, rel=1e-6)


def test_a_cloud_region_without_a_grid_keeps_the_country_and_says_so(tmp_path, library):
    text = CLOUD_LOG.read_text().replace(",gcp,us-east4,", ",aws,us-east-1,")
    log = tmp_path / "emissions.csv"
    log.write_text(text)
    study, warnings = study_from_log(log, library)
    assert study["systems"]["ai"]["activities"][0]["exchanges"][0]["dataset"] == "electricity.us"
    assert any("aws us-east-1, which the library has no grid for" in w for w in warnings)
