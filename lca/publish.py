"""Write the result files of a run: ``<out>/<study-id>.<format>``, each atomically."""

from __future__ import annotations

from pathlib import Path

from .output import write_json
from .results import StudyResult


def write_outputs(result: StudyResult, out_dir: Path, formats: list[str]) -> list[Path]:
    """Write the requested formats; return the paths written, in order."""
    stem = Path(out_dir) / result.study["id"]
    written: list[Path] = []
    if "json" in formats:
        written.append(write_json(stem.with_suffix(".json"), result.to_dict()))
    renderers = _renderers()
    for fmt in ("html", "pdf"):
        if fmt in formats and fmt in renderers:
            written.append(renderers[fmt](result, stem.with_suffix(f".{fmt}")))
    return written


def _renderers() -> dict:
    """HTML and PDF renderers, when the report package provides them."""
    try:
        from .report import render_html_file, render_pdf_file
    except ImportError:
        return {}
    return {"html": render_html_file, "pdf": render_pdf_file}
