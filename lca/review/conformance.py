"""Goal, scope, critical review and data quality: the ``goal``, ``review`` and ``data_quality``
sections of a result, and the coded findings for what ISO 14044 requires of a comparative
assertion disclosed to the public but the study file lacks (docs/findings.md).

Rules (a study supports a public comparative assertion when ``goal.public_comparative_assertion``):

- no ``goal:`` at all: ``GOAL_NOT_STATED`` (minor);
- public comparative assertion, an item of the goal and scope empty: ``ISO_GOAL_ITEM_MISSING`` (major);
- public comparative assertion, no review by a panel: ``ISO_PANEL_REVIEW_MISSING`` (major);
- a panel of fewer than three members: ``ISO_PANEL_TOO_SMALL`` (major);
- public comparative assertion, no uncertainty analysis in the result: ``ISO_UNCERTAINTY_NOT_ANALYSED`` (major);
- no pedigree scores anywhere: ``DATA_QUALITY_NOT_ASSESSED`` (minor for a public comparative assertion, else info).

Higher-order effects not declared are lca.effects' ``NO_CONSEQUENCE_TREE``; the annex points to it.
"""

from __future__ import annotations

from dataclasses import replace

from lca.results import Finding, StudyResult
from lca.study import LoadedStudy
from lca.study.goal_schema import GOAL_ITEMS
from lca.study.pedigree import data_quality_section

PANEL_MIN = 3  # members of a review panel, chair included (Klöpffer 2012, Int J LCA 17:1087)
HIGHER_ORDER_KEYS = ("effects",)  # the result section that assesses them (lca.effects)


def missing_goal_items(goal) -> list[str]:
    """The items of the goal and scope the study leaves empty."""
    return [k for k in GOAL_ITEMS if not getattr(goal, k)]


def conformance_findings(result: StudyResult, loaded: LoadedStudy, data_quality: dict | None) -> list[Finding]:
    goal, review = loaded.model.goal, loaded.model.review
    public = bool(goal and goal.public_comparative_assertion)
    out = []
    if goal is None:
        out.append(Finding("GOAL_NOT_STATED", "minor", None,
                           "the study file has no `goal:` section (intended application, audience, public "
                           "comparative assertion, cut-off rule, allocation, data-quality requirements, limitations)"))
    elif public and missing_goal_items(goal):
        out.append(Finding("ISO_GOAL_ITEM_MISSING", "major", None,
                           "a public comparative assertion, but the goal and scope do not state: "
                           + ", ".join(f"`goal.{k}`" for k in missing_goal_items(goal))))
    if public and (review is None or review.type != "panel"):
        had = "no review" if review is None else f"a review of type `{review.type}`"
        out.append(Finding("ISO_PANEL_REVIEW_MISSING", "major", None,
                           f"a public comparative assertion needs a critical review by a panel of interested "
                           f"parties; the study has {had}"))
    if review is not None and review.type == "panel" and len(review.reviewers) < PANEL_MIN:
        out.append(Finding("ISO_PANEL_TOO_SMALL", "major", None,
                           f"the review panel lists {len(review.reviewers)} member(s); a panel has at least "
                           f"{PANEL_MIN}, including the chair"))
    if public and "uncertainty" not in result.extras:
        out.append(Finding("ISO_UNCERTAINTY_NOT_ANALYSED", "major", None,
                           "a public comparative assertion without uncertainty and sensitivity analysis: "
                           "run with `--iterations`"))
    if data_quality is None:
        out.append(Finding("DATA_QUALITY_NOT_ASSESSED", "minor" if public else "info", None,
                           "no parameter, exchange or dataset of the study has `pedigree` scores"))
    return out


def with_conformance(result: StudyResult, loaded: LoadedStudy) -> StudyResult:
    """A new result with ``goal``, ``review`` and ``data_quality`` in extras and the findings above."""
    model = loaded.model
    data_quality = data_quality_section(loaded)
    extras = dict(result.extras)
    extras["goal"] = (model.goal.model_dump() | {"practitioners": list(model.study.authors)}) if model.goal else None
    extras["review"] = model.review.model_dump() if model.review else None
    extras["data_quality"] = data_quality
    findings = (*result.findings, *conformance_findings(result, loaded, data_quality))
    return replace(result, findings=findings, extras=extras)
