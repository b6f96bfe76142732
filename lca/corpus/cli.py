"""``lca audit``: the command-line side of the corpus audit (hooked into ``lca.cli``)."""

from __future__ import annotations


def add_parser(sub) -> None:
    a = sub.add_parser("audit", help="grade every claim of a claims table and write the corpus report")
    a.add_argument("corpus", metavar="CORPUS", help="a claims table: .csv, .xlsx or .yaml (docs/corpus.md)")
    a.add_argument("--out", default="out/corpus", metavar="DIR", help="output folder (default: out/corpus)")
    a.add_argument("--format", default="html,csv", metavar="LIST",
                   help="comma-separated: html, pdf (the corpus report), csv, xlsx, parquet (the tables) "
                        "(default: html,csv)")
    a.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes for the linked studies")
    a.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help="run the linked studies on Dask")
    a.add_argument("--data-dir", default=None, metavar="DIR", help="Brightway data directory")
    a.add_argument("--no-studies", action="store_true", help="grade the claims only; do not run the linked studies")
    a.add_argument("--quiet", action="store_true", help="print only the paths written")


def cmd_audit(args) -> int:
    from lca.batch.cli import split_formats

    from .audit import AUDIT_FORMATS, audit_corpus

    formats = split_formats(args.format, AUDIT_FORMATS)
    audit = audit_corpus(args.corpus, args.out, formats, jobs=args.jobs, scheduler=args.scheduler,
                         data_dir=args.data_dir, run_studies=not args.no_studies, progress=not args.quiet)
    if not args.quiet:
        for line in audit.summary_lines():
            print(line)
    for path in audit.written:
        print(f"wrote {path}")
    return 0 if not audit.failed_studies else 2
