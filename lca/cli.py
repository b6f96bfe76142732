"""The ``lca`` command: thin argument parsing around the public API.

Exit codes: 0 ok, 2 invalid input (every problem printed as ``PATH:LINE: field: message``),
1 internal error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("json", "html", "pdf", "csv", "xlsx", "parquet")  # csv, xlsx, parquet: the long table (docs/tables.md)
DEFAULT_FORMATS = "json,html,pdf"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lca", description="Life-cycle assessment of AI services (ITU-T L.1410).")
    p.add_argument("--version", action="version", version=f"ai-lca {_version()}")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check study files without computing them")
    v.add_argument("paths", nargs="+", metavar="PATH")
    _brightway_arguments(v, methods=False)

    r = sub.add_parser("run", help="assess a study and write its results")
    r.add_argument("study", metavar="STUDY")
    r.add_argument("--out", default="out", metavar="DIR", help="output folder (default: out)")
    r.add_argument("--format", default=DEFAULT_FORMATS, metavar="LIST",
                   help=f"comma-separated output formats among {', '.join(FORMATS)} (default: {DEFAULT_FORMATS})")
    r.add_argument("--data-dir", default=None, metavar="DIR",
                   help="Brightway data directory (default: $AI_LCA_DATA_DIR or the per-user data directory)")
    r.add_argument("--quiet", action="store_true", help="print only the paths written")
    r.add_argument("--iterations", type=_iterations, default=0, metavar="N",
                   help="Monte Carlo iterations of both systems with shared draws, plus sensitivity "
                        f"(default 0: deterministic only; at most {MAX_ITERATIONS:,})")
    r.add_argument("--seed", type=_seed, default=None, metavar="S",
                   help="random seed: the same seed gives the same results (default: a fresh seed, written in the JSON)")
    _brightway_arguments(r)
    r.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="set_values",
                   help='give a study parameter another value, e.g. --set energy="1287 MWh" (repeatable)')
    r.add_argument("--variant", action="append", default=[], metavar="DATASET=VARIANT",
                   help="use this variant of a dataset wherever the study uses it (repeatable)")
    r.add_argument("--scenario", default=None, metavar="NAME",
                   help="run one of the study's scenarios (default: the study as written, every scenario side by side)")
    r.add_argument("--report-rows", type=_report_rows, default=None, metavar="N",
                   help="rows kept per table of activities in the HTML and PDF reports, the rest aggregated in "
                        "one row (default 25; 0: every row; the JSON and CSV always hold every row)")
    r.add_argument("--pedigree-uncertainty", action="store_true",
                   help="in the Monte Carlo, turn the study's pedigree scores into lognormal spreads "
                        "(factors: inventories/data-quality/pedigree-factors.yaml; off by default)")

    d = sub.add_parser("data", help="browse the background library (datasets, values, sources)")
    dsub = d.add_subparsers(dest="data_command", required=True)
    dl = dsub.add_parser("list", help="list the datasets with their default values")
    dl.add_argument("--kind", default=None, help="only this kind (electricity, equipment, storage, network, ...)")
    dl.add_argument("--json", action="store_true", help="print JSON: every dataset with variants and sources")
    ds = dsub.add_parser("show", help="show one dataset: every variant, value, unit and source")
    ds.add_argument("dataset", metavar="ID", help="dataset id, or id@variant")
    ds.add_argument("--json", action="store_true", help="print JSON")
    _data_search_arguments(dsub)

    e = sub.add_parser("export", help="write a study into a Brightway project of your own (to link it to ecoinvent)")
    e.add_argument("study", metavar="STUDY")
    e.add_argument("--project", required=True, help="Brightway project to write into (created if missing)")
    e.add_argument("--brightway-dir", default=None, metavar="DIR",
                   help="Brightway's base directory (default: $BRIGHTWAY2_DIR, else Brightway's own default)")

    i = sub.add_parser("import", help="write a study from a measurement log")
    isub = i.add_subparsers(dest="import_command", required=True)
    ic = isub.add_parser("codecarbon", help="a study of the full training footprint from CodeCarbon's emissions.csv")
    ic.add_argument("log", metavar="EMISSIONS_CSV")
    ic.add_argument("--out", default=None, metavar="STUDY.yaml", help="study file to write (default: <study-id>.yaml)")
    ic.add_argument("--id", default=None, help="study id (default: from the log's project name)")
    ic.add_argument("--run", default=None, metavar="RUN_ID", help="import one run (default: every run of the log)")
    ic.add_argument("--gpu", default=None, metavar="DATASET", help="GPU dataset when the model is not recognised")
    ic.add_argument("--datacentre", default="datacentre.industry-average", metavar="DATASET",
                    help="dataset whose PUE is added when the log has none (default: datacentre.industry-average)")
    ic.add_argument("--force", action="store_true", help="overwrite an existing study file")
    from .batch.cli import add_parser as add_batch
    from .corpus.cli import add_parser as add_audit

    add_batch(sub)
    add_audit(sub)
    return p


def _brightway_arguments(p: argparse.ArgumentParser, methods: bool = True) -> None:
    """Options naming the user's own Brightway project and methods (docs/own-brightway.md)."""
    g = p.add_argument_group("your own Brightway project (docs/own-brightway.md)")
    g.add_argument("--brightway-project", default=None, metavar="NAME",
                   help="project holding the activities `brightway:` exchanges name (overrides the study's)")
    g.add_argument("--brightway-dir", default=None, metavar="DIR",
                   help="its Brightway directory (default: $BRIGHTWAY2_DIR, else Brightway's own default)")
    if methods:
        g.add_argument("--brightway-method", action="append", nargs="+", default=[], metavar="PART",
                       help='compute one of our criteria with a method of yours for your activities: '
                            '--brightway-method gwp "IPCC 2021" "climate change" "GWP 100a" (repeatable)')
        g.add_argument("--brightway-criterion", action="append", nargs="+", default=[], metavar="PART",
                       help="add a criterion of your own: --brightway-criterion acidification \"EF v3.1\" "
                            "acidification \"accumulated exceedance (AE)\" (repeatable)")


