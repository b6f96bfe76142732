"""Reading a claims table (CSV, XLSX or YAML) into raw rows, each with the row number a person
sees: the spreadsheet row (header = row 1) for CSV and XLSX, the line of the row's first key for
YAML. Every problem is located ``FILE:ROW: column: message``; nothing is guessed.

The columns are defined in docs/corpus.md and in ``COLUMNS`` below.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lca.core.errors import InputError, Problem

REQUIRED = ("id", "citation", "domain", "statement", "gain")
OPTIONAL = ("doi", "url", "claimed_gain_value", "claimed_gain_unit", "claimed_gain_criterion",
            "ai_service", "grade", "justification", "study", "note", "checked")
COLUMNS = REQUIRED + OPTIONAL
FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml"}
MAX_BYTES = 50_000_000
MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class RawRow:
    """One data row: its number in the file and its cells by column (blank cells are None)."""

    row: int
    cells: dict[str, object]
    lines: dict[str, int] | None = None  # YAML: the line of each cell

    def line(self, column: str) -> int:
        return (self.lines or {}).get(column, self.row)


def table_format(path: Path) -> str:
    """``csv``, ``xlsx`` or ``yaml`` from the file name; refuse anything else."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError([Problem(str(path), None, "(file)",
                                  f"unknown table format {path.suffix or '(no extension)'!r}; "
                                  "a claims table is a .csv, .xlsx or .yaml file")])
    return fmt


