"""Parametric Monte Carlo, whole process: ``lca run`` against lca_algebraic on the same small system.

The system (written below as a study, and built with lca_algebraic's API on the same Brightway
background): the AI solution uses ``energy`` of French electricity and leaks ``leak`` of fossil
methane, the reference uses 2000 kWh of world-average electricity; ``energy`` is uniform in
[0.5, 1.5] MWh and ``leak`` uniform in [5, 15] kg. Three criteria (climate change, abiotic
depletion, primary energy). The background (biosphere3 flows, indicator flows, datasets and
methods) is exactly what ``lca run`` writes into Brightway, recorded and written again into
lca_algebraic's own project.

lca_algebraic depends on other Brightway versions than ai-lca's and installs pypardiso (which
bw2calc would then use in our environment), so it runs from its own virtual environment,
``--la-python`` (default: the ``LCA_ALGEBRAIC_PYTHON`` environment variable):

    python -m venv /tmp/la && /tmp/la/bin/pip install lca-algebraic-bw25

Each figure is the median wall time of fresh processes, warm (projects built by a first run):

- ours: ``lca run STUDY --iterations N --format json`` (Monte Carlo of both systems, Sobol,
  tornado: more work than lca_algebraic's part)
- lca_algebraic: a script importing it, opening its project, building the parametric foreground
  (``newFloatParam``, ``newActivity``) and calling ``compute_impacts`` on both systems with the
  same N draws of the two parameters, then the same percentiles

Both means of the AI system's climate change are printed (they agree within Monte Carlo error).
Usage: python benchmarks/bench_lca_algebraic.py [--iterations N] [--repeats R] [--la-python PATH]
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
sys.path.insert(0, str(ROOT / "benchmarks"))

STUDY = """\
study: {id: la-compare, name: lca_algebraic comparison, functional_unit: {description: one run, quantity: 1, unit: run}}
parameters:
  energy: {value: "1 MWh", assumption: benchmark, uncertainty: {distribution: uniform, min: "0.5 MWh", max: "1.5 MWh"}}
  leak: {value: "10 kg", assumption: benchmark, uncertainty: {distribution: uniform, min: "5 kg", max: "15 kg"}}
systems:
  ai:
    name: AI solution
    activities:
      - id: compute
        name: Computing electricity
        stage: C1
        phase: training
        tier: data_centre
        exchanges:
          - {dataset: electricity.fr, amount: "energy", assumption: benchmark}
      - id: leak
        name: Methane leak
        stage: C2
        phase: none
        tier: other
        exchanges:
          - {flow: "Methane, fossil (air)", amount: "leak", assumption: benchmark}
  reference:
    name: Reference
    activities:
      - id: compute
        name: Computing electricity
        stage: C1
        phase: none
        tier: data_centre
        exchanges:
          - {dataset: electricity.world, amount: "2000 kWh", assumption: benchmark}
"""

LA_SCRIPT = r"""
import json, pickle, sys, warnings
warnings.filterwarnings("ignore")
import numpy as np
import bw2data as bd
import lca_algebraic as agb
spec = pickle.load(open(sys.argv[1], "rb"))
n = int(sys.argv[2])
bd.projects.set_current("la-compare")
if "lca-algebraic-ready" not in bd.databases:  # the first run writes the background, as lca run does
    for name, data in spec["databases"]:
        bd.Database(name).write(data)
    for key, cfs in spec["methods"]:  # lca_algebraic names methods by three parts
        m = bd.Method(tuple(key) + ("total",)); m.register(unit=spec["units"][key[1]]); m.write(cfs)
    bd.Database("lca-algebraic-ready").write({})
for name, _ in spec["databases"]:
    agb.setBackground(name)
agb.resetDb("la-fg")
agb.resetParams()
energy = agb.newFloatParam("energy", default=1.0, min=0.5, max=1.5, unit="MWh", distrib=agb.DistributionType.LINEAR)
leak = agb.newFloatParam("leak", default=10.0, min=5.0, max=15.0, unit="kg", distrib=agb.DistributionType.LINEAR)
elec_fr = bd.get_node(database=spec["background"], code=spec["electricity_fr"])
elec_world = bd.get_node(database=spec["background"], code=spec["electricity_world"])
methane = bd.get_node(database=spec["biosphere"], code=spec["methane"])
ai = agb.newActivity("la-fg", "ai", "run", exchanges={elec_fr: energy * 1000.0, methane: leak})
ref = agb.newActivity("la-fg", "reference", "run", exchanges={elec_world: 2000.0})
rng = np.random.default_rng(1)
draws = {"energy": rng.uniform(0.5, 1.5, n), "leak": rng.uniform(5.0, 15.0, n)}
methods = [tuple(k) + ("total",) for k, _ in spec["methods"]]
scores = {}
for name, model in (("ai", ai), ("reference", ref)):
    values = {"energy": draws["energy"], "leak": draws["leak"]} if name == "ai" else {}
    frame = agb.compute_impacts(model, methods, **values)
    scores[name] = np.atleast_2d(frame.to_numpy(dtype=float))