def _brightway_options(args):
    """The Brightway options of ``lca run`` / ``lca validate``, or None when none is given."""
    from lca.core.errors import InputError, Problem
    from lca.engine.user_background import BrightwayOptions

    mapped: dict[str, dict[str, list[str]]] = {"methods": {}, "criteria": {}}
    for option, key in (("--brightway-method", "methods"), ("--brightway-criterion", "criteria")):
        for parts in getattr(args, option[2:].replace("-", "_"), None) or []:
            if len(parts) < 2:
                raise InputError([Problem(option, None, option[2:].replace("-", "_"),
                                          f"give a criterion id then the method's names: {option} gwp "
                                          '"IPCC 2021" "climate change" "GWP 100a"')])
            mapped[key][parts[0]] = parts[1:]
    if not (args.brightway_project or args.brightway_dir or mapped["methods"] or mapped["criteria"]):
        return None
    return BrightwayOptions(args.brightway_project, args.brightway_dir, mapped["methods"], mapped["criteria"])


MAX_ITERATIONS = 1_000_000
PROGRESS_FROM = 20_000  # iterations from which a progress bar is shown (on a terminal)


def _whole_number(text: str, low: int, high: int, what: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not low <= n <= high:
        raise argparse.ArgumentTypeError(f"give {what} between {low} and {high:,} (got {text[:30]})")
    return n


def _iterations(text: str) -> int:
    return _whole_number(text, 0, MAX_ITERATIONS, "a number of iterations")


MAX_SEED = 2**32 - 1  # the seeds ai-lca draws itself are below 2**32; JSON readers keep them exact


def _seed(text: str) -> int:
    return _whole_number(text, 0, MAX_SEED, "a seed")


def _report_rows(text: str) -> int:
    return _whole_number(text, 0, 1_000_000, "a number of rows")


def _version() -> str:
    from lca import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    import gc

    # a study of 10,000 activities allocates millions of objects that live to the end of the run:
    # collecting every 700 allocations walks them again and again (20 to 40 % of a large run)
    gc.set_threshold(200_000, 50, 100)
    args = None
    try:
        args = _parser().parse_args(argv)
        return _commands()[args.command](args)
    except KeyboardInterrupt:
        _interrupted()
        return EXIT_INTERRUPTED
    except Exception as exc:  # anything not an input problem is our bug: say so, no traceback
        from lca.core.errors import DataDirectoryError, InputError, InstallationError, OutputError

        if isinstance(exc, InputError):
            _print_problems(exc, args)
            return EXIT_INPUT
        if isinstance(exc, (DataDirectoryError, OutputError)):
            print(f"lca: {exc}", file=sys.stderr)
            return EXIT_INPUT
        if isinstance(exc, InstallationError):  # a broken install: not the user's input, not our bug either
            print(f"lca: {exc}", file=sys.stderr)
            return EXIT_INTERNAL
        print(f"lca: internal error: {type(exc).__name__}: {exc}\n"
              "Please report it with the study file; set LCA_DEBUG=1 for the traceback.", file=sys.stderr)
        import os

        if os.environ.get("LCA_DEBUG"):
            raise
        return EXIT_INTERNAL


def _commands() -> dict:
    from .batch.cli import cmd_batch
    from .corpus.cli import cmd_audit

    return {"validate": cmd_validate, "run": cmd_run, "data": cmd_data, "import": cmd_import, "export": cmd_export,
            "batch": cmd_batch, "audit": cmd_audit}


def _interrupted() -> None:
    """Ctrl-C: one line, no traceback, and no second traceback if Ctrl-C is pressed again."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        print("lca: interrupted", file=sys.stderr)
    except Exception:
        pass


def _print_problems(exc, args=None) -> None:
    """Each problem on one line; a problem of a command-line option (``Problem("--kind", ...)``) as
    ``lca data search: --kind: message`` (the option's field added when it says more than the option
    name: ``lca run: --set (set.energie): ...``), not ``--kind:1: kind: ...``, which reads as a file."""
    for problem in exc.problems:
        if problem.path.startswith("--"):
            words = [getattr(args, a, None) for a in ("command", "data_command", "import_command")]
            prog = " ".join(["lca"] + [w for w in words if isinstance(w, str)])
            plain = problem.field in ("", problem.path[2:], problem.path[2:].replace("-", "_"))
            where = problem.path if plain else f"{problem.path} ({problem.field})"
            print(f"{prog}: {where}: {problem.message}", file=sys.stderr)
        else:
            print(problem, file=sys.stderr)
    changed = _changed_by_options(args)
    if changed and any(not p.path.startswith("--") for p in exc.problems):
        # the located lines are the study's, but their values follow from the options
        print(f"lca {args.command}: with {', '.join(changed)} (the study as written may be valid)", file=sys.stderr)


def _changed_by_options(args) -> list[str]:
    """The options that change the study's values (``--set a="1 kWh"``, ``--variant``, ``--scenario``)."""
    given = [f'--set {n}="{v}"' for n, _, v in (i.partition("=") for i in getattr(args, "set_values", None) or ())]
    given += [f"--variant {v}" for v in getattr(args, "variant", None) or ()]
    scenario = getattr(args, "scenario", None)
    return given + ([f"--scenario {scenario}"] if isinstance(scenario, str) else [])


def cmd_validate(args) -> int:
    from lca.library.background import load_library
    from lca.core.errors import InputError
    from lca.pipeline import validate

    library = load_library()
    status = EXIT_OK
    for path in args.paths:
        try:
            validate(path, library, brightway=_brightway_options(args))
            print(f"{path}: ok")
        except InputError as exc:
            _print_problems(exc, args)
            status = EXIT_INPUT
    return status


def cmd_run(args) -> int:
    from lca.core.errors import InputError, Problem

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InputError([Problem("--format", None, "format",
                                  f"unknown format {', '.join(unknown) or '(none)'}; use {', '.join(FORMATS)}")])
    from lca.pipeline import assess
    from lca.io.publish import check_writable_folder, write_outputs

    check_writable_folder(Path(args.out))  # before computing: a bad --out must not cost a whole run

    bar = None
    if args.iterations >= PROGRESS_FROM and not args.quiet:
        from tqdm import tqdm

        bar = tqdm(total=args.iterations, desc="Monte Carlo", unit="it", file=sys.stderr, disable=None, leave=False)
    try:
        result = assess(args.study, data_dir=args.data_dir, iterations=args.iterations, seed=args.seed,
                        progress=bar.update if bar is not None else None, scenario=args.scenario,
                        overrides=_pairs(args.set_values, "--set", "NAME=VALUE") or None,
                        variants=_pairs(args.variant, "--variant", "DATASET=VARIANT") or None,
                        brightway=_brightway_options(args),
                        pedigree_uncertainty=args.pedigree_uncertainty)
    finally:
        if bar is not None:
            bar.close()
    written = write_outputs(result, Path(args.out), formats, report_rows=args.report_rows)
    if any(f in formats for f in ("csv", "xlsx", "parquet")):
        from lca.io.tables import result_rows, write_tables

        rows = result_rows(result.to_dict(), args.study)
        written += write_tables(rows, Path(args.out) / result.study["id"], formats)
    if not args.quiet:
        print(summary_table(result))
        if "scenarios" in result.extras:
            print(scenario_table(result))
        if "uncertainty" in result.extras:
            print(uncertainty_table(result))
        for line in review_lines(result):
            print(line)
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def _pairs(items: list[str], option: str, form: str) -> dict[str, str]:
    """``["a=1 kWh", "b=2"]`` -> ``{"a": "1 kWh", "b": "2"}``; InputError for an item without ``=``."""
    from lca.core.errors import InputError, Problem

    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError([Problem(option, None, option.lstrip("-"), f"{item!r}: write {option} {form}")])
        if name.strip() in out:  # two values for one name: which one was meant is not ours to guess
            raise InputError([Problem(option, None, option.lstrip("-"),
                                      f"{name.strip()!r} is given twice ({out[name.strip()]!r} and {value.strip()!r}); "
                                      f"give {option} {name.strip()}=... once")])
        out[name.strip()] = value.strip()
    return out


def scenario_table(result) -> str:
    """The scenarios side by side: per scenario the AI solution's total (and net) on every criterion
    and final energy, each column in one reader's unit."""
    from lca.core.quantities import common_unit

    section = result.extras["scenarios"]
    rows = {"(as written)": section["base"], **section["rows"]}
    comparative = result.net is not None
    columns = [(c, c, info.unit) for c, info in result.criteria.items()] + [("energy", "energy", "kWh")]

    def value(row, crit, what):
        if what == "net":
            return (row["net"] or {}).get(crit) if crit != "energy" else row["energy_net"]
        ai = row["systems"]["ai"]
        return ai["energy"] if crit == "energy" else ai["total"][crit]

    header, cells = ["scenario"], [[name] for name in rows]
    for crit, name, unit in columns:
        for what in (("ai", "net") if comparative else ("ai",)):
            vals = [value(r, crit, what) for r in rows.values()]
            factor, shown = common_unit(vals, unit)
            header.append(f"{'net ' if what == 'net' else ''}{name} ({shown})")
            for line, v in zip(cells, vals):
                line.append("–" if v is None else (f"{v * factor:+.4g}" if what == "net" else f"{v * factor:.4g}"))
    table = [header, *cells]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = ["Scenarios (per functional unit" + (", AI solution and net" if comparative else ", AI solution") + "):"]
    for k, row in enumerate(table):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_data(args) -> int:
    import json

    from lca.library import catalog
    from lca.library.background import load_library

    if args.data_command == "search":
        return cmd_data_search(args)
    library = load_library()
    if args.data_command == "list":
        entries = catalog.list_datasets(library, args.kind)
        text = catalog.entries_json(entries) if args.json else catalog.format_list(library, entries)
    else:
        entry = catalog.show_dataset(library, args.dataset)
        text = json.dumps(entry, indent=2, ensure_ascii=False) if args.json else catalog.format_show(entry)
    try:
        print(text)
    except BrokenPipeError:  # `lca data list | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def _data_search_arguments(dsub) -> None:
    sp = dsub.add_parser("search", help="find datasets by text, kind, geography and source")
    sp.add_argument("text", nargs="*", metavar="WORD",
                    help="words that must all occur in the id, name, description, variants or sources")
    sp.add_argument("--kind", default=None, help="only this kind (electricity, equipment, storage, network, ...)")
    sp.add_argument("--geography", default=None, metavar="CODE",
                    help="only this geography (FRA, GLO, US-CA; USA or US also matches US-CA)")
    sp.add_argument("--source", default=None, metavar="TEXT", help="only datasets with a value whose source contains TEXT")
    sp.add_argument("--json", action="store_true", help="print JSON, as `lca data list --json` does")


def cmd_data_search(args) -> int:
    """``lca data search``: the datasets matching every filter; a message on stderr when none does."""
    from lca.library import catalog, search
    from lca.library.background import load_library

    library = load_library()
    query = search.Query(" ".join(args.text), args.kind, args.geography, args.source)
    entries = search.search_datasets(library, query)
    if not entries:
        print(search.no_match_message(library, query), file=sys.stderr)
    text = catalog.entries_json(entries) if args.json else (catalog.format_list(library, entries) if entries else "")
    try:
        if text:
            print(text)
    except BrokenPipeError:  # `lca data search gpu | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def cmd_export(args) -> int:
    import os

    from lca.library.background import load_library
    from lca.engine.export import export_study
    from lca.study import load_study, resolve

    from lca.engine.user_background import BrightwayOptions, with_user_background

    library = load_library()
    # activities of the user's own project it names (looked for in the export's directory) go as proxies
    loaded, library = with_user_background(load_study(args.study), library,
                                           BrightwayOptions(directory=args.brightway_dir))
    resolved = resolve(loaded, library)
    target = args.brightway_dir or os.environ.get("BRIGHTWAY2_DIR")
    if target is None:
        import platformdirs

        target = platformdirs.user_data_dir("Brightway3", "pylca")  # where bw2data looks by default
    summary = export_study(resolved, library, Path(target), args.project)
    print(f"Brightway directory {summary.brightway_dir}, project {summary.project!r}")
    print(f"  biosphere3: {'existing database kept, ' if summary.biosphere_reused else 'written, '}"
          f"{summary.flows_added} flow(s) added")
    print("  databases: ai-lca-indicators, ai-lca-background, " + summary.foreground)
    for system, (db, code) in summary.functional_units.items():
        print(f"  functional unit of {system}: ({db!r}, {code!r})")
    print("  methods: " + ", ".join(repr(m) for m in summary.methods))
    return EXIT_OK


def cmd_import(args) -> int:
    import yaml

    from lca.library.background import load_library
    from lca.io.codecarbon import study_from_log
    from lca.core.errors import InputError, Problem
    from lca.core.atomic import write_atomic
    from lca.study import load_study, resolve

    library = load_library()
    study, warnings = study_from_log(args.log, library, study_id=args.id, run_id=args.run, gpu=args.gpu,
                                     datacentre=args.datacentre)
    out = Path(args.out or f"{study['study']['id']}.yaml")
    if out.exists() and not args.force:
        raise InputError([Problem(str(out), None, "", "file exists; choose another --out or add --force")])
    header = (f"# Written by `lca import codecarbon {Path(args.log).name}`: the measured energy plus what\n"
              "# CodeCarbon leaves out. Review the assumptions, then: lca run " + out.name + "\n")
    write_atomic(out, (header + yaml.safe_dump(study, sort_keys=False, allow_unicode=True, width=100)).encode())
    resolve(load_study(out), library)  # what we wrote must be a valid study
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"wrote {out}\nnext: lca run {out}")
    return EXIT_OK


