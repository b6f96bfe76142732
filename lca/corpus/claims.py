"""A claims corpus: every row of a claims table checked and built into the project's ``Claim``
model (the same one a study's ``claim:`` section uses), then graded with ``grade_claim``.

Every problem of every row is collected and raised at once (``InputError``), located
``FILE:ROW: column: message``. A row is never half-read: a value that cannot be read with
certainty (an unknown grade, an evidence value not on the scale, a claimed gain with two of its
three parts) is refused.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from lca.core.errors import InputError, Problem
from lca.review.grading import GRADES, ClaimGrade, grade_claim
from lca.study.schema import Claim

from .read import RawRow, read_rows

GAIN_VALUES = ("none", "mention", "words", "indirect", "quantitative")
GAIN_COLUMNS = ("claimed_gain_value", "claimed_gain_unit", "claimed_gain_criterion")
DEFAULT_CRITERIA = ("gwp", "adpe", "pe")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
# pydantic location in the Claim model -> column of the table
_COLUMN_OF = {
    ("source", "citation"): "citation", ("source", "doi"): "doi", ("source", "url"): "url",
    ("domain",): "domain", ("statement",): "statement", ("claimed_gain", "value"): "claimed_gain_value",
    ("claimed_gain", "unit"): "claimed_gain_unit", ("claimed_gain", "criterion"): "claimed_gain_criterion",
    ("evaluated", "gain"): "gain", ("evaluated", "ai_service"): "ai_service", ("grade",): "grade",
    ("justification",): "justification",
}


@dataclass(frozen=True)
class CorpusClaim:
    """One row of the corpus: where it is, the claim as the project models it, and its study."""

    id: str
    row: int
    claim: Claim
    study: Path | None = None  # the study file that audits this claim, resolved against the table's folder
    study_text: str | None = None  # the study cell as written
    note: str | None = None
    checked: str | None = None


@dataclass(frozen=True)
class GradedClaim:
    item: CorpusClaim
    grade: ClaimGrade


@dataclass(frozen=True)
class Corpus:
    path: str
    claims: tuple[CorpusClaim, ...]
    sha256: str = ""

    def graded(self) -> list[GradedClaim]:
        """Every claim graded on the a-e scale (``lca.grading.grade_claim``), in table order."""
        return [GradedClaim(c, grade_claim(c.claim)) for c in self.claims]


@dataclass
class _Row:
    """Collects one row's problems with their columns."""

    path: str
    raw: RawRow
    problems: list[Problem] = field(default_factory=list)

    def fail(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.raw.line(column), column, message))


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _number(r: _Row, column: str, value):
    if isinstance(value, bool):
        r.fail(column, f"{value!r} is not a number")
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().replace("\u2212", "-")
        if text.endswith("%"):
            r.fail(column, f"{text!r}: write the number alone ({text[:-1].strip()}) and % in claimed_gain_unit")
            return None
        try:
            number = float(text)
        except ValueError:
            r.fail(column, f"{text!r} is not a number (use a dot for decimals: 16.7)")
            return None
    if not math.isfinite(number):
        r.fail(column, f"{value!r} is not a finite number")
        return None
    return number


