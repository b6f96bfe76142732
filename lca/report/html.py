"""Render the report as one self-contained HTML file (inline CSS and SVG, no script, no request).

Jinja2 autoescapes every value, so a claim statement such as ``<script>`` shows as text. A
Content-Security-Policy in the page forbids scripts and remote resources as a second guard.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from lca.core.errors import InstallationError
from lca.core.resources import templates_dir

from lca.report import fmt
from lca.report.context import ReportContext



@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates_dir())), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(num=fmt.num, signed=fmt.signed, pct=fmt.pct, link=fmt.link)
    return env


def render_context(context: ReportContext, *, pdf: bool = False) -> str:
    """The HTML text; ``pdf`` adds the paged-media CSS (page numbers, table of contents pages)."""
    return template("report.html.j2").render(r=context, pdf=pdf)


def template(name: str):
    """A report template by name; a missing one is a broken installation, said plainly."""
    try:
        return environment().get_template(name)
    except TemplateNotFound as exc:
        raise InstallationError(f"report template {exc.name!r} is missing from {templates_dir()}: "
                                "the installation is incomplete; reinstall ai-lca") from None
