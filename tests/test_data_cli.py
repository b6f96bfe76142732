"""``lca data list`` and ``lca data show`` as a user runs them (real subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def run_data(*args, data_dir):
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir))
    return subprocess.run([sys.executable, "-m", "lca.cli", "data", *args], capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def listing(data_dir):
    proc = run_data("list", "--json", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_list_json_has_every_dataset_with_id_kind_unit_values_sources(listing, library):
    assert {e["id"] for e in listing} == set(library.datasets)
    for e in listing:
        assert {"id", "kind", "unit", "values", "sources", "variants", "default"} <= set(e)
        assert set(e["values"]) == set(library.criteria)
        assert all(src.strip() for src in e["sources"])
        for crit, v in e["values"].items():
            assert v == "no data" or (isinstance(v["amount"], float | int)
                                      and any(src in v["source"] for src in e["sources"])), (e["id"], crit)


def test_values_from_biosphere_flows_are_characterised(listing, library):
    # a dataset written as biosphere flows shows their characterised sum, not "no data":
    # heat.natural-gas-boiler: 0.20196 kg CO2 x 1 + 1.8e-5 kg CH4 x 29.8 + 3.6e-7 kg N2O x 273 = 0.2026 kgCO2e/kWh
    gas = next(e for e in listing if e["id"] == "heat.natural-gas-boiler")
    ch4 = next(cf.factor for cf in library.factors["gwp"]
               if cf.flow == library.find_flow("Methane, fossil (air)").id)
    assert gas["values"]["gwp"]["amount"] == pytest.approx(0.20196 + 1.8e-5 * ch4 + 3.6e-7 * 273, rel=1e-6)
    assert gas["values"]["gwp"]["from_flows"] == gas["values"]["gwp"]["amount"]


def test_list_json_counts(listing):
    kinds = [e["kind"] for e in listing]
    assert kinds.count("electricity") >= 15
    assert kinds.count("equipment") >= 20


def test_list_json_values_are_in_the_criterion_unit_per_reference_unit(listing):
    fr = next(e for e in listing if e["id"] == "electricity.fr")
    # written "56.0 gCO2e/kWh" -> 0.056 kgCO2e per kWh
    assert fr["values"]["gwp"]["amount"] == pytest.approx(0.056)
    assert fr["values"]["gwp"]["unit"] == "kgCO2e/kWh"
    assert fr["values"]["gwp"]["as_written"] == "56.0 gCO2e/kWh"
    assert fr["values"]["adpe"] == "no data"
    assert fr["variants"]["bloom-2023"]["impacts"]["gwp"]["amount"] == pytest.approx(0.057)


def test_list_kind_filter(data_dir):
    proc = run_data("list", "--kind", "network", "--json", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    entries = json.loads(proc.stdout)
    assert entries and {e["kind"] for e in entries} == {"network"}


def test_list_text_table(data_dir):
    proc = run_data("list", "--kind", "electricity", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    line = next(li for li in proc.stdout.splitlines() if li.startswith("electricity.world "))
    assert "iea-2019" in line and "0.475" in line and "no data" in line


def test_show_text_lists_variants_values_and_sources(data_dir):
    proc = run_data("show", "gpu.nvidia-a100-40gb", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "variant luccioni-2023 (default)" in out and "variant boavizta-2025" in out
    assert "gwp: 150 kgCO2e/unit" in out and "gwp: 319.3 kgCO2e/unit" in out
    assert "JMLR 24(253) 2023" in out and "lifetime = 6 year" in out


def test_show_json_marks_the_selected_variant(data_dir):
    proc = run_data("show", "network.mobile@shift-2019-4g", "--json", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    entry = json.loads(proc.stdout)
    assert entry["selected_variant"] == "shift-2019-4g"
    # 8.84e-10 kWh/byte x 1e9 byte x 475 gCO2e/kWh = 419.9 gCO2e = 0.4199 kgCO2e per GB
    assert entry["variants"]["shift-2019-4g"]["impacts"]["gwp"]["amount"] == pytest.approx(0.4199)
    assert entry["file"] == "inventories/background/network.yaml"


@pytest.mark.parametrize("args, message", [
    (("show", "gpu.nvidia-a999"), "no dataset 'gpu.nvidia-a999'"),
    (("show", "electricity.fr@nope"), "has no variant 'nope'"),
    (("list", "--kind", "spaceships"), "unknown kind 'spaceships'"),
])
def test_bad_requests_are_located_errors_exit_2(data_dir, args, message):
    proc = run_data(*args, data_dir=data_dir)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_data_page_is_up_to_date():
    from lca.library import datadoc

    text = datadoc.DOC.read_text(encoding="utf-8")
    assert datadoc.render(text) == text, "run: python -m lca.library.datadoc"
    for page, fresh in datadoc.pages().items():
        assert page.is_file() and page.read_text(encoding="utf-8") == fresh, "run: python -m lca.library.datadoc"
    import tempfile

    from conftest import ROOT

    # no absolute path of the machine that generated it
    assert str(ROOT) not in text and tempfile.gettempdir() + "/" not in text
