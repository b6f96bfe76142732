"""The report: a typed context built from the JSON result, rendered to HTML (Jinja2) and PDF
(WeasyPrint). See docs/report.md.

    from lca.report import render_html
    html = render_html(result)                 # a StudyResult or its JSON dict
"""

from __future__ import annotations

import os
from pathlib import Path

from lca.core.atomic import write_atomic
from lca.report.context import ReportContext, build_context
from lca.report.summarise import TOP_ROWS


def _payload(result) -> dict:
    return result if isinstance(result, dict) else result.to_dict()


def _epoch() -> int | None:
    """SOURCE_DATE_EPOCH when set (reproducible reports), else None (now)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return int(value) if value and value.isdigit() else None


def report_context(result, top: int | None = TOP_ROWS) -> ReportContext:
    """The report context of a StudyResult (or its JSON dict), dated by SOURCE_DATE_EPOCH when set;
    tables of activities keep their ``top`` largest rows (lca.report.summarise; None or 0: every row)."""
    return build_context(_payload(result), epoch=_epoch(), top=top)


def render_html(result, top: int | None = TOP_ROWS) -> str:
    from lca.report.html import render_context

    return render_context(report_context(result, top))


def render_pdf(result, top: int | None = TOP_ROWS) -> bytes:
    from lca.report.pdf import render_pdf_bytes

    return render_pdf_bytes(report_context(result, top))


def render_html_file(result, path: Path, top: int | None = TOP_ROWS) -> Path:
    """Write the HTML report atomically; return its path."""
    return write_atomic(Path(path), render_html(result, top).encode("utf-8"))


def render_pdf_file(result, path: Path, top: int | None = TOP_ROWS) -> Path:
    """Write the PDF report atomically; return its path."""
    return write_atomic(Path(path), render_pdf(result, top))


__all__ = ["TOP_ROWS", "ReportContext", "build_context", "render_html", "render_html_file", "render_pdf", "render_pdf_file",
           "report_context"]
