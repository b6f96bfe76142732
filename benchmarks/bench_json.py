"""CPU seconds of writing the JSON result of a generated large study, step by step, in process.

Runs ``lca.assess`` once on ``bench_large.study_text(N, SHAPE)`` (a data folder of its own under the
system's temporary folder unless AI_LCA_DATA_DIR is set), then times, the smallest of ``--repeat``:

- ``to_dict``: ``StudyResult.to_dict()`` (every record a dict of its own, for library users);
- ``json_tree``: ``StudyResult.json_tree()`` (the records' own ``__dict__``: what ``lca run`` writes);
- ``json_bytes``: ``lca.core.atomic.json_bytes`` of that tree (``lca.core.jsonfast``);
- ``step``: ``json_tree`` then ``json_bytes``, as ``lca.io.publish.write_outputs`` does;

and checks that both trees give the same bytes. Compare two checkouts by running this script
with each (PYTHONPATH) one after the other, or with docs/performance.md's figures.

Usage: python benchmarks/bench_json.py [--activities 10000] [--shape chain] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_large import study_text


def smallest(repeat: int, step) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        value = step()
        best = min(best, time.process_time() - start)
    return best, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=10000)
    parser.add_argument("--shape", default="chain", choices=["flat", "chain", "ring"])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ai-lca-bench-json-"))
    os.environ.setdefault("AI_LCA_DATA_DIR", str(folder / "data"))
    os.environ.setdefault("BRIGHTWAY2_DIR", str(Path(os.environ["AI_LCA_DATA_DIR"]) / "bw"))
    study = folder / f"{args.shape}-{args.activities}.yaml"
    study.write_text(study_text(args.activities, args.shape))
    gc.set_threshold(200_000, 50, 100)  # as lca.cli.main

    import lca
    from lca.core.atomic import json_bytes

    result = lca.assess(study)
    figures = {}
    figures["to_dict"], as_dicts = smallest(args.repeat, result.to_dict)
    figures["json_tree"], tree = smallest(args.repeat, result.json_tree)
    figures["json_bytes"], data = smallest(args.repeat, lambda: json_bytes(tree))
    figures["step"], _ = smallest(args.repeat, lambda: json_bytes(result.json_tree()))
    same = json_bytes(as_dicts) == data
    print(f"{args.shape} {args.activities}: " + ", ".join(f"{k} {v:.3f} s" for k, v in figures.items())
          + f"; {len(data) / 1e6:.1f} MB; to_dict's bytes {'the same' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
