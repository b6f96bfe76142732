"""Cold and warm `lca run` of the demo against a bare `import bw2data, bw2calc`, same run.

Each figure is the median wall time of fresh processes (the way a user runs the CLI):
- bare import:  python -c "import bw2data, bw2calc"
- cold run:     lca run DEMO --format json with an empty data directory (project built)
- warm run:     the same again, project and foreground reused
Prints one JSON line: {"study", "repeats", "bare_import_s", "cold_s", "warm_s", "warm_over_import"}.
Target: warm_over_import <= 2.

Usage: python benchmarks/bench_run.py [STUDY] [--repeats N]
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
DEMO = ROOT / "inventories" / "studies" / "demo-office-heating.yaml"


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", nargs="?", default=str(DEMO))
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ai-lca-bench-"))
    env = dict(os.environ, BRIGHTWAY2_DIR=str(scratch / "bare"), PYTHONWARNINGS="ignore")
    (scratch / "bare").mkdir()
    out = scratch / "out"
    run = [sys.executable, "-m", "lca.cli", "run", args.study, "--format", "json", "--out", str(out), "--quiet"]
    bare, cold, warm = [], [], []
    try:
        for i in range(args.repeats):
            bare.append(timed([sys.executable, "-c", "import bw2data, bw2calc"], env))
            data_dir = scratch / f"dd{i}"
            cold.append(timed(run + ["--data-dir", str(data_dir)], env))
            warm.append(timed(run + ["--data-dir", str(data_dir)], env))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {
        "study": Path(args.study).name,
        "repeats": args.repeats,
        "bare_import_s": round(statistics.median(bare), 3),
        "cold_s": round(statistics.median(cold), 3),
        "warm_s": round(statistics.median(warm), 3),
    }
    result["warm_over_import"] = round(result["warm_s"] / result["bare_import_s"], 2)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