def _ai_service(r: _Row, value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        items = [_text(v) for v in value]
    else:
        items = [part.strip() for part in re.split(r"[,;]", str(value))]
    if any(not item for item in items):
        r.fail("ai_service", f"{value!r}: an empty entry; list unit processes like C1, C2, A+B1")
        return []
    return [str(item) for item in items]


def build_claim(path: str, raw: RawRow, criteria: tuple[str, ...]) -> tuple[CorpusClaim | None, list[Problem]]:
    """One row -> (CorpusClaim, []) or (None, its problems)."""
    r = _Row(path, raw)
    cells = raw.cells
    cid = _text(cells.get("id"))
    if cid is None:
        r.fail("id", "empty; every claim needs an id (letters, digits, - . _)")
    elif not _ID.match(cid):
        r.fail("id", f"{cid!r}: an id is letters, digits, '-', '.' or '_' (at most 100), no spaces")
    for column in ("citation", "domain", "statement", "gain"):
        if _text(cells.get(column)) is None:
            r.fail(column, "empty; this column is required for every claim")
    gain = _text(cells.get("gain"))
    if gain is not None and gain not in GAIN_VALUES:
        r.fail("gain", f"unknown evidence value {gain!r}; use one of {', '.join(GAIN_VALUES)}")
    grade = _text(cells.get("grade"))
    if grade is not None and grade not in GRADES:
        r.fail("grade", f"unknown grade {grade!r}; use one of {', '.join(GRADES)} (a worst, e best) or leave it empty")
    justification = _text(cells.get("justification"))
    if grade is not None and justification is None:
        r.fail("justification", "an analyst grade needs a justification (why the evidence columns do not say it all)")
    if grade is None and justification is not None:
        r.fail("grade", "a justification is given but no grade; set the analyst's grade or clear the justification")
    present = [c for c in GAIN_COLUMNS if cells.get(c) is not None]
    claimed = None
    if present and len(present) < 3:
        missing = [c for c in GAIN_COLUMNS if c not in present]
        r.fail(missing[0], f"a claimed gain needs value, unit and criterion; {', '.join(missing)} missing "
                           "(or clear the other claimed_gain columns)")
    elif present:
        value = _number(r, "claimed_gain_value", cells["claimed_gain_value"])
        criterion = _text(cells["claimed_gain_criterion"])
        if criterion not in (*criteria, "energy"):
            r.fail("claimed_gain_criterion",
                   f"unknown criterion {criterion!r}; use one of {', '.join(criteria)} or energy "
                   "(keep other figures in the statement)")
        claimed = {"value": value, "unit": _text(cells["claimed_gain_unit"]), "criterion": criterion}
    services = _ai_service(r, cells.get("ai_service"))
    study_text = _text(cells.get("study"))
    study = None
    if study_text is not None:
        study = (Path(path).parent / study_text).resolve()
        if not study.is_file():
            r.fail("study", f"study file {study_text!r} not found (a path relative to the table's folder)")
    if r.problems or cid is None:
        return None, r.problems
    source = {"citation": _text(cells["citation"])}
    for key in ("doi", "url"):
        if _text(cells.get(key)) is not None:
            source[key] = _text(cells[key])
    data = {"source": source, "domain": _text(cells["domain"]), "statement": _text(cells["statement"]),
            "evaluated": {"gain": gain, "ai_service": services}}
    if claimed is not None:
        data["claimed_gain"] = claimed
    if grade is not None:
        data |= {"grade": grade, "justification": justification}
    try:
        model = Claim.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(x for x in err["loc"] if not isinstance(x, int))
            column = _COLUMN_OF.get(loc, "justification" if not loc else ".".join(map(str, loc)))
            message = err["msg"].removeprefix("Value error, ")
            if column == "ai_service":
                message = f"{message} (in {cells.get('ai_service')!r})"
            r.fail(column, message)
        return None, r.problems
    return CorpusClaim(cid, raw.row, model, study, study_text, _text(cells.get("note")),
                       _text(cells.get("checked"))), []


def load_corpus(path: str | Path, criteria: tuple[str, ...] = DEFAULT_CRITERIA) -> Corpus:
    """Read and check a claims table; raise InputError with every located problem."""
    import hashlib

    path = Path(path)
    rows = read_rows(path)
    problems: list[Problem] = []
    claims: list[CorpusClaim] = []
    first_row: dict[str, int] = {}
    for raw in rows:
        item, row_problems = build_claim(str(path), raw, tuple(criteria))
        problems.extend(row_problems)
        cid = _text(raw.cells.get("id"))
        if cid is not None:
            if cid in first_row:
                problems.append(Problem(str(path), raw.line("id"), "id",
                                        f"duplicate id {cid!r} (first at row {first_row[cid]}); ids must be unique"))
            else:
                first_row[cid] = raw.row
        if item is not None:
            claims.append(item)
    if problems:
        raise InputError(problems)
    return Corpus(str(path), tuple(claims), hashlib.sha256(path.read_bytes()).hexdigest())


def grade_counts(graded: list[GradedClaim]) -> dict[str, int]:
    """Claims per grade, a to e (every grade present, zero when none)."""
    counts = Counter(g.grade.grade for g in graded)
    return {grade: counts.get(grade, 0) for grade in GRADES}
