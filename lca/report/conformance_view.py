"""The conformance annex: each reporting item of reports/templates/conformance.yaml with its status
for this result: covered (the section that shows it), missing (the finding that says so), or not
applicable (a comparison item in a footprint-only study, a public-assertion item in a study that
makes none).

Clause numbers are shown only where the data file marks them verified; other items say the
clause number was not verified rather than guess one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from lca.core.resources import templates_dir
from lca.review.conformance import HIGHER_ORDER_KEYS, PANEL_MIN
SECTION_NAMES = {"goal": "Goal, scope and review", "review": "Critical review", "scope": "Functional unit and scope",
                 "sources": "Data sources", "data-quality": "Data quality", "results": "Results per criterion",
                 "uncertainty": "Uncertainty, sensitivity and break-even", "completeness": "ITU-T L.1410 completeness",
                 "breakdowns": "The AI service on its own scale", "waterfalls": "From the reference to the AI solution",
                 "beyond-first-order": "Beyond first order"}


@dataclass(frozen=True)
class ConformanceRow:
    standard: str
    clause: str | None  # None: not verified
    item: str
    status: str  # covered | missing | not_applicable
    section: str | None  # anchor of the covering section
    section_name: str | None
    finding: str | None  # code of the finding that says it is missing
    finding_raised: bool  # the finding is in this result (its anchor exists)


@lru_cache(maxsize=1)
def annex_items() -> tuple[dict, ...]:
    data = yaml.safe_load((templates_dir() / "conformance.yaml").read_text(encoding="utf-8"))
    return tuple(data["items"])


def _goal_has(*fields):
    return lambda p: bool(p.get("goal")) and all(p["goal"].get(f) for f in fields)


CHECKS = {
    "always": lambda p: True,
    "general": lambda p: bool(p.get("goal")) and bool(p["goal"].get("commissioner")),
    "goal_purpose": _goal_has("reasons", "intended_application", "audience"),
    "goal_public": lambda p: bool(p.get("goal")),
    "goal_boundary": _goal_has("system_boundary"),
    "goal_cut_off": _goal_has("cut_off"),
    "goal_allocation": _goal_has("allocation"),
    "goal_data_quality": _goal_has("data_quality_requirements"),
    "goal_impact_assessment": _goal_has("impact_assessment"),
    "goal_limitations": _goal_has("limitations"),
    "data_quality": lambda p: bool(p.get("data_quality")),
    "review": lambda p: bool(p.get("review")),
    "panel": lambda p: bool(p.get("review")) and p["review"]["type"] == "panel" and len(p["review"]["reviewers"]) >= PANEL_MIN,
    "uncertainty": lambda p: bool(p.get("uncertainty")),
    "completeness": lambda p: not any(f["code"] == "MISSING_MANDATORY_UNIT_PROCESS" for f in p.get("findings", [])),
    "higher_order": lambda p: any(p.get(k) for k in HIGHER_ORDER_KEYS),
}


def _applies(item: dict, payload: dict) -> bool:
    comparative = "reference" in payload["systems"] and payload.get("net") is not None
    public = bool((payload.get("goal") or {}).get("public_comparative_assertion"))
    return {"all": True, "comparative": comparative, "public": public}[item["applies"]]


def conformance_rows(payload: dict) -> tuple[ConformanceRow, ...]:
    """The annex for one result (see the module docstring)."""
    raised = {f["code"] for f in payload.get("findings", [])}
    rows = []
    for item in annex_items():
        if not _applies(item, payload):
            status = "not_applicable"
        else:
            status = "covered" if CHECKS[item["check"]](payload) else "missing"
        finding = item.get("finding")
        if status == "missing" and finding not in raised and item.get("section") == "goal" and "GOAL_NOT_STATED" in raised:
            finding = "GOAL_NOT_STATED"  # no goal at all: that finding says it
        rows.append(ConformanceRow(item["standard"], item.get("clause"), item["item"], status,
                                   item.get("section"), SECTION_NAMES.get(item.get("section") or ""), finding,
                                   finding in raised))
    return tuple(rows)