def review_lines(result) -> list[str]:
    """The claim's grade, the verdict and the major findings, one line each."""
    lines = []
    claim = result.extras.get("claim")
    if claim:
        lines.append(f"Grade of the claim's evidence: {claim['grade']} ({claim['rationale']})")
    for eq in result.extras.get("equivalents") or []:
        lines.append(f"Equivalent: {eq['system']} {eq['criterion']} {eq['total']:.4g} "
                     f"{result.criteria[eq['criterion']].unit} = {eq['value']:,.0f} x {eq['name']} "
                     f"({eq['per']:.4g} {eq['per_unit']})")
    verdict = result.extras.get("verdict")
    if verdict and verdict.get("summary"):
        lines.append(f"Verdict: {verdict['summary']}")
    if verdict and verdict.get("beyond_first_order"):
        lines.append(f"Beyond first order: {verdict['beyond_first_order']}")
    lines += survival_lines(result)
    major: dict[str, list[str]] = {}
    for f in result.findings:
        if f.severity == "major":
            major.setdefault(f.code, []).append(f.system or "study")
    if major:
        count = sum(len(v) for v in major.values())
        lines.append(f"{count} major finding(s): "
                     + "; ".join(f"{code} ({', '.join(systems)})" for code, systems in major.items())
                     + " (see the report)")
    return lines


