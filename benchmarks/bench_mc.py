"""Benchmark: our vectorised Monte Carlo against bw2calc's own per-iteration Monte Carlo.

Usage::

    .venv/bin/python benchmarks/bench_mc.py [STUDY] [--iterations 10000] [--seed 42]
                                            [--memory-iterations 100000] [--data-dir DIR]

On one study (default: the demo), in one process and from the same Brightway project:

1. ours: the study's linear system taken from Brightway, then every iteration sampled and solved
   in bulk (``lca.uncertainty``), timed from the model build to the summary statistics;
2. Brightway: ``bw2calc.MultiLCA(..., use_distributions=True)`` then ``next()`` per iteration,
   both systems and every criterion, the same number of iterations;
3. agreement on every system and criterion that varies: means within 1 %, and the 2.5 / 50 /
   97.5 % percentiles of Brightway inside the distribution-free 99.7 % band of ours (ranks
   ``pN ± 3·sqrt(2·N·p(1-p))``), widened by Brightway's single-precision rounding (1e-6);
4. memory: ``--memory-iterations`` iterations of the study with every declared input (parameters
   and drawn variants included), with the peak traced by tracemalloc and the process's peak RSS.

Both engines sample only what Brightway can represent: the distributions of exchanges and of
background values (stats_arrays fields). Parameter distributions and drawn variants (shared by
several exchanges) are beyond stats_arrays and are left out of the comparison, not of step 4.

Prints one JSON line: ``{"iterations", "ours_s", "brightway_s", "ratio", ...}``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEMO = ROOT / "inventories" / "studies" / "demo-office-heating.yaml"
FLOAT32 = 1e-6  # Brightway keeps matrix values in single precision: relative differences below this are rounding

from lca import load_library, load_study  # noqa: E402
from lca.engine.bw import brightway  # noqa: E402
from lca.engine.datadir import data_directory  # noqa: E402
from lca.engine.project import method_key  # noqa: E402
from lca.uncertainty.inputs import BRIGHTWAY_KINDS, KINDS  # noqa: E402
from lca.uncertainty.model import build_model  # noqa: E402
from lca.uncertainty.montecarlo import run_monte_carlo  # noqa: E402


def ours(loaded, library, data_dir, iterations: int, seed: int, kinds=BRIGHTWAY_KINDS):
    """(seconds, scores (iterations, systems, criteria), model) of our Monte Carlo."""
    start = time.perf_counter()
    model = build_model(loaded, library, data_dir, kinds=kinds)
    mc = run_monte_carlo(model, iterations, seed)
    mc.to_dict()
    return time.perf_counter() - start, mc.scores, model


def brightway_mc(model, data_dir, iterations: int, seed: int):
    """(seconds, scores (iterations, systems, criteria)) of bw2calc's per-iteration Monte Carlo."""
    bd, bc = brightway(data_directory(data_dir))
    fg = model.linear.foreground
    methods = [method_key(c) for c in model.criteria]
    start = time.perf_counter()
    demands = {key: {bd.get_node(database=fg, code=f"{key}/__fu__").id: 1.0} for key in model.systems}
    config = {"impact_categories": methods}
    data_objs = bd.get_multilca_data_objs(functional_units=demands, method_config=config)
    mlca = bc.MultiLCA(demands=demands, method_config=config, data_objs=data_objs,
                       use_distributions=True, seed_override=seed)
    scores = np.empty((iterations, len(model.systems), len(methods)))
    with contextlib.redirect_stderr(io.StringIO()):
        mlca.lci()
        mlca.lcia()
        for i in range(iterations):
            if i:
                next(mlca)
            scores[i] = [[mlca.scores[(m, key)] for m in methods] for key in model.systems]
    return time.perf_counter() - start, scores


def agreement(a: np.ndarray, b: np.ndarray, systems, criteria) -> list[str]:
    """Disagreements between two samples (same shape), as readable lines; empty when they agree."""
    problems = []
    n = a.shape[0]
    for s, key in enumerate(systems):
        for c, crit in enumerate(criteria):
            x, y = a[:, s, c], b[:, s, c]
            scale = max(float(np.max(np.abs(x))), float(np.max(np.abs(y))), 1e-300)
            if np.ptp(x) <= FLOAT32 * scale and np.ptp(y) <= FLOAT32 * scale:  # neither varies
                if not np.isclose(x[0], y[0], rtol=FLOAT32, atol=1e-12):
                    problems.append(f"{key}/{crit}: constant {x[0]} vs {y[0]}")
                continue
            mx, my = float(np.mean(x)), float(np.mean(y))
            if abs(mx - my) > 0.01 * max(abs(mx), abs(my)):
                problems.append(f"{key}/{crit}: means {mx:.6g} vs {my:.6g} differ by more than 1 %")
            xs = np.sort(x)
            for p in (0.025, 0.5, 0.975):
                half = 3 * np.sqrt(2 * n * p * (1 - p))
                lo, hi = xs[max(0, int(p * n - half))], xs[min(n - 1, int(np.ceil(p * n + half)))]
                lo, hi = lo - FLOAT32 * abs(lo), hi + FLOAT32 * abs(hi)
                q = float(np.quantile(y, p))
                if not lo <= q <= hi:
                    problems.append(f"{key}/{crit}: Brightway's {p:.1%} percentile {q:.6g} outside [{lo:.6g}, {hi:.6g}]")
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("study", nargs="?", default=str(DEMO))
    p.add_argument("--iterations", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--memory-iterations", type=int, default=100_000)
    p.add_argument("--data-dir", default=None)
    args = p.parse_args(argv)

    library = load_library()
    loaded = load_study(args.study)
    ours(loaded, library, args.data_dir, 10, args.seed)  # builds the Brightway project if missing
    ours_s, our_scores, model = ours(loaded, library, args.data_dir, args.iterations, args.seed)
    bw_s, bw_scores = brightway_mc(model, args.data_dir, args.iterations, args.seed)
    problems = agreement(our_scores, bw_scores, model.systems, model.criteria)

    line = {"iterations": args.iterations, "ours_s": round(ours_s, 3), "brightway_s": round(bw_s, 3),
            "ratio": round(bw_s / ours_s, 1), "agree": not problems,
            "study": Path(args.study).name, "compared_inputs": len(model.inputs)}
    if args.memory_iterations:
        tracemalloc.start()
        mem_s, _, full = ours(loaded, library, args.data_dir, args.memory_iterations, args.seed, KINDS)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        line.update({"memory_iterations": args.memory_iterations, "memory_inputs": len(full.inputs),
                     "memory_s": round(mem_s, 3), "traced_peak_mib": round(traced_peak / 2**20, 1),
                     "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})
    print(json.dumps(line))
    for problem in problems:
        print(problem, file=sys.stderr)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
