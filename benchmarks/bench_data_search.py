"""`lca data search` on a library of thousands of datasets (the shipped ones, copied under new ids).

Builds the index once (the first search), then times searches of each kind of filter, and the
JSON-ready entries of the matches. Prints JSON lines: datasets, index build time, and per query
the number of matches and the seconds it took.

Usage: python benchmarks/bench_data_search.py [--copies 8]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

from lca.library import search
from lca.library.background import load_library
from lca.library.search import Query


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=8, help="copies of the shipped library (default 8)")
    args = parser.parse_args()
    base = load_library()
    datasets = dict(base.datasets)
    for k in range(1, args.copies):
        datasets.update({f"{i}-copy{k}": ds.model_copy(update={"id": f"{ds.id}-copy{k}"})
                         for i, ds in base.datasets.items()})
    library = replace(base, datasets=datasets)
    t = time.perf_counter()
    search.matching_ids(library, Query("x"))
    print(json.dumps({"datasets": len(datasets), "index_s": round(time.perf_counter() - t, 4)}))
    for query in (Query("nvidia h100"), Query(kind="electricity", geography="US"), Query(source="EcoLogits"),
                  Query("gpu", kind="equipment", source="Boavizta")):
        t = time.perf_counter()
        found = search.matching_ids(library, query)
        filtered = time.perf_counter() - t
        t = time.perf_counter()
        search.search_datasets(library, query)
        print(json.dumps({"query": query.describe(), "matches": len(found), "filter_s": round(filtered, 4),
                          "with_entries_s": round(time.perf_counter() - t, 4)}))


if __name__ == "__main__":
    main()
