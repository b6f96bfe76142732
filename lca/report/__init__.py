"""The report: a typed context built from the JSON result, rendered to HTML (Jinja2) and PDF
(WeasyPrint). See docs/report.md.

    from lca.report import render_html
    html = render_html(result)                 # a StudyResult or its JSON dict
"""

from __future__ import annotations

from pathlib import Path

from ..output import write_atomic
from .context import ReportContext, build_context


def _payload(result) -> dict:
    return result if isinstance(result, dict) else result.to_dict()


def _epoch() -> int | None:
    from ..pipeline import source_date_epoch

    return source_date_epoch()


def report_context(result) -> ReportContext:
    """The report context of a StudyResult (or its JSON dict), dated by SOURCE_DATE_EPOCH when set."""
    return build_context(_payload(result), epoch=_epoch())


def render_html(result) -> str:
    from .html import render_context

    return render_context(report_context(result))


def render_pdf(result) -> bytes:
    from .pdf import render_pdf_bytes

    return render_pdf_bytes(report_context(result))


def render_html_file(result, path: Path) -> Path:
    """Write the HTML report atomically; return its path."""
    return write_atomic(Path(path), render_html(result).encode("utf-8"))


def render_pdf_file(result, path: Path) -> Path:
    """Write the PDF report atomically; return its path."""
    return write_atomic(Path(path), render_pdf(result))


__all__ = ["ReportContext", "build_context", "render_html", "render_html_file", "render_pdf", "render_pdf_file",
           "report_context"]
