"""The cost of the data-directory check and of healing, before and after the health stamp.

A data directory is built by real runs: tests/data/tiny.yaml and STUDIES generated studies of
ACTIVITIES activities each (every one a foreground database of the ai-lca project). Then:

- check, every run: ``damage()`` reads every file (SQLite quick_check, zip CRCs, pickles, JSON),
  which is what each run did before; ``heal()`` on the unchanged folder is the stamped check of
  each run now (lca.engine.health_stamp). Median of REPEATS, in process.
- healing, damage in Brightway's ``default`` project (a settings pickle): before, the whole
  Brightway folder was removed, so the next ``lca run`` rebuilt the background project; now only
  the damaged project goes. Wall time of ``lca run tiny.yaml --format json`` in a fresh process
  after the damage, against the same run after emptying the Brightway folder (the old healing).

Prints one JSON line with the figures and the ratios (before / after).
Usage: python benchmarks/bench_heal.py [--studies N] [--activities N] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "tiny.yaml"


def study_text(k: int, n: int) -> str:
    lines = ["study:", f"  id: heal-{k}", f"  name: Study {k} of {n} activities",
             "  functional_unit: {description: one run, quantity: 1, unit: run}",
             "systems:", "  ai:", "    name: AI solution", "    activities:"]
    for i in range(1, n + 1):
        lines += [f"      - id: a{i}", f"        name: Activity {i}", "        stage: C1", "        phase: inference",
                  "        tier: data_centre", "        exchanges:",
                  f'          - {{dataset: electricity.fr, amount: "{i + k} kWh", assumption: generated}}']
    return "\n".join(lines) + "\n"


def run(study: Path, data: Path, out: Path) -> float:
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data))
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "lca", "run", str(study), "--out", str(out), "--format", "json",
                           "--quiet"], capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return time.perf_counter() - start


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--studies", type=int, default=10)
    parser.add_argument("--activities", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    from lca.engine.health import damage, heal

    with tempfile.TemporaryDirectory(prefix="bench-heal-") as tmp:
        tmp_path = Path(tmp)
        data = tmp_path / "data"
        run(TINY, data, tmp_path / "out")
        for k in range(args.studies):
            path = tmp_path / f"heal-{k}.yaml"
            path.write_text(study_text(k, args.activities))
            run(path, data, tmp_path / "out")
        bw = data / "brightway"
        size = sum(p.stat().st_size for p in bw.rglob("*") if p.is_file())
        assert damage(bw) is None and heal(data) is None
        full = median_time(lambda: damage(bw), args.repeats)
        stamped = median_time(lambda: heal(data), args.repeats)

        sound = tmp_path / "sound"
        shutil.copytree(data, sound)
        default = next(p for p in (data / "brightway").iterdir() if p.name.startswith("default."))
        (default / "preferences.pickle").write_bytes(b"\x80\x04garbage")
        project_only = run(TINY, data, tmp_path / "out")
        for path in (sound / "brightway").iterdir():  # what heal did before: the whole folder removed
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        whole = run(TINY, sound, tmp_path / "out")
        warm = run(TINY, sound, tmp_path / "out")
    print(json.dumps({
        "studies": args.studies + 1, "activities_each": args.activities, "brightway_mb": round(size / 2**20, 1),
        "check_full_ms": round(full * 1000, 2), "check_stamped_ms": round(stamped * 1000, 2),
        "check_ratio": round(full / stamped, 1),
        "run_after_whole_rebuild_s": round(whole, 2), "run_after_project_only_s": round(project_only, 2),
        "run_warm_s": round(warm, 2), "healing_ratio": round(whole / project_only, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