def uncertainty_table(result) -> str:
    """Monte Carlo lines: per criterion the 95 % interval of the net (or of the AI system) and P(net < 0)."""
    from lca.uncertainty.sensitivity import drivers

    unc = result.extras["uncertainty"]
    lines = [f"Monte Carlo: {unc['iterations']:,} iterations, seed {unc['seed']}"]
    for cid, crit in result.criteria.items():
        if unc.get("net"):
            row = unc["net"][cid]
            lines.append(f"  net {crit.name}: 95 % interval [{row['p2_5']:+.4g}, {row['p97_5']:+.4g}] {crit.unit}/FU, "
                         f"P(net < 0) = {row['p_benefit']:.1%}, {unc['verdicts'][cid]}")
        else:
            row = unc["systems"]["ai"][cid]
            lines.append(f"  AI {crit.name}: 95 % interval [{row['p2_5']:.4g}, {row['p97_5']:.4g}] {crit.unit}/FU")
        rows = (result.extras.get("sensitivity") or {}).get(cid) or []
        hinges = drivers(rows)
        if hinges:
            lines.append("    hinges on " + ", ".join(f"{label} (Sobol ST {st:.2f})" for label, st in hinges))
    return "\n".join(lines)


def _summary_row(name: str, values: list[float], unit: str) -> list[str]:
    """[name, unit/FU, AI, reference, net] with the three numbers in one reader's unit."""
    from lca.core.quantities import common_unit

    factor, shown = common_unit(values, unit)
    cells = [f"{v * factor:.4g}" for v in values]
    if len(cells) == 3:
        cells[2] = f"{values[2] * factor:+.4g}"
    return [name, f"{shown}/FU", *cells]


