"""Write the result files of a run: ``<out>/<study-id>.<format>``, as one set.

Every format is rendered in memory first, then all are written to temporaries and renamed:
a failure (a template error, disk full) leaves the previous outputs, never a mix of two runs.
"""

from __future__ import annotations

from pathlib import Path

from lca.core.atomic import check_writable_folder, json_bytes, write_set
from lca.results import StudyResult

__all__ = ["check_writable_folder", "write_outputs"]


def write_outputs(result: StudyResult, out_dir: Path, formats: list[str], report_rows: int | None = None) -> list[Path]:
    """Write the requested formats; return the paths written, in order. ``report_rows``: rows kept
    per table of activities in the HTML and PDF reports (default lca.report.summarise.TOP_ROWS; 0: all)."""
    def target(fmt: str) -> Path:  # not with_suffix: an id such as "tiny.v2" keeps its dot
        return Path(out_dir) / f"{result.study['id']}.{fmt}"

    files: dict[Path, bytes] = {}
    if "json" in formats:
        files[target("json")] = json_bytes(result.json_tree())  # the bytes of to_dict()'s
    if "html" in formats or "pdf" in formats:
        from lca.report import TOP_ROWS, render_html, render_pdf

        top = TOP_ROWS if report_rows is None else report_rows
        if "html" in formats:
            files[target("html")] = render_html(result, top).encode("utf-8")
        if "pdf" in formats:
            files[target("pdf")] = render_pdf(result, top)
    return write_set(files)
