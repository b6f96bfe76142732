"""Grading a generated claims corpus: read the CSV table, build every Claim, grade every row.

Prints one JSON line per size with the wall time (median of --repeats) and the time per claim:
{"claims": 1000, "seconds": ..., "us_per_claim": ...}, then the ratio of the two sizes
(linear: about 10). Target: 10,000 claims in at most 10 s.

Usage: python benchmarks/bench_corpus.py [--sizes 1000 10000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

HEADER = ["id", "citation", "domain", "statement", "claimed_gain_value", "claimed_gain_unit",
          "claimed_gain_criterion", "gain", "ai_service", "grade", "justification"]
DOMAINS = ["buildings and cities", "transportation", "electricity systems", "climate prediction", "industry"]
GAINS = ["none", "mention", "words", "indirect", "quantitative"]
SERVICES = ["", "C1", "A+B1", "C1, C2", "A+B1; C1"]


def write_corpus(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(n):
            gain = rng.choice(GAINS)
            quantified = gain == "quantitative" and rng.random() < 0.7
            graded = rng.random() < 0.1
            writer.writerow([f"claim-{i:06d}", f"Author {i}, A. ({2015 + i % 10}). Paper {i}. Journal {i % 50}.",
                             rng.choice(DOMAINS), f"Our method saves energy (claim {i}).",
                             f"{rng.uniform(1, 40):.1f}" if quantified else "", "%" if quantified else "",
                             rng.choice(["energy", "gwp", "pe"]) if quantified else "", gain,
                             rng.choice(SERVICES) if gain == "quantitative" else "",
                             rng.choice("abcde") if graded else "", "analyst's reading" if graded else ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from lca.corpus import grade_counts, load_corpus

    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"corpus-{n}.csv"
            write_corpus(path, n)
            runs = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                graded = load_corpus(path).graded()
                grade_counts(graded)
                runs.append(time.perf_counter() - start)
            times[n] = statistics.median(runs)
            print(json.dumps({"claims": n, "seconds": round(times[n], 3),
                              "us_per_claim": round(times[n] / n * 1e6, 1), "repeats": args.repeats}))
    if len(args.sizes) >= 2:
        a, b = args.sizes[0], args.sizes[-1]
        print(json.dumps({"ratio": f"{b}/{a}", "time_ratio": round(times[b] / times[a], 2),
                          "size_ratio": b / a, "target_10000_s": 10.0}))


if __name__ == "__main__":
    main()
