"""Sensitivity with many uncertain inputs: time and peak memory, screened and unscreened.

A generated study of D activities, each with one uncertain electricity exchange (uniform, a few
of them large), through the public pieces the pipeline uses:

1. ``sensitivity_section`` as ``lca run --iterations 1024`` calls it (tornado screening above 40
   inputs, Sobol on the inputs that matter);
2. ``sobol_indices`` on all D inputs, the base sample size capped so that ``N (D + 2) <= 2^20``,
   points built and evaluated in blocks of 64 MiB.

Prints one JSON line: seconds and the process's peak RSS after each step.
Usage: python benchmarks/bench_sobol.py [--inputs 1000]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lca import load_library, load_study  # noqa: E402
from lca.uncertainty.analysis import net_function, sensitivity_section, sobol_base  # noqa: E402
from lca.uncertainty.model import build_model  # noqa: E402
from lca.uncertainty.sensitivity import sobol_indices  # noqa: E402


def study(d: int) -> str:
    lines = ["study: {id: bench-sobol, name: Many inputs, functional_unit: {description: one run}}",
             "systems:", "  ai:", "    name: AI", "    activities:"]
    for i in range(d):
        value = 1000 if i % 100 == 0 else 1 + i % 7
        lines.append(f"      - {{id: a{i}, name: A{i}, stage: C1, phase: inference, tier: data_centre, exchanges: "
                     f'[{{dataset: electricity.fr@owid-2023, amount: "{value} kWh", assumption: b, uncertainty: '
                     f'{{distribution: uniform, min: "{value * 0.5:g} kWh", max: "{value * 1.5:g} kWh"}}}}]}}')
    return "\n".join(lines) + "\n"


def peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--inputs", type=int, default=1000)
    p.add_argument("--data-dir", default=None)
    args = p.parse_args()
    start = time.perf_counter()
    import SALib.analyze.sobol  # noqa: F401  (its scipy.stats import is timed apart)
    import_s = time.perf_counter() - start
    path = Path(tempfile.mkdtemp(prefix="ai-lca-sobol-")) / "many.yaml"
    path.write_text(study(args.inputs))
    model = build_model(load_study(path), load_library(), args.data_dir)
    line: dict = {"inputs": len(model.inputs), "salib_import_s": round(import_s, 2),
                  "after_build_peak_rss_mib": peak_mib()}
    start = time.perf_counter()
    section = sensitivity_section(model, 1024, seed=1)
    line.update({"screened_s": round(time.perf_counter() - start, 2), "screened_peak_rss_mib": peak_mib(),
                 "screening": section["method"]["sobol"].get("screening", {}).get("kept"),
                 "screened_evaluations": section["method"]["sobol"]["evaluations"]})
    n_base = sobol_base(1024, len(model.inputs))
    start = time.perf_counter()
    sobol_indices(model.inputs, net_function(model), model.criteria, n_base, seed=1)
    line.update({"full_sobol_base": n_base, "full_sobol_evaluations": n_base * (len(model.inputs) + 2),
                 "full_sobol_s": round(time.perf_counter() - start, 2), "full_peak_rss_mib": peak_mib()})
    print(json.dumps(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
