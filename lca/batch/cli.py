"""``lca batch``: the command-line side of the batch runner (hooked into ``lca.cli``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

TABLE_FORMATS = ("csv", "xlsx", "parquet")
STUDY_FORMATS = ("json", "html", "pdf")


def add_parser(sub) -> None:
    b = sub.add_parser("batch", help="run many studies: one long table, per-study files on request")
    b.add_argument("sources", nargs="+", metavar="DIR|LIST|STUDY",
                   help="a folder of study files, a .txt list of study paths, or study files")
    b.add_argument("--out", default="out", metavar="DIR", help="output folder (default: out)")
    b.add_argument("--format", default="csv", metavar="LIST",
                   help="comma-separated: table formats csv, xlsx, parquet (results.<fmt>) and per-study "
                        "json, html, pdf (default: csv)")
    b.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes of the local pool (default: the number of CPUs; 1: in this process)")
    b.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="send the studies to this Dask distributed scheduler instead of a local pool")
    b.add_argument("--iterations", type=int, default=0, metavar="N", help="Monte Carlo iterations per study")
    b.add_argument("--seed", type=int, default=None, metavar="S", help="random seed (required with --iterations)")
    b.add_argument("--data-dir", default=None, metavar="DIR", help="Brightway data directory (workers use slots below it)")
    b.add_argument("--no-resume", action="store_true", help="recompute every study, even unchanged ones")
    b.add_argument("--quiet", action="store_true", help="no progress bar; print only the paths written")


def split_formats(text: str, allowed: tuple[str, ...]) -> list[str]:
    from lca.core.errors import InputError, Problem

    formats = [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in allowed]
    if unknown or not formats:
        raise InputError([Problem("--format", None, "format",
                                  f"unknown format {', '.join(unknown) or '(none)'}; use {', '.join(allowed)}")])
    return formats


def cmd_batch(args) -> int:
    from lca.core.errors import InputError, Problem

    from .runner import BatchOptions, run_batch, write_batch

    formats = split_formats(args.format, TABLE_FORMATS + STUDY_FORMATS)
    tables = [f for f in formats if f in TABLE_FORMATS] or ["csv"]
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise InputError([Problem("--jobs", None, "jobs", f"give at least 1 worker (got {jobs})")])
    options = BatchOptions(out_dir=str(Path(args.out)), formats=tuple(f for f in formats if f in STUDY_FORMATS),
                           iterations=args.iterations, seed=args.seed, data_dir=args.data_dir)
    result = run_batch(args.sources, options, jobs=jobs, scheduler=args.scheduler, resume=not args.no_resume,
                       progress=not args.quiet)
    written = write_batch(result, options, tables)
    ok = len(result.outcomes) - len(result.failed)
    if not args.quiet:
        print(f"{len(result.outcomes)} studies: {ok} ok, {len(result.failed)} failed, "
              f"{len(result.outcomes) - len(result.computed)} unchanged (not recomputed)")
    for o in result.failed:
        print(f"failed: {o.file}: {o.error}", file=sys.stderr)
    for o in result.computed:
        for name in o.written:
            print(f"wrote {name}")
    for path in written:
        print(f"wrote {path}")
    if not result.failed:
        return 0
    return 1 if any((o.error or "").startswith(("internal error", "worker failed")) for o in result.failed) else 2
