"""Validate and run time and peak memory of large study files, beyond start-up, and their growth.

Generated studies of N foreground activities, each using 1 to 7 kWh of electricity, in compact
flow style (about 110 bytes an activity: 100,000 activities are 11 MB, within the 50 MB limit):

- flat:  every activity consumed by the functional unit;
- chain: each activity consumes the next (one path of N activities);
- ring:  a service consuming a0, each a_i needing 0.999 of a_(i+1), the last closing the loop
  (one strongly connected component of N activities, loop factor 0.999 < 1).

Each figure is one fresh process of the real CLI (``python -m lca.cli``), peak RSS from the kernel:

- validate: ``lca validate STUDY``
- run:      ``lca run STUDY --format json`` (the background built beforehand; the foreground
            handed to bw2calc by this run as a datapackage in memory); ``again``: the same run a second time (its
            Brightway matrices read back, lca.engine.matrix_cache)

"beyond start-up" subtracts the same command on a 2-activity study of the same shape (time and
peak RSS). After the sizes, the growth exponent k of time ~ N^k and memory ~ N^k between the two
largest sizes of each shape (1 is linear). Targets (issue 14): 10,000 activities in at most 2 s
and 300 MB beyond start-up, 100,000 in at most 20 s and 2 GB.

Each figure is the fastest of ``--repeat`` runs (the base's too; before each first ``run`` the
matrix cache is emptied): a single run on a shared 2-core machine moves by half a second.

Usage: python benchmarks/bench_large.py [--sizes 1000,10000,50000,100000] [--shapes flat,chain]
       [--no-run] [--timeout SECONDS] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAD = ["study:", "  id: large-{n}", "  name: {n} activities", "  functional_unit: {{description: one unit}}",
        "systems:", "  ai:", "    name: AI", "    activities:"]


def study_text(n: int, shape: str = "ring") -> str:
    """The generated study of ``n`` activities of ``shape`` (flat, chain or ring)."""
    lines = [h.format(n=n) for h in HEAD]
    if shape == "ring":
        lines.append("    - {id: service, name: s, stage: C1, phase: none, tier: other, exchanges: "
                     "[{activity: a0, amount: 1}, {dataset: electricity.fr, amount: \"1 kWh\", source: generated}]}")
    for i in range(n):
        ex = [f'{{dataset: electricity.fr, amount: "{1 + i % 7} kWh", source: generated}}']
        if shape == "chain" and i + 1 < n:
            ex.append(f"{{activity: a{i + 1}, amount: 1}}")
        if shape == "ring":
            ex = [f"{{activity: a{(i + 1) % n}, amount: 0.999}}"]
        lines.append(f"    - {{id: a{i}, name: a{i}, stage: C1, phase: inference, tier: data_centre, "
                     f"exchanges: [{', '.join(ex)}]}}")
    return "\n".join(lines) + "\n"


def measure(args: list[str], env: dict, timeout: float) -> tuple[float, float] | None:
    """Wall seconds and peak RSS (MiB, this process alone) of ``python -m lca.cli ARGS``; None when
    over ``timeout``."""
    import threading

    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "lca.cli", *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    seconds = time.perf_counter() - start
    if seconds >= timeout:
        return None
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: lca {' '.join(args)}\n{proc.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def exponent(sizes: list[int], values: list[float]) -> float | None:
    """k of value ~ size^k between the two largest sizes (None when it cannot be computed)."""
    if len(sizes) < 2 or min(values[-2:]) <= 0:
        return None
    return round(math.log(values[-1] / values[-2]) / math.log(sizes[-1] / sizes[-2]), 2)


def _row(n: int, shape: str, folder: Path, env: dict, args, base: dict) -> dict | None:
    path = folder / f"{shape}-{n}.yaml"
    path.write_text(study_text(n, shape))
    row: dict = {"shape": shape, "activities": n, "file_mb": round(path.stat().st_size / 2**20, 2)}
    out = folder / f"out-{shape}-{n}"
    steps = [("validate", ["validate", str(path)])]
    if not args.no_run:
        run = ["run", str(path), "--format", "json", "--out", str(out), "--quiet"]
        steps += [("run", run), ("again", run)]
    for name, cmd in steps:
        got = _best(name, cmd, env, args)
        if got is None:
            row[f"{name}_s"] = f"over {args.timeout:g} s"
            print(json.dumps(row), flush=True)
            return None
        row[f"{name}_s"], row[f"{name}_peak_mib"] = round(got[0], 2), round(got[1])
        if base:
            row[f"{name}_beyond_startup_s"] = round(got[0] - base[f"{name}_s"], 2)
            row[f"{name}_beyond_startup_mib"] = round(got[1] - base[f"{name}_peak_mib"])
    print(json.dumps(row), flush=True)
    return row


def _best(name: str, cmd: list[str], env: dict, args) -> tuple[float, float] | None:
    """The fastest of ``args.repeat`` runs of the command (and the highest peak memory among them);
    before each first ``run`` the matrix cache is emptied, so that every one is a first run."""
    runs = []
    for _ in range(args.repeat):
        if name == "run":
            shutil.rmtree(Path(env["AI_LCA_DATA_DIR"]) / "matrices", ignore_errors=True)
        got = measure(cmd, env, args.timeout)
        if got is None:
            return None
        runs.append(got)
    return min(t for t, _ in runs), max(m for _, m in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000,100000")
    parser.add_argument("--shapes", default="flat,chain")
    parser.add_argument("--no-run", action="store_true", help="only validate")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per command before giving up a size")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each command, the fastest kept (default 1)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    folder = Path(tempfile.mkdtemp(prefix="ai-lca-bench-large-"))
    env = dict(os.environ, AI_LCA_DATA_DIR=str(folder / "data"), BRIGHTWAY2_DIR=str(folder / "data" / "brightway"),
               PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore")
    if not args.no_run:  # build the background once, so that run times are the study's own
        # an id of its own: the 2-activity base of each shape must be a first run too (a base whose
        # matrices were cached by this warm-up would count Brightway's import as the large run's own)
        (folder / "warm.yaml").write_text(study_text(2, "flat").replace("id: large-2", "id: warm-up"))
        measure(["run", str(folder / "warm.yaml"), "--format", "json", "--out", str(folder / "o"), "--quiet"], env,
                args.timeout)
    for shape in args.shapes.split(","):
        base = _row(2, shape, folder, env, args, {}) or {}
        rows = [r for r in (_row(n, shape, folder, env, args, base) for n in sizes) if r is not None]
        fit: dict = {"shape": shape}
        for step in ("validate", "run", "again"):
            if rows and f"{step}_s" in rows[0]:
                ns = [r["activities"] for r in rows]
                fit[f"{step}_time_exponent"] = exponent(ns, [r[f"{step}_s"] for r in rows])
                fit[f"{step}_memory_exponent"] = exponent(ns, [r[f"{step}_peak_mib"] for r in rows])
        print(json.dumps(fit), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
