"""Benchmark: our Monte Carlo against bw2calc's per-iteration Monte Carlo, same process, same project.

Usage::

    .venv/bin/python benchmarks/bench_mc.py [STUDY] [--iterations 10000] [--seed 42]
        [--mode arrays|distributions] [--foreground N] [--memory-iterations 100000] [--data-dir DIR]

Two modes, on one study (default: the demo, whose inputs include parameters and drawn variants):

- ``arrays`` (default): every declared input (parameters, drawn dataset variants, exchanges,
  background values) is sampled once by us; both engines get the same per-iteration matrix values.
  Brightway receives them as a bw_processing array datapackage (``use_arrays``; the way a
  parameterised Brightway study is run, e.g. from presamples or lca_algebraic) and solves every
  iteration; ours evaluates them in bulk. Agreement is per iteration (relative 1e-5: Brightway
  keeps matrix values in single precision).
- ``distributions``: only what Brightway's stats_arrays can represent (exchange and background
  distributions), each engine sampling by itself (``use_distributions``); agreement of means
  within 1 % and of the 2.5 / 50 / 97.5 % percentiles within the distribution-free 99.7 % band
  of ours (ranks ``pN ± 3·sqrt(2·N·p(1-p))``), widened by single precision (1e-6).

``--foreground N`` replaces the study by a generated chain of N activities, each with an
uncertain electricity exchange and an uncertain amount of the next activity (so that every
iteration re-solves the foreground on both sides).

Timings: ours from the model build (one MultiLCA, as ``lca run`` does) to the summary statistics;
Brightway's from its MultiLCA set-up to the last iteration's scores, with the fastest sparse
solver bw2calc finds here (named in the output). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEMO = ROOT / "inventories" / "studies" / "demo-office-heating.yaml"
LOOP: dict[str, float] = {}  # seconds of the iteration loops alone (per-iteration speed)
FLOAT32 = 1e-6  # Brightway keeps matrix values in single precision: relative differences below this are rounding

from lca import load_library, load_study  # noqa: E402
from lca.engine.bw import brightway  # noqa: E402
from lca.engine.datadir import data_directory  # noqa: E402
from lca.engine.matrices import brightway_multilca  # noqa: E402
from lca.engine.project import method_key  # noqa: E402
from lca.uncertainty.inputs import BRIGHTWAY_KINDS, KINDS  # noqa: E402
from lca.uncertainty.model import build_model  # noqa: E402
from lca.uncertainty.montecarlo import run_monte_carlo, sample  # noqa: E402


def solver_name() -> str:
    import bw2calc

    return "pypardiso" if bw2calc.PYPARDISO else "umfpack" if getattr(bw2calc, "UMFPACK", False) else "scipy superlu"


def ours(loaded, library, data_dir, iterations: int, seed: int, kinds=BRIGHTWAY_KINDS):
    """(seconds, scores (iterations, systems, criteria), model) of our Monte Carlo."""
    start = time.perf_counter()
    model = build_model(loaded, library, data_dir, kinds=kinds)
    LOOP["ours_build_s"] = time.perf_counter() - start
    mc = run_monte_carlo(model, iterations, seed)
    mc.to_dict()
    LOOP["ours_iterations_s"] = time.perf_counter() - start - LOOP["ours_build_s"]
    return time.perf_counter() - start, mc.scores, model


def brightway_ids(model, data_dir) -> dict:
    """The study's node ids in the Brightway project as it is now, the study's foreground written
    there as a bw2data database if missing (``lca run`` never writes it: it hands bw2calc a
    datapackage in memory; plain Brightway reads the study from the project, as before).

    Our model's matrices may come from the matrix cache (lca.engine.matrix_cache), with ids of
    their own run: bw2calc needs the project's.
    """
    from lca.engine.matrices import written_foreground

    return written_foreground(model.base, model.library, data_dir)


def _demands(ids: dict, model):
    fg = model.linear.matrices.foreground
    return {key: {ids[(fg, f"{key}/__fu__")]: 1.0} for key in model.systems}


def _iterate(mlca, model, iterations: int) -> np.ndarray:
    methods = [method_key(c) for c in model.criteria]
    scores = np.empty((iterations, len(model.systems), len(methods)))
    with contextlib.redirect_stderr(io.StringIO()):
        mlca.lci()
        mlca.lcia()
        start = time.perf_counter()
        for i in range(iterations):
            if i:
                next(mlca)
            scores[i] = [[mlca.scores[(m, key)] for m in methods] for key in model.systems]
        LOOP["brightway_iterations_s"] = time.perf_counter() - start
    return scores


def brightway_mc(model, data_dir, iterations: int, seed: int):
    """(seconds, scores) of bw2calc sampling the stats_arrays distributions itself, per iteration."""
    ids = brightway_ids(model, data_dir)
    bd, bc = brightway(data_directory(data_dir))
    start = time.perf_counter()
    mlca = brightway_multilca(bd, bc, _demands(ids, model), [method_key(c) for c in model.criteria],
                              use_distributions=True, seed_override=seed)
    scores = _iterate(mlca, model, iterations)
    return time.perf_counter() - start, scores


def cell_arrays(model, ids: dict, iterations: int, seed: int):
    """Our draws as a bw_processing datapackage of per-iteration matrix changes (Brightway's sign rules)."""
    import bw_processing as bwp

    m = model.linear.matrices
    a_deltas, b_deltas = model.cells(sample(model.inputs, iterations, seed), iterations)
    package = bwp.create_datapackage(sequential=True)
    for matrix, cells in (("technosphere_matrix", a_deltas), ("biosphere_matrix", b_deltas)):
        cells = {k: np.broadcast_to(np.asarray(v, float), (iterations,)) for k, v in cells.items()}
        cells = {k: v for k, v in cells.items() if np.any(v)}
        if not cells:
            continue
        keys = list(cells)
        pairs = [(ids[i], ids[o]) for i, o in keys]
        if matrix == "technosphere_matrix":
            base = np.array([m.A[m.row[m.ids[i]], m.col[m.ids[o]]] for i, o in keys])
        else:
            base = np.array([m.B[m.flow_row[m.ids[i]], m.col[m.ids[o]]] for i, o in keys])
        indices = np.array(pairs, dtype=bwp.INDICES_DTYPE)
        data = base[:, None] + np.vstack(list(cells.values()))  # replaces the project's value of the cell
        package.add_persistent_array(matrix=matrix, indices_array=indices, data_array=data,
                                     name=f"ai-lca draws {matrix}")
    return package


def brightway_arrays(model, data_dir, iterations: int, seed: int):
    """(seconds, scores) of bw2calc solving every iteration of our draws (given as arrays)."""
    ids = brightway_ids(model, data_dir)
    bd, bc = brightway(data_directory(data_dir))
    package = cell_arrays(model, ids, iterations, seed)
    start = time.perf_counter()
    mlca = brightway_multilca(bd, bc, _demands(ids, model), [method_key(c) for c in model.criteria],
                              use_arrays=True, extra_packages=[package])
    scores = _iterate(mlca, model, iterations)
    return time.perf_counter() - start, scores


def same_iterations(a: np.ndarray, b: np.ndarray, systems, criteria) -> list[str]:
    """Per-iteration disagreements (relative 1e-5 of the criterion's largest magnitude, both systems)."""
    problems = []
    for s, key in enumerate(systems):
        for c, crit in enumerate(criteria):
            scale = max(float(np.max(np.abs(a[:, :, c]))), 1e-300)
            worst = float(np.max(np.abs(a[:, s, c] - b[:, s, c]))) / scale
            if worst > 1e-5:
                problems.append(f"{key}/{crit}: iterations differ by up to {worst:.2g} of the largest score")
    return problems


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


def chain_study(n: int) -> str:
    """A chain of ``n`` activities: each uses 1-3 kWh of electricity (lognormal) and 0.9-1.1 of the next."""
    lines = ["study: {id: bench-chain, name: Chain, functional_unit: {description: one run}}",
             "systems:", "  ai:", "    name: AI", "    activities:"]
    for i in range(n):
        exchanges = [f'{{dataset: electricity.fr@owid-2023, amount: "{1 + i % 3} kWh", assumption: bench,'
                     ' uncertainty: {distribution: lognormal, gsd: 1.3}}']
        if i + 1 < n:
            exchanges.append(f"{{activity: a{i + 1}, amount: 1, assumption: bench,"
                             " uncertainty: {distribution: uniform, min: 0.9, max: 1.1}}")
        lines.append(f"      - {{id: a{i}, name: A{i}, stage: C1, phase: inference, tier: data_centre, "
                     f"exchanges: [{', '.join(exchanges)}]}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("study", nargs="?", default=str(DEMO))
    p.add_argument("--iterations", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--mode", choices=("arrays", "distributions"), default="arrays")
    p.add_argument("--foreground", type=int, default=0, metavar="N", help="a generated chain of N activities")
    p.add_argument("--memory-iterations", type=int, default=100_000)
    p.add_argument("--data-dir", default=None)
    args = p.parse_args(argv)

    library = load_library()
    study = args.study
    if args.foreground:
        study = str(Path(tempfile.mkdtemp(prefix="ai-lca-bench-")) / "chain.yaml")
        Path(study).write_text(chain_study(args.foreground))
    loaded = load_study(study)
    kinds = KINDS if args.mode == "arrays" else BRIGHTWAY_KINDS
    ours(loaded, library, args.data_dir, 10, args.seed, kinds)  # builds the Brightway project if missing
    ours_s, our_scores, model = ours(loaded, library, args.data_dir, args.iterations, args.seed, kinds)
    if args.mode == "arrays":
        bw_s, bw_scores = brightway_arrays(model, args.data_dir, args.iterations, args.seed)
        problems = same_iterations(our_scores, bw_scores, model.systems, model.criteria)
    else:
        bw_s, bw_scores = brightway_mc(model, args.data_dir, args.iterations, args.seed)
        problems = agreement(our_scores, bw_scores, model.systems, model.criteria)
    line = {"study": Path(study).name, "mode": args.mode, "iterations": args.iterations,
            "inputs": len(model.inputs), "kinds": sorted({i.kind for i in model.inputs}),
            "foreground_nodes": len(model.linear.nodes), "brightway_solver": solver_name(),
            "ours_s": round(ours_s, 3), "brightway_s": round(bw_s, 3), "ratio": round(bw_s / ours_s, 1),
            "agree": not problems,
            "ours_build_s": round(LOOP["ours_build_s"], 3), "ours_iterations_s": round(LOOP["ours_iterations_s"], 3),
            "brightway_iterations_s": round(LOOP["brightway_iterations_s"], 3),
            "per_iteration_ratio": round(LOOP["brightway_iterations_s"] / LOOP["ours_iterations_s"], 1)}
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