def read_rows(path: str | Path) -> list[RawRow]:
    """The data rows of a claims table; raise InputError (located) when it is not a usable table."""
    path = Path(path)
    fmt = table_format(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError([Problem(str(path), None, "(file)", f"cannot read the file: {exc.strerror}")]) from None
    if size > MAX_BYTES:
        raise InputError([Problem(str(path), None, "(file)",
                                  f"the file is {size:,} bytes; a claims table is at most {MAX_BYTES:,}")])
    if size == 0:
        raise InputError([_empty(path)])
    reader = {"csv": _read_csv, "xlsx": _read_xlsx, "yaml": _read_yaml}[fmt]
    rows = reader(path)
    if not rows:
        raise InputError([Problem(str(path), 2 if fmt != "yaml" else None, "(file)",
                                  "the table has a header but no claim rows")])
    return rows


def _empty(path: Path) -> Problem:
    return Problem(str(path), None, "(file)",
                   "the file is empty; a claims table needs a header row with the columns "
                   + ", ".join(REQUIRED) + " (and optional ones, docs/corpus.md)")


def _header(path: Path, names: Sequence[object], line: int) -> list[str]:
    """Check the header row: every required column, no unknown or repeated column."""
    problems, seen = [], []
    for name in names:
        text = "" if name is None else str(name).strip()
        if not text:
            problems.append(Problem(str(path), line, "(header)", "a column has no name; name it or delete it"))
        elif text not in COLUMNS:
            problems.append(Problem(str(path), line, text,
                                    f"unknown column {text!r}; the columns are {', '.join(COLUMNS)}"))
        elif text in seen:
            problems.append(Problem(str(path), line, text, "this column appears twice; keep one"))
        seen.append(text)
    for name in REQUIRED:
        if name not in seen:
            problems.append(Problem(str(path), line, name, f"missing column {name!r} (required)"))
    if problems:
        raise InputError(problems)
    return seen


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise InputError([Problem(str(path), None, "(file)",
                                  "this is not a text table (it contains binary data); "
                                  "save the claims as CSV (UTF-8), XLSX or YAML")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError([Problem(str(path), line, "(file)",
                                  "not UTF-8 text; save the CSV as UTF-8")]) from None


def _read_csv(path: Path) -> list[RawRow]:
    text = _decode(path)
    if not text.strip():
        raise InputError([_empty(path)])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = []
        for cells in reader:
            records.append((reader.line_num, cells))
            if len(records) > MAX_ROWS + 1:
                raise InputError([Problem(str(path), reader.line_num, "(file)",
                                          f"more than {MAX_ROWS:,} rows; split the table")])
    except csv.Error as exc:
        raise InputError([Problem(str(path), reader.line_num, "(file)",
                                  f"not a readable CSV table: {exc}")]) from None
    records = [(n, cells) for n, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise InputError([_empty(path)])
    header_line, header_cells = records[0]
    if len(header_cells) == 1 and not any(name.strip() in COLUMNS for name in header_cells):
        raise InputError([Problem(str(path), header_line, "(header)",
                                  "this is not a comma-separated claims table (one column found, no known "
                                  "column name); the first row must name the columns: " + ", ".join(REQUIRED))])
    names = _header(path, header_cells, header_line)
    rows, problems = [], []
    # the row number shown is the physical line where the record starts (as a spreadsheet shows it
    # when no cell spans several lines)
    previous_end = header_line
    for end_line, cells in records[1:]:
        start = previous_end + 1
        previous_end = end_line
        if len(cells) > len(names):
            problems.append(Problem(str(path), start, "(row)",
                                    f"{len(cells)} cells but {len(names)} columns; a cell has an unquoted comma?"))
            continue
        cells = cells + [""] * (len(names) - len(cells))
        rows.append(RawRow(start, {n: (None if _blank(c) else c.strip()) for n, c in zip(names, cells)}))
    if problems:
        raise InputError(problems)
    return rows


def _read_xlsx(path: Path) -> list[RawRow]:
    try:
        import openpyxl
    except ImportError:
        raise InputError([Problem(str(path), None, "(file)",
                                  "reading .xlsx needs openpyxl: pip install 'ai-lca[tables]'")]) from None
    import zipfile

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError([Problem(str(path), None, "(file)",
                                  f"not an Excel workbook (.xlsx): {type(exc).__name__}; save the table as .xlsx, "
                                  ".csv or .yaml")]) from None
    try:
        sheets = book.worksheets
        if len(sheets) != 1:
            titles = ", ".join(ws.title for ws in sheets)
            raise InputError([Problem(str(path), None, "(file)",
                                      f"the workbook has {len(sheets)} sheets ({titles}); keep the claims on one "
                                      "sheet so there is no doubt which table to read")])
        sheet = sheets[0]
        records = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(not _blank(v) for v in values):
                records.append((number, list(values)))
            if len(records) > MAX_ROWS + 1:
                raise InputError([Problem(str(path), number, "(file)", f"more than {MAX_ROWS:,} rows; split the table")])
    finally:
        book.close()
    if not records:
        raise InputError([_empty(path)])
    header_line, header_cells = records[0]
    while header_cells and _blank(header_cells[-1]):
        header_cells = header_cells[:-1]
    names = _header(path, header_cells, header_line)
    rows, problems = [], []
    for number, values in records[1:]:
        extra = [v for v in values[len(names):] if not _blank(v)]
        if extra:
            problems.append(Problem(str(path), number, "(row)", "a cell right of the last named column; name the column or clear the cell"))
            continue
        values = list(values[: len(names)]) + [None] * (len(names) - len(values))
        rows.append(RawRow(number, {n: (None if _blank(v) else (v.strip() if isinstance(v, str) else v))
                                    for n, v in zip(names, values)}))
    if problems:
        raise InputError(problems)
    return rows


def _read_yaml(path: Path) -> list[RawRow]:
    from lca.core.yamlio import load_yaml

    text = _decode(path)
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise InputError([_empty(path)])
    doc = load_yaml(path, text)
    data = doc.data
    if data is None:
        raise InputError([_empty(path)])
    if not isinstance(data, dict) or "claims" not in data:
        raise InputError([Problem(str(path), doc.line_of(()), "(file)",
                                  "not a claims table: a YAML claims table is a mapping with a `claims:` list "
                                  "of rows (docs/corpus.md)")])
    unknown = [k for k in data if k != "claims"]
    if unknown:
        raise InputError([Problem(str(path), doc.line_of((k,)), str(k), "unknown key; only `claims:` is read")
                          for k in unknown])
    items = data["claims"]
    if not isinstance(items, list):
        raise InputError([Problem(str(path), doc.line_of(("claims",)), "claims", "must be a list of rows")])
    rows, problems = [], []
    for i, item in enumerate(items):
        line = doc.line_of(("claims", i)) or 1
        if not isinstance(item, dict):
            problems.append(Problem(str(path), line, f"claims[{i}]", "a row must be a mapping of column: value"))
            continue
        for key in item:
            if key not in COLUMNS:
                problems.append(Problem(str(path), doc.line_of(("claims", i, key)), str(key),
                                        f"unknown column {key!r}; the columns are {', '.join(COLUMNS)}"))
        for name in REQUIRED:
            if name not in item:
                problems.append(Problem(str(path), line, name, f"missing column {name!r} (required)"))
        lines = {str(k): (doc.line_of(("claims", i, k)) or line) for k in item}
        rows.append(RawRow(line, {n: (None if _blank(item.get(n)) else item.get(n)) for n in COLUMNS}, lines))
    if problems:
        raise InputError(problems)
    return rows
