"""``lca audit``, top to bottom: read and check the claims table → grade every claim → check and
run the studies the rows link to (the batch runner) → one row per claim with its grade and, where
a study exists, its verdict → the corpus report and the tables.

Nothing is written before the table and every linked study have been checked: a bad input stops
the audit with every located problem (exit 2) and leaves the output folder as it was.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lca.core.errors import InputError

from .claims import Corpus, GradedClaim, grade_counts, load_corpus

AUDIT_FORMATS = ("html", "pdf", "csv", "xlsx", "parquet")
NO_STUDY = "no study"
# the columns of claims.<fmt>, one row per claim (docs/tables.md)
CLAIM_COLUMNS = ("id", "row", "domain", "citation", "doi", "url", "grade", "graded_by", "evidence_grade",
                 "agrees", "gain", "ai_service", "claimed_gain_value", "claimed_gain_unit", "claimed_gain_criterion",
                 "study", "study_id", "verdict", "burden_shift", "criterion", "criterion_status", "survives", "ai_service_share",
                 "net", "study_error")


@dataclass
class AuditRow:
    """One claim of the corpus, graded, with its study's verdict when it has one."""

    graded: GradedClaim
    study_id: str | None = None
    report: str | None = None  # the study's HTML report, relative to the corpus report
    verdict: str = NO_STUDY  # holds | holds_on_some | does_not_hold | cannot_tell | no study | study failed
    burden_shift: bool | None = None
    criterion: str | None = None  # the criterion the claim is judged on
    criterion_status: str | None = None  # the study's verdict on it: holds | does_not_hold | cannot_tell
    survives: bool | None = None  # holds: True, does_not_hold: False, cannot_tell: None
    ai_service_share: float | None = None  # how much of the gain the AI service eats, on that criterion
    net: float | None = None
    shares: dict[str, float | None] = field(default_factory=dict)  # every criterion
    study_error: str | None = None

    @property
    def id(self) -> str:
        return self.graded.item.id

    def table_row(self) -> tuple:
        item, grade, claim = self.graded.item, self.graded.grade, self.graded.item.claim
        gain = claim.claimed_gain
        return (item.id, item.row, claim.domain, claim.source.citation, claim.source.doi, claim.source.url,
                grade.grade, grade.graded_by, grade.evidence_grade,
                None if grade.agrees is None else str(grade.agrees).lower(), claim.evaluated.gain,
                ", ".join(claim.evaluated.ai_service), gain.value if gain else None, gain.unit if gain else None,
                gain.criterion if gain else None, item.study_text, self.study_id, self.verdict,
                None if self.burden_shift is None else str(self.burden_shift).lower(), self.criterion,
                self.criterion_status, None if self.survives is None else str(self.survives).lower(), self.ai_service_share, self.net,
                self.study_error)


@dataclass
class Audit:
    corpus: Corpus
    rows: list[AuditRow]
    criteria: dict[str, dict]
    study_rows: list[tuple] = field(default_factory=list)  # the long table of the linked studies
    written: list[Path] = field(default_factory=list)

    @property
    def failed_studies(self) -> list[AuditRow]:
        return [r for r in self.rows if r.study_error]

    def counts(self) -> dict[str, int]:
        return grade_counts([r.graded for r in self.rows])

    def summary_lines(self) -> list[str]:
        counts = self.counts()
        with_study = [r for r in self.rows if r.verdict != NO_STUDY]
        lines = [f"{len(self.rows)} claims graded: " + ", ".join(f"{g} {n}" for g, n in counts.items())]
        disagree = [r.id for r in self.rows if r.graded.grade.agrees is False]
        if disagree:
            lines.append(f"analyst grade disagrees with the evidence: {', '.join(disagree)}")
        if with_study:
            judged = Counter(r.criterion_status for r in with_study)
            lines.append(f"{len(with_study)} claims audited by a study: the gain survives the AI service in "
                         f"{judged['holds']}, does not in {judged['does_not_hold']}, cannot tell in "
                         f"{judged['cannot_tell']}")
        for r in self.failed_studies:
            lines.append(f"study failed for {r.id}: {r.study_error}")
        return lines


def judged_criterion(row: GradedClaim, criteria: list[str]) -> str:
    """The criterion a claim is judged on: its claimed gain's (energy: primary energy, pe), else GWP."""
    gain = row.item.claim.claimed_gain
    if gain is not None:
        if gain.criterion == "energy" and "pe" in criteria:
            return "pe"
        if gain.criterion in criteria:
            return gain.criterion
    return "gwp" if "gwp" in criteria else criteria[0]


def _with_verdict(row: AuditRow, payload: dict, criteria: list[str]) -> None:
    verdict = payload.get("verdict")
    row.study_id = payload["study"]["id"]
    if not verdict:
        row.verdict = "footprint only"
        return
    row.verdict = verdict["status"]
    row.burden_shift = bool(verdict["burden_shift"])
    crit = judged_criterion(row.graded, criteria)
    judged = verdict["criteria"][crit]
    row.criterion = crit
    row.criterion_status = judged["status"]
    row.survives = {"holds": True, "does_not_hold": False}.get(judged["status"])
    row.ai_service_share = judged["ai_service_share"]
    row.net = judged["net"]
    row.shares = {k: v["ai_service_share"] for k, v in verdict["criteria"].items()}


