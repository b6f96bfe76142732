"""Write the result files of a run: ``<out>/<study-id>.<format>``, each atomically."""

from __future__ import annotations

from pathlib import Path

from lca.core.atomic import write_json
from lca.results import StudyResult


def write_outputs(result: StudyResult, out_dir: Path, formats: list[str]) -> list[Path]:
    """Write the requested formats; return the paths written, in order."""
    def target(fmt: str) -> Path:  # not with_suffix: an id such as "tiny.v2" keeps its dot
        return Path(out_dir) / f"{result.study['id']}.{fmt}"

    written: list[Path] = []
    if "json" in formats:
        written.append(write_json(target("json"), result.to_dict()))
    from lca.report import render_html_file, render_pdf_file

    renderers = {"html": render_html_file, "pdf": render_pdf_file}
    for fmt in ("html", "pdf"):
        if fmt in formats:
            written.append(renderers[fmt](result, target(fmt)))
    return written
