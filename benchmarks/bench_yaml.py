"""Reading a large study file: the node builder, the event reader, and the event reader with the
flow-line path (lca/core/yamlflow.py), in the same process, on the generated studies of
bench_large.py (one activity per line, flow style). Prints seconds per reader and their ratios;
every reader must build the same data (checked).

Usage: python benchmarks/bench_yaml.py [--sizes 10000,100000] [--shapes flat,chain] [--repeats 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_large import study_text  # noqa: E402

from lca.core import yamlfast, yamlflow, yamlio  # noqa: E402


def by_nodes(text: str):
    """load_yaml's own reader: libyaml's composer, then the node builder."""
    builder = yamlio._Builder("study.yaml")
    return builder.build(yamlio.yaml.compose(text, Loader=yamlio._COMPOSER), ()), builder.lines


def events_only(text: str):
    """The event reader with the flow-line path switched off."""
    real = yamlflow.substitute
    yamlflow.substitute = lambda text, unsafe, typed: (text, {}, 0)
    try:
        return yamlfast.read_plain(text)
    finally:
        yamlflow.substitute = real


def best(read, text: str, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        out = read(text)
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--shapes", default="flat,chain")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    gc.set_threshold(200_000, 50, 100)  # as the CLI runs
    for shape in args.shapes.split(","):
        for n in (int(s) for s in args.sizes.split(",")):
            text = study_text(n, shape)
            row: dict = {"shape": shape, "activities": n, "mb": round(len(text) / 2**20, 2)}
            results = {}
            for name, read in (("nodes", by_nodes), ("events", events_only), ("flow", yamlfast.read_plain)):
                row[f"{name}_s"], results[name] = best(read, text, args.repeats)
            assert repr(results["nodes"][0]) == repr(results["events"][0]) == repr(results["flow"][0])
            row["events_vs_nodes"] = round(row["nodes_s"] / row["events_s"], 2)
            row["flow_vs_events"] = round(row["events_s"] / row["flow_s"], 2)
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
