"""The long table of results (docs/tables.md): one number per row, the same columns for one study
(``lca run --format csv``) and for a batch (``lca batch``), written as CSV, XLSX or Parquet.

    study, file, system, criterion, breakdown, key, statistic, value, unit

Rows come from the JSON result (docs/json-result.md), in a fixed order, so the same result gives
the same bytes (CSV, Parquet). Values are written with Python's shortest round-trip repr.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from lca.core.atomic import write_atomic

COLUMNS = ("study", "file", "system", "criterion", "breakdown", "key", "statistic", "value", "unit")
TABLE_FORMATS = ("csv", "xlsx", "parquet")
BREAKDOWNS = (("by_stage", "stage"), ("by_phase", "phase"), ("by_tier", "tier"), ("by_activity", "activity"))
VERDICT_KEYS = ("ai_service", "target_system", "gross_gain", "net")
Row = tuple  # the values of COLUMNS, in order


def result_rows(payload: dict, file: str) -> list[Row]:
    """The long-table rows of one JSON result (``StudyResult.to_dict()``)."""
    sid = payload["study"]["id"]
    units = {k: c["unit"] for k, c in payload["criteria"].items()}
    units.setdefault("energy", "kWh")  # final energy, sampled beside the criteria in the Monte Carlo
    rows: list[Row] = []

    def add(system, criterion, breakdown, key, statistic, value, unit=None):
        rows.append((sid, file, system, criterion, breakdown, key, statistic,
                     None if value is None else float(value), units.get(criterion, "") if unit is None else unit))

    for skey, system in payload["systems"].items():
        for crit in payload["criteria"]:
            add(skey, crit, "total", "", "value", system["total"][crit])
        for field, name in BREAKDOWNS:
            for key, values in system[field].items():
                for crit in payload["criteria"]:
                    add(skey, crit, name, key, "value", values.get(crit, 0.0))
    if payload.get("net") is not None:
        for crit in payload["criteria"]:
            add("net", crit, "total", "", "value", payload["net"][crit])
    verdict = payload.get("verdict")
    if verdict:
        for crit, row in verdict["criteria"].items():
            for key in VERDICT_KEYS:
                add("ai", crit, "verdict", key, "value", row[key])
            add("ai", crit, "verdict", "ai_service_share", "value", row["ai_service_share"], "1")
    unc = payload.get("uncertainty")
    if unc:
        for skey, crits in unc["systems"].items():
            for crit, stats in crits.items():
                for stat in ("mean", "p2_5", "p50", "p97_5"):
                    add(skey, crit, "total", "", stat, stats[stat])
        for crit, stats in (unc.get("net") or {}).items():
            for stat in ("mean", "p2_5", "p50", "p97_5"):
                add("net", crit, "total", "", stat, stats[stat])
            add("net", crit, "total", "", "p_benefit", stats["p_benefit"], "1")
    return rows


def error_row(study: str, file: str, message: str) -> Row:
    """A study that failed: one row, ``breakdown`` = ``error`` and the message in ``key``."""
    return (study, file, "", "", "error", message, "", None, "")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


def csv_bytes(rows: list[Row]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def parquet_bytes(rows: list[Row]) -> bytes:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        from lca.core.errors import OutputError

        raise OutputError("writing Parquet needs pyarrow: pip install 'ai-lca[tables]'") from None
    columns = list(zip(*rows)) if rows else [()] * len(COLUMNS)
    schema = pa.schema([(name, pa.float64() if name == "value" else pa.string()) for name in COLUMNS])
    table = pa.table({name: list(values) for name, values in zip(COLUMNS, columns)}, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def xlsx_bytes(rows: list[Row]) -> bytes:
    try:
        import openpyxl
    except ImportError:
        from lca.core.errors import OutputError

        raise OutputError("writing XLSX needs openpyxl: pip install 'ai-lca[tables]'") from None
    import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "results"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    stamp = datetime.datetime(2000, 1, 1)  # fixed: the workbook's own dates carry no information
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WRITERS = {"csv": csv_bytes, "xlsx": xlsx_bytes, "parquet": parquet_bytes}


def write_tables(rows: list[Row], stem: Path, formats) -> list[Path]:
    """Write ``<stem>.<format>`` for each table format asked, atomically; return the paths."""
    written = []
    for fmt in TABLE_FORMATS:
        if fmt in formats:
            written.append(write_atomic(Path(f"{stem}.{fmt}"), WRITERS[fmt](rows)))
    return written


def read_csv_rows(path: Path) -> list[list[str]]:
    """The rows of a long-table CSV, header first (tests, and tools that merge tables)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))
