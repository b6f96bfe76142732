"""Deterministic run at growing sizes: seconds beyond start-up, peak memory, and the growth exponent.

Generated studies of N foreground activities, each using electricity, as a flat list (every
activity consumed by the functional unit) or a chain (each activity consumes the next), assessed
in fresh processes through the public API (``lca.assess``, JSON result only) with a warm data
directory; the start-up (imports and an empty assess of a 1-activity study) is measured in the
same process and subtracted. Prints one JSON line per size and shape, then the exponent of
time ~ N^k between the two largest sizes.

Usage: python benchmarks/bench_scale.py [--sizes 1000,10000] [--shapes flat,chain]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ONE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import lca
library = lca.load_library()
lca.assess(sys.argv[2], library=library, data_dir=sys.argv[3])  # start-up: imports, project, 1 activity
t1 = time.perf_counter()
result = lca.assess(sys.argv[1], library=library, data_dir=sys.argv[3])
json.dumps(result.to_dict())
t2 = time.perf_counter()
print(json.dumps({"startup_s": t1 - t0, "run_s": t2 - t1,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def study(n: int, shape: str) -> str:
    lines = ["study: {id: scale, name: Scale, functional_unit: {description: one run}}",
             "systems:", "  ai:", "    name: AI", "    activities:"]
    for i in range(n):
        ex = [f'{{dataset: electricity.fr, amount: "{1 + i % 7} kWh", assumption: s}}']
        if shape == "chain" and i + 1 < n:
            ex.append(f"{{activity: a{i + 1}, amount: 1, assumption: s}}")
        lines.append(f"      - {{id: a{i}, name: A{i}, stage: C1, phase: inference, tier: data_centre, "
                     f"exchanges: [{', '.join(ex)}]}}")
    return "\n".join(lines) + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--shapes", default="flat,chain")
    args = p.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ai-lca-scale-"))
    data_dir = scratch / "data"
    (scratch / "one.py").write_text(ONE)
    (scratch / "one.yaml").write_text(study(1, "flat"))
    env = dict(os.environ, AI_LCA_DATA_DIR=str(data_dir), PYTHONWARNINGS="ignore")
    sizes = [int(s) for s in args.sizes.split(",")]
    for shape in args.shapes.split(","):
        runs = {}
        for n in sizes:
            path = scratch / f"{shape}-{n}.yaml"
            path.write_text(study(n, shape))
            cmd = [sys.executable, str(scratch / "one.py"), str(path), str(scratch / "one.yaml"), str(data_dir)]
            for attempt in ("first (foreground written)", "warm"):
                proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
                if proc.returncode != 0:
                    print(json.dumps({"shape": shape, "activities": n, "error": proc.stderr.strip().splitlines()[-1:]}))
                    break
                figures = json.loads(proc.stdout.strip().splitlines()[-1])
                print(json.dumps({"shape": shape, "activities": n, "run": attempt,
                                  **{k: round(v, 3) for k, v in figures.items()}}))
                runs[n] = figures["run_s"]
        if len(runs) >= 2:
            a, b = sorted(runs)[-2:]
            print(json.dumps({"shape": shape, "exponent": round(math.log(runs[b] / runs[a]) / math.log(b / a), 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
