"""Goal and scope, critical review and data quality in the study file (docs/study-format.md).

ISO 14044 asks an LCA to state its goal (intended application, reasons, audience, whether the
results support a comparative assertion disclosed to the public) and its scope (cut-off rule,
allocation, data-quality requirements, limitations), and requires a critical review by a panel
of interested parties for a comparative assertion disclosed to the public. What is missing
becomes a coded finding (lca/review/conformance.py); the report shows what is there and a
conformance annex maps each reporting item to its section or finding.

Pedigree scores (Weidema and Wesnæs 1996; ecoinvent's data quality guideline, Weidema et al.
2013) rate a value on five indicators from 1 (best) to 5 (worst). They are shown in the report's
data-quality table and, only when asked (``lca run --pedigree-uncertainty``), converted into
lognormal spreads for the Monte Carlo with the factors of inventories/data-quality/.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from lca.core.models import NonBlank, Strict

Score = int  # 1 (best) .. 5 (worst)
PEDIGREE_INDICATORS = ("reliability", "completeness", "temporal", "geographical", "technological")


class Pedigree(Strict):
    """Data-quality scores of one value, 1 (best) to 5 (worst), on the five pedigree indicators."""

    reliability: Score = Field(ge=1, le=5, description="1 verified measurements … 5 non-qualified estimate")
    completeness: Score = Field(ge=1, le=5, description="1 all relevant sites, adequate period … 5 unknown")
    temporal: Score = Field(ge=1, le=5, description="temporal correlation: 1 < 3 years of difference … 5 unknown or > 15 years")
    geographical: Score = Field(ge=1, le=5, description="geographical correlation: 1 area under study … 5 unknown or distinctly different area")
    technological: Score = Field(ge=1, le=5, description="further technological correlation: 1 same enterprises, processes and materials … 5 related processes on laboratory scale or different technology")
    note: str | None = Field(default=None, description="why these scores")


class Goal(Strict):
    """The goal and scope of the study, as ISO 14044 asks them to be stated."""

    intended_application: NonBlank | None = Field(default=None, description="what the results are for")
    reasons: NonBlank | None = Field(default=None, description="why the study is carried out")
    audience: NonBlank | None = Field(default=None, description="to whom the results are communicated")
    public_comparative_assertion: bool = Field(description=(
        "true when the results support a comparative assertion disclosed to the public (an "
        "'AI for green' claim usually is one): ISO 14044 then asks for every item and a panel review"))
    commissioner: NonBlank | None = Field(default=None, description="who commissioned the study")
    system_boundary: NonBlank | None = Field(default=None, description="what is in and out of both systems, beyond the activity list")
    cut_off: NonBlank | None = Field(default=None, description="the cut-off rule: what is left out below which share, and why")
    allocation: NonBlank | None = Field(default=None, description="how shared equipment and multi-output processes are allocated")
    impact_assessment: NonBlank | None = Field(default=None, description="why these criteria (category indicators) and methods")
    data_quality_requirements: NonBlank | None = Field(default=None, description="the time, place and technology the data must represent, and their precision")
    limitations: list[NonBlank] = Field(default=[], description="what the results cannot be used to say")


GOAL_ITEMS = ("intended_application", "reasons", "audience", "system_boundary", "cut_off", "allocation",
              "impact_assessment", "data_quality_requirements", "limitations")


class Reviewer(Strict):
    name: NonBlank
    affiliation: str | None = None
    role: str | None = Field(default=None, description='e.g. "chair"')


class Review(Strict):
    """The critical review of the study (ISO 14044; ISO/TS 14071 for the process)."""

    type: Literal["internal", "external_expert", "panel"] = Field(description=(
        "internal: by an expert of the practitioner's organisation; external_expert: by one expert "
        "independent of the study; panel: by a panel of interested parties (at least three members)"))
    reviewers: list[Reviewer] = Field(min_length=1)
    date: str = Field(description='the date of the review statement, "YYYY-MM-DD"')
    statement: NonBlank = Field(description="the reviewers' statement, as they wrote it")
    report: str | None = Field(default=None, description="where the review report can be read")

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, v):
        text = v.isoformat() if hasattr(v, "isoformat") else str(v)
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            raise ValueError('write the date as "YYYY-MM-DD"')
        return text
