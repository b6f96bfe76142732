"""CPU seconds of validate and run of large studies beyond start-up, against a baseline checkout.

``bench_large.py`` prints wall seconds; on a 2-core machine shared by several developers a
wall time swings 2-3x with the load (a 2-activity start-up measured slower than 1,000 activities).
The CPU time of the process (user + system, from the kernel, ``os.wait4``) counts the work done,
not the wait for a core, though with hyperthreads under heavy load it still moves by some tenths
of a second (raise ``--repeat``). This script runs the same commands as ``bench_large.py`` (the
same generated studies) for this checkout and, with ``--baseline``, for another one (e.g.
the main branch), interleaved command by command so that both see the same load, keeps the
smallest of ``--repeat`` runs, and prints per command CPU seconds beyond start-up (minus the
2-activity study of the same shape) and the ratio baseline / this.

Commands: ``validate``; ``again``, a second ``lca run --format json`` of the same study (its
Brightway matrices read back from the cache; the first run fills it and is not timed here).

Usage: python benchmarks/bench_run_cpu.py [--sizes 1000,10000] [--shapes flat,chain]
       [--baseline PATH [--baseline-python PYTHON]] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_large import study_text

ROOT = Path(__file__).resolve().parent.parent


def cpu(python: str, root: Path, args: list[str], env: dict) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of ``python -m lca.cli ARGS`` run from the checkout ``root``."""
    import time

    start = time.perf_counter()
    # run from the checkout itself: ``python -m`` puts the working directory first on the path,
    # so run from another checkout it would import that one, whatever PYTHONPATH says
    proc = subprocess.Popen([python, "-m", "lca.cli", *args], env=dict(env, PYTHONPATH=str(root)), cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed ({root}): lca {' '.join(args)}\n{proc.stderr.read().decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--shapes", default="flat,chain")
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout to compare with")
    parser.add_argument("--baseline-python", default=None, help="its interpreter (default: this one)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the smallest is kept")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ai-lca-bench-cpu-"))
    trees = {"this": (sys.executable, ROOT)}
    if args.baseline:
        trees["baseline"] = (args.baseline_python or sys.executable, args.baseline.resolve())
    envs = {name: dict(os.environ, AI_LCA_DATA_DIR=str(folder / name), BRIGHTWAY2_DIR=str(folder / name / "bw"),
                       PYTHONWARNINGS="ignore") for name in trees}
    sizes = [2] + sorted(int(s) for s in args.sizes.split(","))
    for shape in args.shapes.split(","):
        base: dict[tuple[str, str], float] = {}
        for n in sizes:
            path = folder / f"{shape}-{n}.yaml"
            path.write_text(study_text(n, shape))
            run = ["run", str(path), "--format", "json", "--out", str(folder / f"out-{shape}-{n}"), "--quiet"]
            for name, (python, root) in trees.items():  # fills the caches (library, matrices): not timed
                cpu(python, root, run, envs[name])
            row: dict = {"shape": shape, "activities": n}
            for step, cmd in (("validate", ["validate", str(path)]), ("again", run)):
                best: dict[str, tuple[float, float]] = {}
                for _ in range(args.repeat):
                    for name, (python, root) in trees.items():  # interleaved: the same load for both
                        got = cpu(python, root, cmd, envs[name])
                        best[name] = min(best.get(name, got), got)
                for name, (seconds, wall) in best.items():
                    row[f"{step}_{name}_cpu_s"] = round(seconds, 2)
                    row[f"{step}_{name}_wall_s"] = round(wall, 2)
                    if n == 2:
                        base[(step, name)] = seconds
                    else:
                        row[f"{step}_{name}_beyond_startup_cpu_s"] = round(seconds - base[(step, name)], 2)
                if n != 2 and "baseline" in best:
                    this = best["this"][0] - base[(step, "this")]
                    row[f"{step}_baseline_over_this"] = round((best["baseline"][0] - base[(step, "baseline")])
                                                              / this, 2) if this > 0 else None
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