net = scores["ai"] - scores["reference"]
print(json.dumps({"ai_gwp_mean": float(np.mean(scores["ai"][:, 0])), "n": int(scores["ai"].shape[0]),
                  "net_percentiles": np.percentile(net, [2.5, 50, 97.5], axis=0).tolist()}))
"""


def spec(study: Path, path: Path) -> None:
    """What ``lca run`` writes into Brightway (bench_run's recorder), for lca_algebraic's project."""
    from bench_run import plain_spec

    plain_spec(str(study), path)
    data = pickle.loads(path.read_bytes())
    from lca.engine import project
    from lca.library.background import load_library

    library = load_library()
    methane = next(f.id for f in library.flows.values() if f.name == "Methane, fossil" and tuple(f.categories) == ("air",))
    data.update(units={c.id: c.unit for c in library.criteria.values()}, background=project.BACKGROUND_DB, biosphere=project.BIOSPHERE_DB, methane=methane,
                electricity_fr=_code(library, "electricity.fr"), electricity_world=_code(library, "electricity.world"))
    data["databases"] = [(n, d) for n, d in data["databases"] if n != data["foreground"]]
    path.write_bytes(pickle.dumps(data))


def _code(library, ident: str) -> str:
    ds, variant = library.dataset(ident)
    return f"{ds.id}@{variant}"


def timed(cmd: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start, proc.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--la-python", default=os.environ.get("LCA_ALGEBRAIC_PYTHON"))
    args = parser.parse_args()
    if not args.la_python:
        sys.exit("give --la-python: the Python of a virtual environment with lca-algebraic-bw25 (see the docstring)")
    scratch = Path(tempfile.mkdtemp(prefix="ai-lca-bench-la-"))
    try:
        study, spec_path, script = scratch / "la-compare.yaml", scratch / "spec.pickle", scratch / "la.py"
        study.write_text(STUDY)
        spec(study, spec_path)
        script.write_text(LA_SCRIPT)
        env = dict(os.environ, PYTHONWARNINGS="ignore", AI_LCA_DATA_DIR=str(scratch / "data"),
                   BRIGHTWAY2_DIR=str(scratch / "data" / "brightway"))
        la_env = dict(os.environ, PYTHONWARNINGS="ignore", BRIGHTWAY2_DIR=str(scratch / "la-bw"))
        (scratch / "la-bw").mkdir()
        ours_cmd = [sys.executable, "-m", "lca.cli", "run", str(study), "--format", "json", "--out",
                    str(scratch / "out"), "--quiet", "--iterations", str(args.iterations), "--seed", "1"]
        la_cmd = [args.la_python, str(script), str(spec_path), str(args.iterations)]
        timed(ours_cmd, env)  # warm: project, foreground and matrices built once
        timed(la_cmd, la_env)
        ours, theirs, la_out = [], [], ""
        for _ in range(args.repeats):  # paired, alternating
            ours.append(timed(ours_cmd, env)[0])
            seconds, la_out = timed(la_cmd, la_env)
            theirs.append(seconds)
        result = json.loads((scratch / "out" / "la-compare.json").read_text())
        la = json.loads(la_out.strip().splitlines()[-1])
        ours_mean = result["uncertainty"]["systems"]["ai"]["gwp"]["mean"]
        print(json.dumps({"iterations": args.iterations, "repeats": args.repeats,
                          "ours_s": round(statistics.median(ours), 2), "lca_algebraic_s": round(statistics.median(theirs), 2),
                          "lca_algebraic_over_ours": round(statistics.median(theirs) / statistics.median(ours), 2),
                          "ai_gwp_mean_ours": round(ours_mean, 3), "ai_gwp_mean_lca_algebraic": round(la["ai_gwp_mean"], 3)}))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
