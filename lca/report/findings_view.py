"""Findings written for the reader: each finding's message as rendered text, with what its code
means and what would resolve it, from ``reports/templates/findings.yaml`` (shipped with the
templates, so the explanation is inside the report, not in docs the reader does not have).

Messages and explanations may quote study-file names in `backticks`; they are shown as
``<code>`` after escaping, so no markup from a message can reach the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml
from markupsafe import Markup, escape

from lca.core.resources import templates_dir

SEVERITY_ORDER = {"major": 0, "minor": 1, "info": 2}
_TICKS = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Explanation:
    title: str
    meaning: str
    resolve: str


@dataclass(frozen=True)
class FindingView:
    code: str
    severity: str
    system: str  # the system's name, or "study"
    message: Markup
    title: str
    meaning: Markup
    resolve: Markup


@lru_cache(maxsize=1)
def explanations() -> dict[str, Explanation]:
    """Code -> explanation, from the shipped findings.yaml."""
    data = yaml.safe_load((templates_dir() / "findings.yaml").read_text(encoding="utf-8"))
    return {code: Explanation(e["title"], " ".join(e["meaning"].split()), " ".join(e["resolve"].split()))
            for code, e in data.items()}


def rendered(text: str) -> Markup:
    """Plain text for HTML: escaped, `quoted names` as <code>, nothing else interpreted."""
    out, last = [], 0
    for m in _TICKS.finditer(text):
        out.append(escape(text[last:m.start()]))
        out.append(Markup("<code>{}</code>").format(m.group(1)))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def finding_views(findings: list[dict], systems: dict[str, str]) -> tuple[FindingView, ...]:
    """The result's findings, major first, each with its explanation."""
    known = explanations()
    out = []
    for f in sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.get("severity", ""), 9)):
        e = known.get(f["code"]) or Explanation(f["code"].replace("_", " ").lower(), "no explanation recorded for "
                                                "this code", "–")
        system = systems.get(f["system"], f["system"]) if f.get("system") else "study"
        out.append(FindingView(f["code"], f.get("severity", "info"), system, rendered(f.get("message", "")),
                               e.title, rendered(e.meaning), rendered(e.resolve)))
    return tuple(out)


@dataclass(frozen=True)
class FindingGroup:
    """Every finding of one code: its explanation once, then each occurrence."""

    code: str
    severity: str
    title: str
    meaning: Markup
    resolve: Markup
    items: tuple[FindingView, ...]


def finding_groups(views: tuple[FindingView, ...]) -> tuple[FindingGroup, ...]:
    """Findings grouped by code, in the order of their first (most severe) occurrence."""
    groups: dict[str, list[FindingView]] = {}
    for v in views:
        groups.setdefault(v.code, []).append(v)
    out = []
    for code, items in groups.items():
        first = min(items, key=lambda v: SEVERITY_ORDER.get(v.severity, 9))
        out.append(FindingGroup(code, first.severity, first.title, first.meaning, first.resolve, tuple(items)))
    return tuple(sorted(out, key=lambda g: SEVERITY_ORDER.get(g.severity, 9)))