def audit_corpus(corpus_path: str | Path, out_dir: str | Path, formats, *, jobs: int | None = None,
                 scheduler: str | None = None, data_dir: str | None = None, run_studies: bool = True,
                 progress: bool = False, library=None) -> Audit:
    """Grade every claim of a claims table, run the studies its rows link to, write the report."""
    import os

    from lca.library.background import load_library
    from lca.pipeline import validate

    library = library or load_library()
    criteria = list(library.criteria)
    corpus = load_corpus(corpus_path, tuple(criteria))  # InputError: nothing written
    graded = corpus.graded()
    rows = [AuditRow(g) for g in graded]
    out = Path(out_dir)
    # the studies as paths relative to the working folder: the tables name no machine path
    studies = sorted({os.path.relpath(g.item.study) for g in graded if g.item.study is not None}) if run_studies else []
    problems = []
    for study in studies:  # every linked study checked before anything is computed or written
        try:
            validate(study, library)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    study_rows: list[tuple] = []
    if studies:
        from lca.batch.runner import BatchOptions, run_batch

        study_formats = ("json", "html") + (("pdf",) if "pdf" in formats else ())
        options = BatchOptions(out_dir=str(out / "studies"), formats=study_formats, data_dir=data_dir)
        result = run_batch(studies, options, jobs=jobs or (os.cpu_count() or 1), scheduler=scheduler,
                           progress=progress, library=library)
        from lca.batch.runner import write_batch

        write_batch(result, options, [])  # the state file: a rerun recomputes only changed studies
        by_file = {o.file: o for o in result.outcomes}
        study_rows = result.rows
        for row in rows:
            item = row.graded.item
            if item.study is None:
                continue
            outcome = by_file[os.path.relpath(item.study)]
            if outcome.status != "ok":
                row.verdict, row.study_error = "study failed", outcome.error
                continue
            payload = json.loads((out / "studies" / f"{outcome.study}.json").read_text(encoding="utf-8"))
            _with_verdict(row, payload, criteria)
            row.report = f"studies/{outcome.study}.html"
    audit = Audit(corpus, rows, {k: {"name": c.name, "unit": c.unit} for k, c in _criteria(library).items()},
                  study_rows)
    audit.written = write_audit(audit, out, formats)
    return audit


def _criteria(library):
    from lca.balance.breakdown import criteria_info

    return criteria_info(library)


def write_audit(audit: Audit, out: Path, formats) -> list[Path]:
    from lca.core.atomic import write_atomic
    from lca.io.tables import write_tables

    from .report import render_corpus_html, render_corpus_pdf

    written = []
    if "html" in formats:
        written.append(write_atomic(out / "corpus.html", render_corpus_html(audit).encode("utf-8")))
    if "pdf" in formats:
        written.append(write_atomic(out / "corpus.pdf", render_corpus_pdf(audit)))
    tables = [f for f in formats if f in ("csv", "xlsx", "parquet")]
    if tables:
        written += _write_claims_table(audit, out / "claims", tables)
        if audit.study_rows:
            written += write_tables(audit.study_rows, out / "studies", tables)
    return written


def _write_claims_table(audit: Audit, stem: Path, formats) -> list[Path]:
    """claims.<fmt>: one row per claim (CLAIM_COLUMNS), in table order."""
    import csv
    import io

    from lca.core.atomic import write_atomic

    rows = [r.table_row() for r in audit.rows]
    written = []
    if "csv" in formats:
        text = io.StringIO(newline="")
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(CLAIM_COLUMNS)
        for row in rows:
            writer.writerow(["" if v is None else (repr(v) if isinstance(v, float) else v) for v in row])
        written.append(write_atomic(Path(f"{stem}.csv"), text.getvalue().encode("utf-8")))
    if "xlsx" in formats:
        import openpyxl

        book = openpyxl.Workbook()
        book.active.title = "claims"
        book.active.append(list(CLAIM_COLUMNS))
        for row in rows:
            book.active.append(list(row))
        data = io.BytesIO()
        book.save(data)
        written.append(write_atomic(Path(f"{stem}.xlsx"), data.getvalue()))
    if "parquet" in formats:
        import pyarrow as pa
        import pyarrow.parquet as pq

        numeric = {"row": pa.int64(), "claimed_gain_value": pa.float64(), "ai_service_share": pa.float64(),
                   "net": pa.float64()}
        schema = pa.schema([(c, numeric.get(c, pa.string())) for c in CLAIM_COLUMNS])
        columns = list(zip(*rows))
        table = pa.table({c: list(v) for c, v in zip(CLAIM_COLUMNS, columns)}, schema=schema)
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        written.append(write_atomic(Path(f"{stem}.parquet"), sink.getvalue().to_pybytes()))
    return written


def grade_flows(rows: list[AuditRow]) -> tuple[Counter, Counter]:
    """(domain, grade) and (grade, verdict) counts: the two stages of the Sankey diagram."""
    first = Counter((r.graded.item.claim.domain, r.graded.grade.grade) for r in rows)
    second = Counter((r.graded.grade.grade, r.verdict) for r in rows)
    return first, second


__all__ = ["AUDIT_FORMATS", "Audit", "AuditRow", "asdict", "audit_corpus", "grade_flows", "judged_criterion"]
