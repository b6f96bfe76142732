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
- family:    the first read of the cloud-instance family (lca.library.families), nothing cached: what
             the first ``lca data list`` or the first study naming an ``instance.*`` pays, once

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
if what == "family":  # the first read of the pending families, nothing cached
    import os, tempfile
    os.environ["AI_LCA_DATA_DIR"] = tempfile.mkdtemp()
    library = load_library.uncached(root)
    start = time.perf_counter()
    count = len(library.datasets)
    print(time.perf_counter() - start, count)
    sys.exit(0)
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


def _commands(inventories: Path, scratch: Path, name: str) -> tuple[dict[str, list[str]], dict]:
    data = scratch / f"data-{name}"
    env = dict(os.environ, PYTHONWARNINGS="ignore", AI_LCA_DATA_DIR=str(data),
               BRIGHTWAY2_DIR=str(data / "brightway"))
    driver = [sys.executable, str(scratch / "driver.py"), str(inventories)]
    demo = str(inventories / "studies" / "demo-office-heating.yaml")
    return {"uncached": driver + ["uncached"], "cached": driver + ["cached"],
            "list": driver + ["cli", "data", "list", "--json"],
            "search": driver + ["cli", "data", "search", "instance"],
            "run": driver + ["cli", "run", demo, "--format", "json", "--out", str(scratch / f"out-{name}"),
                             "--quiet", "--data-dir", str(data)]}, env


def measure(libraries: dict[str, Path], scratch: Path, repeats: int) -> dict[str, dict[str, float]]:
    """Each figure of each library, the libraries taken in turn (paired in time on a busy machine)."""
    setups = {name: _commands(inventories, scratch, name) for name, inventories in libraries.items()}
    for commands, env in setups.values():
        _run(commands["run"], env)  # fills the cache and builds the project
        _run(commands["list"], env)  # and the family's cache
    figures = {name: {k: [] for k in FIGURES} for name in libraries}
    for _ in range(repeats):
        for key in FIGURES:
            for name, (commands, env) in setups.items():
                timer = _inner if key in ("uncached", "cached") else _wall
                figures[name][key].append(timer(commands[key], env))
    out = {}
    for name, (commands, env) in setups.items():
        count = int(_run(commands["uncached"], env).stdout.split()[1])
        out[name] = {"datasets": count, **{k: round(statistics.median(v), 3) for k, v in figures[name].items()}}
    return out


FIGURES = ("uncached", "cached", "list", "search", "run")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ai-lca-bench-library-"))
    try:
        (scratch / "driver.py").write_text(DRIVER)
        (scratch / "bare").mkdir()
        both = measure({"pre": pre_instance_copy(scratch), "full": ROOT / "inventories"}, scratch, args.repeats)
        pre, full = both["pre"], both["full"]
        commands, env = _commands(ROOT / "inventories", scratch, "full")
        family = _inner(commands["uncached"][:-1] + ["family"], env)
        bare = statistics.median(_wall([sys.executable, "-c", "import bw2data, bw2calc"],
                                       dict(os.environ, BRIGHTWAY2_DIR=str(scratch / "bare")))
                                 for _ in range(args.repeats))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result: dict[str, object] = {"repeats": args.repeats, "bare_import_s": round(bare, 3)}
    for key in pre:
        result[f"{key}_pre" + ("" if key == "datasets" else "_s")] = pre[key]
        result[f"{key}_full" + ("" if key == "datasets" else "_s")] = full[key]
    for key in FIGURES:
        result[f"{key}_full_over_pre"] = round(full[key] / pre[key], 2) if pre[key] else None
    result["run_full_over_bare_import"] = round(full["run"] / bare, 2)
    result["family_first_read_s"] = round(family, 3)  # once per library version: instance.* read and checked
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
