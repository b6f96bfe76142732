"""`lca export`: a study written into a Brightway project of the user's own, computable there."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import DATA

SETUP_USER_PROJECT = """
import warnings; warnings.filterwarnings("ignore")
import bw2data as bd
bd.projects.set_current("ecoinvent-like")
# the user's own biosphere3 (as an ecoinvent import makes it) with one of our flows, same UUID
bd.Database("biosphere3").write({("biosphere3", "349b29d1-3e58-4c66-98b9-9d1a076efd2e"): {
    "name": "Carbon dioxide, fossil", "categories": ("air",), "unit": "kilogram", "type": "emission",
    "code": "349b29d1-3e58-4c66-98b9-9d1a076efd2e", "note": "the user's"}})
bd.Database("study-mine").write({("study-mine", "x"): {"name": "the user's own process", "exchanges": []}})
"""

COMPUTE_IN_USER_PROJECT = """
import json, sys, warnings; warnings.filterwarnings("ignore")
import bw2data as bd, bw2calc as bc
bd.projects.set_current(sys.argv[1])
fg = next(d for d in bd.databases if d.startswith("study-tiny-"))
scores = {}
for system in ("ai", "reference"):
    lca = bc.LCA({bd.get_node(database=fg, code=f"{system}/__fu__"): 1}, ("ai-lca", "gwp"))
    lca.lci(); lca.lcia(); scores[system] = lca.score
co2 = bd.get_node(database="biosphere3", code="349b29d1-3e58-4c66-98b9-9d1a076efd2e")
print(json.dumps({"scores": scores, "databases": sorted(bd.databases), "co2_note": co2.get("note")}))
"""


def _run(args, bw_dir, data_dir):
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir), BRIGHTWAY2_DIR=str(bw_dir))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("existing", [False, True])
def test_export_computes_the_same_in_the_users_project(tmp_path, data_dir, existing):
    bw_dir = tmp_path / "brightway"
    bw_dir.mkdir()
    project = "ecoinvent-like" if existing else "fresh"
    if existing:
        setup = _run(["-c", SETUP_USER_PROJECT], bw_dir, data_dir)
        assert setup.returncode == 0, setup.stderr
    proc = _run(["-m", "lca.cli", "export", str(DATA / "tiny.yaml"), "--project", project,
                 "--brightway-dir", str(bw_dir)], bw_dir, data_dir)
    assert proc.returncode == 0, proc.stderr
    # 372 flows in inventories/methods (the water criterion added 5); the user's project had one already
    assert ("371 flow(s) added" if existing else "written, 372 flow(s) added") in proc.stdout
    check = _run(["-c", COMPUTE_IN_USER_PROJECT, project], bw_dir, data_dir)
    assert check.returncode == 0, check.stderr
    out = json.loads(check.stdout.strip().splitlines()[-1])
    # tests/data/tiny.yaml: AI 56 + 298 + 300 = 654 kgCO2e, reference 2000 kWh x 0.475 = 950
    assert out["scores"]["ai"] == pytest.approx(654.0, rel=1e-6)
    assert out["scores"]["reference"] == pytest.approx(950.0, rel=1e-6)
    assert {"ai-lca-indicators", "ai-lca-background", "biosphere3"} <= set(out["databases"])
    if existing:  # the user's databases and flows are left as they were
        assert "study-mine" in out["databases"]
        assert out["co2_note"] == "the user's"


def test_export_of_an_invalid_study_exits_2(tmp_path, data_dir):
    bad = tmp_path / "bad.yaml"
    bad.write_text("study: [\n")
    proc = _run(["-m", "lca.cli", "export", str(bad), "--project", "p", "--brightway-dir", str(tmp_path / "bw")],
                tmp_path / "bw", data_dir)
    assert proc.returncode == 2 and f"{bad}:" in proc.stderr
    assert not (tmp_path / "bw").exists()


def test_export_twice_into_the_same_project_still_solves(tmp_path, data_dir):
    # the second export used to rewrite our background with new node ids under the first export's
    # foreground: plain bw2calc then raised NonsquareTechnosphere (126 activities, 129 products)
    bw_dir = tmp_path / "brightway"
    bw_dir.mkdir()
    export = ["-m", "lca.cli", "export", str(DATA / "tiny.yaml"), "--project", "twice", "--brightway-dir", str(bw_dir)]
    for _ in range(2):
        proc = _run(export, bw_dir, data_dir)
        assert proc.returncode == 0, proc.stderr
    check = _run(["-c", COMPUTE_IN_USER_PROJECT, "twice"], bw_dir, data_dir)
    assert check.returncode == 0, check.stderr
    out = json.loads(check.stdout.strip().splitlines()[-1])
    # tests/data/tiny.yaml: AI 56 + 298 + 300 = 654 kgCO2e, reference 2000 kWh x 0.475 = 950
    assert out["scores"]["ai"] == pytest.approx(654.0, rel=1e-6)
    assert out["scores"]["reference"] == pytest.approx(950.0, rel=1e-6)


def test_a_changed_library_reprocesses_what_links_to_it(tmp_path, data_dir):
    # a foreground exported with one library, then the library rewritten (another fingerprint):
    # the foreground is processed again against the new node ids and still solves
    bw_dir = tmp_path / "brightway"
    bw_dir.mkdir()
    export = ["-m", "lca.cli", "export", str(DATA / "tiny.yaml"), "--project", "p", "--brightway-dir", str(bw_dir)]
    assert _run(export, bw_dir, data_dir).returncode == 0
    forget = ("import warnings; warnings.filterwarnings('ignore'); import bw2data as bd; bd.projects.set_current('p');"
              "m = bd.databases['ai-lca-background']; m['ai-lca-fingerprint'] = 'older'; bd.databases['ai-lca-background'] = m;"
              "bd.databases.flush()")
    assert _run(["-c", forget], bw_dir, data_dir).returncode == 0
    assert _run(export, bw_dir, data_dir).returncode == 0
    check = _run(["-c", COMPUTE_IN_USER_PROJECT, "p"], bw_dir, data_dir)
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout.strip().splitlines()[-1])["scores"]["reference"] == pytest.approx(950.0, rel=1e-6)
