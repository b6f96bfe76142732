"""Validate and run time and peak memory of large studies: N activities in one loop.

The study is generated here: a service consuming one of N activities in a ring (each needs 0.999
of the next, the last one closes the loop: one strongly connected component of N activities, loop
factor 0.999 < 1), the service also consuming 1 kWh of electricity. 11,000 activities are 1.2 MB;
about 44,000 reach the 5 MB limit of a study file, so the largest size is 40,000. Before the
sparse loop check, 2,000 activities took 46 s to validate and 11,000 over 600 s and 3 GB (a dense
N x N matrix and its eigenvalues).

Each figure is one fresh process of the real CLI (peak RSS from the kernel):
- validate: ``lca validate STUDY``
- run:      ``lca run STUDY --format json`` on a warm data directory (background built once)
Prints one JSON line per size, then the fitted growth exponent of time and memory with N
(time ~ N^k; 1 is linear). Target: 11,000 activities validate in under 10 s and 1 GiB.

Usage: python benchmarks/bench_large.py [--sizes 1000,11000,40000] [--no-run]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def study_text(n: int) -> str:
    """Compact flow style (about 100 bytes an activity), so that 50,000 fit the 5 MB file limit."""
    lines = ["study:", f"  id: ring-{n}", f"  name: Ring of {n} activities",
             "  functional_unit: {description: one unit}", "systems:", "  ai:", "    name: AI", "    activities:",
             "    - {id: service, name: s, stage: C1, phase: none, tier: other, exchanges: [{activity: a0, amount: 1},"
             " {dataset: electricity.fr, amount: \"1 kWh\", source: generated}]}"]
    lines += [f"    - {{id: a{i}, name: a, stage: C1, phase: none, tier: other, exchanges: "
              f"[{{activity: a{(i + 1) % n}, amount: 0.999}}]}}" for i in range(n)]
    return "\n".join(lines) + "\n"


def measure(args: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of ``python -m lca.cli ARGS``."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "lca.cli", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: lca {' '.join(args)}\n{proc.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def exponent(sizes: list[int], values: list[float]) -> float:
    """The slope of log(value) against log(size): value ~ size^k."""
    return float(np.polyfit(np.log(sizes), np.log(values), 1)[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,11000,40000")
    parser.add_argument("--no-run", action="store_true", help="only validate")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="ai-lca-bench-large-"))
    env = dict(os.environ, AI_LCA_DATA_DIR=str(folder / "data"), PYTHONPATH=str(ROOT))
    if not args.no_run:  # build the background once, so that run times are the study's own
        warm = folder / "warm.yaml"
        warm.write_text(study_text(2))
        measure(["run", str(warm), "--format", "json", "--out", str(folder / "out"), "--quiet"], env)
    rows = []
    for n in sizes:
        path = folder / f"ring-{n}.yaml"
        path.write_text(study_text(n))
        row = {"activities": n, "file_mb": round(path.stat().st_size / 2**20, 1)}
        row["validate_s"], row["validate_peak_mib"] = (round(v, 2) for v in measure(["validate", str(path)], env))
        if not args.no_run:
            run = measure(["run", str(path), "--format", "json", "--out", str(folder / "out"), "--quiet"], env)
            row["run_s"], row["run_peak_mib"] = (round(v, 2) for v in run)
        rows.append(row)
        print(json.dumps(row), flush=True)
    if len(rows) >= 2:
        fit = {"validate_time_exponent": exponent(sizes, [r["validate_s"] for r in rows]),
               "validate_memory_exponent": exponent(sizes, [r["validate_peak_mib"] for r in rows])}
        if not args.no_run:
            fit["run_time_exponent"] = exponent(sizes, [r["run_s"] for r in rows])
            fit["run_memory_exponent"] = exponent(sizes, [r["run_peak_mib"] for r in rows])
        print(json.dumps({k: round(v, 2) for k, v in fit.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
