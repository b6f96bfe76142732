"""Whole-process `lca run` of the demo against plain bw2data/bw2calc doing the same work, same run.

Each figure is the median wall time of fresh processes (the way a user runs the CLI):

- bare import:   python -c "import bw2data, bw2calc"
- cold run:      lca run DEMO --format json, empty data directory and no unit cache (project built)
- warm run:      the same again, project and foreground reused
- plain cold:    a plain bw2data/bw2calc script writing the same databases and methods into an
                 empty directory (data prepared beforehand, outside the timing) and computing both
                 systems on every criterion with MultiLCA
- plain warm:    the same script opening the existing project and computing only
- help:          lca --help
- validate:      lca validate DEMO
- with ``--iterations N``: ``lca run --iterations N`` (warm) against a plain bw2calc Monte Carlo
  script of the same project (MultiLCA with use_distributions, N iterations, percentiles); the
  plain script samples only what stats_arrays represents (the demo's background values).

Prints one JSON line with the figures and the ratios.
Usage: python benchmarks/bench_run.py [STUDY] [--repeats N] [--iterations N]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "inventories" / "studies" / "demo-office-heating.yaml"

PLAIN = r"""
import pickle, sys, warnings
warnings.filterwarnings("ignore")
import bw2data as bd, bw2calc as bc
spec = pickle.load(open(sys.argv[1], "rb"))
mode = sys.argv[2]
bd.projects.set_current("plain")
if mode == "cold":
    for name, data in spec["databases"]:
        bd.Database(name).write(data, process=True)
    for key, cfs in spec["methods"]:
        m = bd.Method(key); m.register(); m.write(cfs)
fg = spec["foreground"]
demands = {s: {bd.get_node(database=fg, code=f"{s}/__fu__").id: 1.0} for s in spec["systems"]}
config = {"impact_categories": [tuple(k) for k, _ in spec["methods"]]}
iterations = int(sys.argv[3]) if len(sys.argv) > 3 else 0
mlca = bc.MultiLCA(demands=demands, method_config=config, use_distributions=iterations > 0,
                   data_objs=bd.get_multilca_data_objs(functional_units=demands, method_config=config))
mlca.lci(); mlca.lcia()
if iterations:
    import numpy as np
    rows = [[mlca.scores[k] for k in sorted(mlca.scores)]]
    for _ in range(iterations - 1):
        next(mlca)
        rows.append([mlca.scores[k] for k in sorted(mlca.scores)])
    print(np.percentile(np.array(rows), [2.5, 50, 97.5], axis=0).shape)
else:
    print(dict(mlca.scores))
"""


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return time.perf_counter() - start


def plain_spec(study: str, path: Path) -> None:
    """The databases and methods `lca run` writes, as plain data for the plain Brightway script."""
    sys.path.insert(0, str(ROOT))
    from lca.engine import project
    from lca.library.background import load_library
    from lca.study import load_study, resolve

    library = load_library()
    resolved = resolve(load_study(study), library)

    class Recorder:  # records what write_library writes, instead of a Brightway project
        def __init__(self):
            self.databases, self.methods = [], []

        def Database(self, name):
            recorder = self

            class _Db:
                def write(self, data, process=True):
                    recorder.databases.append((name, data))
            return _Db()

        def Method(self, key):
            recorder = self

            class _M:
                def register(self, **kw):
                    pass

                def write(self, cfs):
                    recorder.methods.append((key, cfs))
            return _M()

    rec = Recorder()
    rec.Database(project.BIOSPHERE_DB).write(
        {(project.BIOSPHERE_DB, f.id): project.flow_node(f) for f in library.flows.values()})
    project.write_library(rec, library)
    fg = "study-plain"
    rec.databases.append((fg, project.foreground_data(resolved, fg)))
    path.write_bytes(pickle.dumps({"databases": rec.databases, "methods": rec.methods, "foreground": fg,
                                   "systems": list(resolved.systems)}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", nargs="?", default=str(DEMO))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=0)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ai-lca-bench-"))
    spec = scratch / "spec.pickle"
    plain_spec(args.study, spec)
    (scratch / "plain.py").write_text(PLAIN)
    base_env = dict(os.environ, PYTHONWARNINGS="ignore")
    out = scratch / "out"
    run = [sys.executable, "-m", "lca.cli", "run", args.study, "--format", "json", "--out", str(out), "--quiet"]
    figures: dict[str, list[float]] = {k: [] for k in ("bare", "cold", "warm", "plain_cold", "plain_warm", "help", "validate",
                                                        "mc_ours", "mc_plain")}
    try:
        for i in range(args.repeats):
            (scratch / f"bare{i}").mkdir()
            (scratch / f"plain{i}").mkdir()
            bare_env = dict(base_env, BRIGHTWAY2_DIR=str(scratch / f"bare{i}"))
            figures["bare"].append(timed([sys.executable, "-c", "import bw2data, bw2calc"], bare_env))
            data_dir = scratch / f"dd{i}"  # empty: no project, no unit cache
            env = dict(base_env, AI_LCA_DATA_DIR=str(data_dir), BRIGHTWAY2_DIR=str(data_dir / "brightway"))
            figures["cold"].append(timed(run + ["--data-dir", str(data_dir)], env))
            figures["warm"].append(timed(run + ["--data-dir", str(data_dir)], env))
            figures["help"].append(timed([sys.executable, "-m", "lca.cli", "--help"], env))
            figures["validate"].append(timed([sys.executable, "-m", "lca.cli", "validate", args.study], env))
            plain_env = dict(base_env, BRIGHTWAY2_DIR=str(scratch / f"plain{i}"))
            plain = [sys.executable, str(scratch / "plain.py"), str(spec)]
            figures["plain_cold"].append(timed(plain + ["cold"], plain_env))
            figures["plain_warm"].append(timed(plain + ["warm"], plain_env))
            if args.iterations:
                figures["mc_ours"].append(timed(run + ["--data-dir", str(data_dir), "--iterations",
                                                       str(args.iterations), "--seed", "1"], env))
                figures["mc_plain"].append(timed(plain + ["warm", str(args.iterations)], plain_env))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    med = {k: round(statistics.median(v), 3) for k, v in figures.items() if v}
    result = {"study": Path(args.study).name, "repeats": args.repeats, **{f"{k}_s": v for k, v in med.items()},
              "warm_over_import": round(med["warm"] / med["bare"], 2),
              "validate_over_import": round(med["validate"] / med["bare"], 2),
              "warm_over_plain_warm": round(med["warm"] / med["plain_warm"], 2),
              "cold_over_plain_cold": round(med["cold"] / med["plain_cold"], 2)}
    if args.iterations:
        result["iterations"] = args.iterations
        result["mc_plain_over_ours"] = round(med["mc_plain"] / med["mc_ours"], 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
