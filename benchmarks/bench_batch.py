"""`lca batch` on N small studies against N separate `lca run` processes, in the same run; and,
with --dask, the same batch on a local Dask cluster (overhead per study).

The studies are copies of tests/data/tiny.yaml with their own ids and one amount changed (so each
has its own foreground). Each arm starts from a warm data directory (the background project is
built first, untimed). `lca run` processes are timed on a sample (--sample, default 20) and
extrapolated to N; --full runs all N of them.

Prints JSON lines: the batch time, the per-process time, their ratio (target >= 10), and with
--dask the cluster time and its overhead per study against the local pool. Both arms' tables are
compared (identical numbers).

Usage: python benchmarks/bench_batch.py [--studies 200] [--jobs 2] [--sample 20] [--full] [--dask]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "tiny.yaml"


def make_studies(folder: Path, n: int) -> list[Path]:
    text = TINY.read_text()
    paths = []
    for i in range(n):
        study = re.sub(r"^  id: tiny$", f"  id: tiny-{i:04d}", text, count=1, flags=re.MULTILINE)
        study = study.replace('amount: "2000 kWh"', f'amount: "{2000 + i} kWh"', 1)
        path = folder / f"tiny-{i:04d}.yaml"
        path.write_text(study)
        paths.append(path)
    return paths


def lca(*args: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "lca"), *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample", type=int, default=20, help="lca run processes timed (extrapolated to --studies)")
    parser.add_argument("--full", action="store_true", help="time all --studies lca run processes")
    parser.add_argument("--dask", action="store_true", help="also run the batch on a local Dask cluster")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ai-lca-bench-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, AI_LCA_DATA_DIR=str(tmp / "data"), BRIGHTWAY2_DIR=str(tmp / "data" / "brightway"))
        studies = make_studies(tmp / "studies", args.studies) if (tmp / "studies").mkdir() is None else []
        # warm-up, untimed: the background project of the main data directory and of the pool slots
        lca("run", str(studies[0]), "--out", str(tmp / "warm"), "--format", "json", "--quiet", env=env)
        lca("batch", *map(str, studies[: max(args.jobs, 2)]), "--out", str(tmp / "warm"), "--jobs", str(args.jobs),
            "--quiet", "--no-resume", env=env)
        batch_s = lca("batch", str(tmp / "studies"), "--out", str(tmp / "batch"), "--jobs", str(args.jobs),
                      "--quiet", "--no-resume", env=env)
        print(json.dumps({"arm": "lca batch", "studies": args.studies, "jobs": args.jobs, "seconds": round(batch_s, 2),
                          "per_study_s": round(batch_s / args.studies, 4)}))
        sample = studies if args.full else studies[: min(args.sample, args.studies)]
        runs = [lca("run", str(p), "--out", str(tmp / "runs"), "--format", "csv", "--quiet", env=env) for p in sample]
        per_process = sum(runs) / len(runs)
        total = per_process * args.studies
        print(json.dumps({"arm": "lca run processes", "studies": args.studies, "timed": len(sample),
                          "per_study_s": round(per_process, 3), "seconds": round(total, 1),
                          "extrapolated": not args.full}))
        print(json.dumps({"speedup": round(total / batch_s, 1), "target": 10}))
        # the same numbers: each sampled lca run table equals that study's rows of the batch table
        batch_lines = (tmp / "batch" / "results.csv").read_text().splitlines()
        for p in sample[:5]:
            own = (tmp / "runs" / f"{p.stem}.csv").read_text().splitlines()
            rows = [line.replace(str(tmp / "studies") + "/", "") for line in batch_lines if line.startswith(p.stem + ",")]
            mine = [line.replace(str(p.parent) + "/", "") for line in own[1:]]
            assert rows == mine, f"{p.name}: lca run and lca batch differ"
        print(json.dumps({"same_numbers": True, "checked": min(5, len(sample))}))
        if args.dask:
            from distributed import LocalCluster

            os.environ.update(env)
            with LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                              host="127.0.0.1") as cluster:
                address = cluster.scheduler_address
                lca("batch", *map(str, studies[: args.jobs * 2]), "--out", str(tmp / "dask-warm"), "--scheduler",
                    address, "--quiet", "--no-resume", env=env)
                dask_s = lca("batch", str(tmp / "studies"), "--out", str(tmp / "dask"), "--scheduler", address,
                             "--quiet", "--no-resume", env=env)
            same = (tmp / "dask" / "results.csv").read_bytes() == (tmp / "batch" / "results.csv").read_bytes()
            print(json.dumps({"arm": "lca batch --scheduler (local Dask cluster)", "workers": args.jobs,
                              "seconds": round(dask_s, 2), "per_study_s": round(dask_s / args.studies, 4),
                              "overhead_per_study_ms": round((dask_s - batch_s) / args.studies * 1000, 1),
                              "identical_table": same}))
        shutil.rmtree(tmp / "data", ignore_errors=True)


if __name__ == "__main__":
    main()
