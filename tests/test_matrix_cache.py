"""Brightway's matrices of a computed study are kept (lca.engine.matrix_cache): the next run of the
same study reads them instead of importing Brightway, and gives the same numbers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lca.engine import matrix_cache

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "tiny.yaml"

# Runs assess in a fresh process and prints the totals, and whether Brightway was imported.
PROBE = """
import json, sys
import lca
result = lca.assess(sys.argv[1], data_dir=sys.argv[2])
print(json.dumps({"totals": {k: s.total for k, s in result.systems.items()},
                  "brightway": [m for m in ("bw2data", "bw2calc") if m in sys.modules]}))
"""


def _probe(study: Path, data: Path) -> dict:
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data), BRIGHTWAY2_DIR=str(data / "brightway"), PYTHONWARNINGS="ignore")
    proc = subprocess.run([sys.executable, "-c", PROBE, str(study), str(data)], env=env, capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_second_run_of_a_study_needs_no_brightway_and_gives_the_same_numbers(tmp_path):
    data = tmp_path / "data"
    first = _probe(TINY, data)
    assert first["brightway"] == ["bw2data", "bw2calc"]  # computed in Brightway
    assert len(list((data / matrix_cache.FOLDER).glob("*.pickle"))) == 1
    second = _probe(TINY, data)
    assert second["brightway"] == []  # Brightway's matrices read back, Brightway not imported
    assert second["totals"] == first["totals"]
    # tests/data/tiny.yaml, reference: 2000 kWh x 0.475 kgCO2e/kWh (electricity.world) = 950 kgCO2e
    assert second["totals"]["reference"]["gwp"] == pytest.approx(950, rel=1e-6)

    # another amount: another foreground, another key, computed in Brightway again (1500 kWh: 712.5 kgCO2e)
    changed = tmp_path / "changed.yaml"
    changed.write_text(TINY.read_text().replace('amount: "2000 kWh"', 'amount: "1500 kWh"'))
    third = _probe(changed, data)
    assert third["brightway"] == ["bw2data", "bw2calc"]
    assert third["totals"]["reference"]["gwp"] == pytest.approx(712.5, rel=1e-6)

    # a cache file cut short is ignored: computed again, and written again whole
    for path in (data / matrix_cache.FOLDER).glob("*.pickle"):
        path.write_bytes(path.read_bytes()[:100])
    fourth = _probe(TINY, data)
    assert fourth["brightway"] == ["bw2data", "bw2calc"] and fourth["totals"] == first["totals"]
    assert _probe(TINY, data)["brightway"] == []


def test_a_study_on_the_users_own_brightway_project_is_never_cached(library):
    from dataclasses import replace

    import lca
    from lca.study import resolve
    from lca.study.brightway_refs import UserBackground

    resolved = resolve(lca.load_study(TINY), library)
    assert matrix_cache.cache_key(resolved, library) is not None
    user = replace(resolved, loaded=replace(resolved.loaded, brightway=UserBackground.__new__(UserBackground)))
    assert matrix_cache.cache_key(user, library) is None


def test_unreadable_or_missing_entries_read_as_none(tmp_path):
    assert matrix_cache.read(tmp_path, None) is None
    assert matrix_cache.read(tmp_path, "0" * 40) is None
    (tmp_path / matrix_cache.FOLDER).mkdir()
    (tmp_path / matrix_cache.FOLDER / ("1" * 40 + ".pickle")).write_bytes(b"not a pickle")
    assert matrix_cache.read(tmp_path, "1" * 40) is None
