"""Many studies in one go (docs/batch.md): the same pipeline per study (``lca.pipeline.assess``),
serially, in a local process pool (default) or on a Dask cluster, with isolation (a failing study
becomes a row with its error), resumption (a study whose inputs are unchanged is not recomputed)
and one long table for all of them (``lca.io.tables``).

A study's *key* is the SHA-256 of its file's bytes, the library fingerprint and the options that
change its numbers (iterations, seed) and its outputs (formats): a rerun skips a study whose key
is in the state file with a successful outcome and whose outputs are still there.

Each worker process loads the library once and uses a Brightway data directory of its own
(``<data-dir>/workers/slot-<n>``, claimed with a lock for the process's lifetime), built on first
use and reused by later batches: workers never wait for one another's Brightway lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lca.core.errors import InputError, Problem
from lca.io.tables import Row, error_row, result_rows

STATE_VERSION = 1
STATE_FILE = ".lca-batch-state.json"
STUDY_FORMATS = ("json", "html", "pdf")


@dataclass(frozen=True)
class BatchOptions:
    """What every study of the batch is run with."""

    out_dir: str
    formats: tuple[str, ...] = ()  # per-study outputs: json, html, pdf (none by default)
    iterations: int = 0
    seed: int | None = None
    data_dir: str | None = None  # base data directory (workers use slots below it)

    def key_part(self) -> str:
        return json.dumps({"iterations": self.iterations, "seed": self.seed, "formats": sorted(self.formats)},
                          sort_keys=True)


@dataclass(frozen=True)
class StudyTask:
    path: str  # absolute path of the study file
    file: str  # the path as given (the long table's `file` column)
    key: str


@dataclass
class StudyOutcome:
    file: str
    key: str
    study: str  # study id, or the file's stem when it could not be read
    status: str  # ok | error
    error: str | None = None
    rows: list[Row] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    skipped: bool = False  # taken from the state file, not recomputed


# --------------------------------------------------------------------------- inputs

def study_files(sources: list[str]) -> list[tuple[str, Path]]:
    """(as given, absolute path) of every study: a folder gives its *.yaml files (sorted), a .txt
    or .list file one path per line (relative to the list's folder; # comments), a .yaml itself."""
    found: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if not files:
                problems.append(Problem(source, None, "(folder)", "no study files (*.yaml) in this folder"))
            found += [(str(p), p.resolve()) for p in files]
        elif path.suffix in (".txt", ".list") and path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                text = line.split("#", 1)[0].strip()
                if not text:
                    continue
                target = (path.parent / text)
                if not target.is_file():
                    problems.append(Problem(source, number, "(line)", f"study file {text!r} not found"))
                else:
                    found.append((str(Path(os.path.relpath(target)) if not Path(text).is_absolute() else target),
                                  target.resolve()))
        elif path.suffix in (".yaml", ".yml") and path.is_file():
            found.append((source, path.resolve()))
        else:
            problems.append(Problem(source, None, "(file)",
                                    "not found, or not a study folder, a study file (.yaml) or a list (.txt)"))
    seen: dict[Path, str] = {}
    for given, absolute in found:
        if absolute in seen:
            problems.append(Problem(given, None, "(file)", f"listed twice (also as {seen[absolute]})"))
        seen.setdefault(absolute, given)
    if problems:
        raise InputError(problems)
    if not found:
        raise InputError([Problem(" ".join(sources) or "(none)", None, "(input)", "no study files given")])
    return found


def study_key(path: Path, fingerprint: str, options: BatchOptions) -> str:
    digest = hashlib.sha256()
    digest.update(path.read_bytes())
    digest.update(b"\0" + fingerprint.encode() + b"\0" + options.key_part().encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- one study, in a worker

_WORKER: dict = {}


def _library():
    if "library" not in _WORKER:
        from lca.library.background import load_library

        _WORKER["library"] = load_library()
    return _WORKER["library"]


def claim_slot(base: Path) -> Path:
    """A data directory of this process's own below ``base``: the first free ``slot-<n>``."""
    import fcntl

    if "slot" in _WORKER:
        return _WORKER["slot"]
    folder = Path(base) / "workers"
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    while True:
        handle = open(folder / f"slot-{n}.lock", "a+")  # held for the process lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            n += 1
            continue
        _WORKER["slot_handle"] = handle  # held until the process exits
        _WORKER["slot"] = folder / f"slot-{n}"
        _WORKER["slot"].mkdir(exist_ok=True)
        return _WORKER["slot"]


def _worker_data_dir(options: BatchOptions, own_slot: bool) -> str | None:
    if not own_slot:
        return options.data_dir
    from lca.engine.datadir import data_directory

    return str(claim_slot(data_directory(options.data_dir)))


def run_study(task: StudyTask, options: BatchOptions, own_slot: bool = True) -> StudyOutcome:
    """Assess one study and turn it into long-table rows (and its files when asked); never raises
    for a problem of the study itself: the outcome carries the error."""
    from lca.pipeline import assess

    stem = Path(task.file).stem
    try:
        library = _library()
        result = assess(task.path, data_dir=_worker_data_dir(options, own_slot), library=library,
                        iterations=options.iterations, seed=options.seed)
        payload = result.to_dict()
        written = []
        if options.formats:
            from lca.io.publish import write_outputs

            written = [str(p) for p in write_outputs(result, Path(options.out_dir), list(options.formats))]
        return StudyOutcome(task.file, task.key, result.study["id"], "ok", rows=result_rows(payload, task.file),
                            written=written)
    except InputError as exc:
        message = "; ".join(str(p) for p in exc.problems[:5]) + (
            f" (+{len(exc.problems) - 5} more)" if len(exc.problems) > 5 else "")
        return StudyOutcome(task.file, task.key, stem, "error", message, [error_row(stem, task.file, message)])
    except Exception as exc:  # isolation: any failure is this study's, the batch goes on
        message = f"internal error: {type(exc).__name__}: {exc}"
        return StudyOutcome(task.file, task.key, stem, "error", message, [error_row(stem, task.file, message)])


# --------------------------------------------------------------------------- the state file

def _load_state(out_dir: Path) -> dict:
    try:
        state = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if state.get("version") != STATE_VERSION:
        return {}
    return state.get("studies", {})


def _save_state(out_dir: Path, outcomes: list[StudyOutcome], previous: dict | None = None) -> None:
    """Write the state file: every successful outcome (and the previous entries of studies not in
    this batch, so that a batch on a subset does not forget the others)."""
    from lca.core.atomic import write_json

    studies = dict(previous or {})
    for o in outcomes:
        if o.status == "ok":
            studies[o.file] = asdict(o) | {"skipped": False}
        else:
            studies.pop(o.file, None)
    write_json(out_dir / STATE_FILE, {"version": STATE_VERSION, "studies": studies})


class _Progress:
    """The progress bar, and the state file saved as studies complete (at most every few seconds),
    so that a batch killed half-way resumes from where it was."""

    SAVE_EVERY_S = 5.0

    def __init__(self, bar, out_dir: Path, previous: dict, save: bool):
        import time

        self.bar, self.out_dir, self.previous, self.save = bar, out_dir, previous, save
        self.finished: list[StudyOutcome] = []
        self._clock = time.monotonic
        self._last = self._clock()

    def done(self, outcome: StudyOutcome) -> None:
        self.bar.update(1)
        self.finished.append(outcome)
        if self.save and self._clock() - self._last >= self.SAVE_EVERY_S:
            _save_state(self.out_dir, self.finished, self.previous)
            self._last = self._clock()

    def close(self) -> None:
        self.bar.close()


def _reusable(entry: dict | None, key: str) -> StudyOutcome | None:
    if not entry or entry.get("key") != key or entry.get("status") != "ok":
        return None
    if not all(Path(p).is_file() for p in entry.get("written", [])):
        return None
    entry = dict(entry) | {"skipped": True}
    entry["rows"] = [tuple(r) for r in entry["rows"]]
    return StudyOutcome(**entry)


# --------------------------------------------------------------------------- the batch

@dataclass
class BatchResult:
    outcomes: list[StudyOutcome]
    previous_state: dict = field(default_factory=dict)  # the state file's entries when the batch began

    @property
    def rows(self) -> list[Row]:
        return [row for o in self.outcomes for row in o.rows]

    @property
    def failed(self) -> list[StudyOutcome]:
        return [o for o in self.outcomes if o.status != "ok"]

    @property
    def computed(self) -> list[StudyOutcome]:
        return [o for o in self.outcomes if not o.skipped]


def run_batch(sources: list[str], options: BatchOptions, *, jobs: int = 1, scheduler: str | None = None,
              resume: bool = True, progress: bool = False, library=None) -> BatchResult:
    """Run every study of ``sources``; return the outcomes in input order (not completion order).

    ``jobs`` > 1: a local process pool of that many workers; ``scheduler``: the address of a Dask
    distributed scheduler (``tcp://host:port``), one task per study. ``resume`` reuses the
    outcomes of studies whose key is unchanged (the state file in ``out_dir``).
    """
    if options.iterations and options.seed is None:
        raise InputError([Problem("--seed", None, "seed",
                                  "a batch with --iterations needs --seed, so that every run gives the same numbers")])
    bad = [f for f in options.formats if f not in STUDY_FORMATS]
    if bad:
        raise InputError([Problem("--format", None, "format", f"unknown per-study format {', '.join(bad)}")])
    files = study_files(sources)
    if library is None:
        library = _library()
    else:
        _WORKER.setdefault("library", library)
    out_dir = Path(options.out_dir)
    state = _load_state(out_dir) if resume else {}
    outcomes: dict[int, StudyOutcome] = {}
    tasks: list[tuple[int, StudyTask]] = []
    for i, (given, absolute) in enumerate(files):
        key = study_key(absolute, library.fingerprint, options)
        reused = _reusable(state.get(given), key)
        if reused is not None:
            outcomes[i] = reused
        else:
            tasks.append((i, StudyTask(str(absolute), given, key)))
    bar = _Progress(_bar(len(files), len(files) - len(tasks), progress), out_dir, state, resume)
    try:
        if scheduler:
            from .dask import run_on_dask

            done = run_on_dask(scheduler, [t for _, t in tasks], options, bar)
        elif jobs > 1 and len(tasks) > 1:
            done = _run_pool([t for _, t in tasks], options, jobs, bar)
        else:
            done = []
            for _, task in tasks:
                done.append(run_study(task, options, own_slot=False))
                bar.done(done[-1])
    finally:
        bar.close()
    for (i, _), outcome in zip(tasks, done):
        outcomes[i] = outcome
    ordered = [outcomes[i] for i in range(len(files))]
    _mark_duplicate_ids(ordered)
    return BatchResult(ordered, state)


def _mark_duplicate_ids(outcomes: list[StudyOutcome]) -> None:
    first: dict[str, str] = {}
    for o in outcomes:
        if o.status != "ok":
            continue
        if o.study in first:
            o.status, o.error = "error", f"duplicate study id {o.study!r} (also in {first[o.study]}); rename one"
            o.rows = [error_row(o.study, o.file, o.error)]
        else:
            first[o.study] = o.file


def _bar(total: int, initial: int, show: bool):
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, desc="studies", unit="study", file=sys.stderr,
                disable=None if show else True, leave=False)


def _run_pool(tasks: list[StudyTask], options: BatchOptions, jobs: int, bar) -> list[StudyOutcome]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("spawn")  # no Brightway state or lock inherited from this process
    results: dict[int, StudyOutcome] = {}
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        futures = {pool.submit(run_study, task, options): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as exc:  # the worker process died (killed, out of memory)
                task = tasks[i]
                message = f"worker failed: {type(exc).__name__}: {exc}"
                stem = Path(task.file).stem
                results[i] = StudyOutcome(task.file, task.key, stem, "error", message,
                                          [error_row(stem, task.file, message)])
            bar.done(results[i])
    return [results[i] for i in range(len(tasks))]


def write_batch(result: BatchResult, options: BatchOptions, table_formats) -> list[Path]:
    """The long table of every study (``<out>/results.<fmt>``) and the state file for resumption."""
    from lca.io.tables import write_tables

    out_dir = Path(options.out_dir)
    written = write_tables(result.rows, out_dir / "results", table_formats)
    _save_state(out_dir, result.outcomes, result.previous_state)
    return written
