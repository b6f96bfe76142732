"""The cost of the library's size: the shipped library against the same library without its
cloud-instance datasets (``background/generated/cloud-instances-*.yaml``), same code, same run.

The pre-instance library is a copy of ``inventories/`` without those files in a temporary folder;
every figure is the median wall time of fresh processes (the way a user meets them):

- uncached:  ``load_library.uncached()`` inside the process (imports excluded): parse, validate, check
- cached:    ``load_library()`` inside the process with the cache filled by an earlier process
- list:      ``lca data list --json`` whole process, cache filled
- search:    ``lca data search instance`` whole process, cache filled
- run:       ``lca run DEMO --format json`` whole process, warm (project and cache filled)
- bare:      ``python -c "import bw2data, bw2calc"``, for scale

Prints one JSON line: the figures of both libraries (``*_pre_s``, ``*_full_s``) and the ratios
full / pre (the targets: uncached <= 1.5, cached <= 1.2, run <= 1.2; list and search under 1 s).
Usage: python benchmarks/bench_library.py [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_FILES = "cloud-instances-*.yaml"

# runs the CLI (or a timed load) on the inventories folder given as argv[1]
DRIVER = r"""
import sys, time
from pathlib import Path
import lca.core.resources as resources
root, what, rest = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
_find = resources._find
resources._find = lambda name: root if name == "inventories" else _find(name)
if what == "cli":
    from lca.cli import main
    sys.exit(main(rest))
from lca.library.background import load_library
start = time.perf_counter()
library = load_library.uncached(root) if what == "uncached" else load_library(root)
print(time.perf_counter() - start, len(library.datasets))
"""


def _run(cmd: list[str], env: dict) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return proc


def _wall(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    _run(cmd, env)
    return time.perf_counter() - start


def _inner(cmd: list[str], env: dict) -> float:
    return float(_run(cmd, env).stdout.split()[0])


def pre_instance_copy(scratch: Path) -> Path:
    """inventories/ without the cloud-instance files."""
    target = scratch / "pre" / "inventories"
    shutil.copytree(ROOT / "inventories", target,
                    ignore=lambda folder, names: [n for n in names if Path(n).match(INSTANCE_FILES)])
    return target


def measure(inventories: Path, scratch: Path, name: str, repeats: int) -> dict[str, float]:
    data = scratch / f"data-{name}"
    env = dict(os.environ, PYTHONWARNINGS="ignore", AI_LCA_DATA_DIR=str(data),
               BRIGHTWAY2_DIR=str(data / "brightway"))
    driver = [sys.executable, str(scratch / "driver.py"), str(inventories)]
    demo = str(inventories / "studies" / "demo-office-heating.yaml")
    run = driver + ["cli", "run", demo, "--format", "json", "--out", str(scratch / f"out-{name}"), "--quiet",
                    "--data-dir", str(data)]
    _run(run, env)  # fills the cache and builds the project
    figures: dict[str, list[float]] = {k: [] for k in ("uncached", "cached", "list", "search", "run")}
    for _ in range(repeats):
        figures["uncached"].append(_inner(driver + ["uncached"], env))
        figures["cached"].append(_inner(driver + ["cached"], env))
        figures["list"].append(_wall(driver + ["cli", "data", "list", "--json"], env))
        figures["search"].append(_wall(driver + ["cli", "data", "search", "instance"], env))
        figures["run"].append(_wall(run, env))
    count = int(_run(driver + ["cached"], env).stdout.split()[1])
    return {"datasets": count, **{k: round(statistics.median(v), 3) for k, v in figures.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ai-lca-bench-library-"))
    try:
        (scratch / "driver.py").write_text(DRIVER)
        (scratch / "bare").mkdir()
        pre = measure(pre_instance_copy(scratch), scratch, "pre", args.repeats)
        print(json.dumps({"pre": pre}), file=sys.stderr)
        full = measure(ROOT / "inventories", scratch, "full", args.repeats)
        print(json.dumps({"full": full}), file=sys.stderr)
        bare = statistics.median(_wall([sys.executable, "-c", "import bw2data, bw2calc"],
                                       dict(os.environ, BRIGHTWAY2_DIR=str(scratch / "bare")))
                                 for _ in range(args.repeats))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result: dict[str, object] = {"repeats": args.repeats, "bare_import_s": round(bare, 3)}
    for key in pre:
        result[f"{key}_pre" + ("" if key == "datasets" else "_s")] = pre[key]
        result[f"{key}_full" + ("" if key == "datasets" else "_s")] = full[key]
    for key in ("uncached", "cached", "list", "search", "run"):
        result[f"{key}_full_over_pre"] = round(full[key] / pre[key], 2) if pre[key] else None
    result["run_full_over_bare_import"] = round(full["run"] / bare, 2)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
