"""Render the report as PDF with WeasyPrint: the HTML report plus paged-media CSS (A4, page
numbers, table of contents with page references, bookmarks)."""

from __future__ import annotations

import logging

from lca.report.context import ReportContext
from lca.report.html import render_context


def render_pdf_bytes(context: ReportContext) -> bytes:
    from weasyprint import HTML  # imported here: WeasyPrint (Pango) loads slowly

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_context(context, pdf=True)
    return HTML(string=html, base_url=None).write_pdf(
        pdf_identifier=context.provenance.get("study_sha256", "ai-lca")[:32].encode())