def survival_lines(result) -> list[str]:
    """Per judged criterion, how much of the claimed gain (or of the gain enabled) survives."""
    verdict = result.extras.get("verdict") or {}
    lines = []
    for cid, c in (verdict.get("criteria") or {}).items():
        kept = c.get("survival") or {}
        if kept.get("surviving_share") is not None:
            lines.append(f"  {cid}: {kept['text']}")
    return (["What survives of the gain once the AI service is counted:"] + lines) if lines else []


def summary_table(result) -> str:
    """A plain-text table: one row per criterion and one for final energy, columns AI, reference, net.

    Each row is in the unit a reader expects (tCO2e rather than 8.4e+04 kgCO2e, MWh rather than kWh).
    """
    has_ref = result.net is not None
    header = ["criterion", "unit", "AI solution"] + (["reference", "net (AI - ref)"] if has_ref else [])
    rows = [header]
    for cid, crit in result.criteria.items():
        values = [result.systems["ai"].total[cid]]
        if has_ref:
            values += [result.systems["reference"].total[cid], result.net[cid]]
        rows.append(_summary_row(crit.name, values, crit.unit))
    energy = {k: s.energy.total for k, s in result.systems.items() if s.energy is not None}
    if "ai" in energy:
        values = [energy["ai"]] + ([energy["reference"], energy["ai"] - energy["reference"]] if has_ref else [])
        rows.append(_summary_row("Final energy (electricity, fuels)", values, "kWh"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    fu = result.study["functional_unit"]
    lines = [f"{result.study['name']} — per functional unit: {fu['quantity']:g} {fu['unit']} ({fu['description']})"]
    for k, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
