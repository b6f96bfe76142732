"""The review step of the pipeline (after assess, before render): grade the claim, check ITU
completeness and give the verdict, returning a new ``StudyResult`` with these sections in
``extras`` (``claim``, ``verdict``, ``completeness``) and their findings appended.
"""

from __future__ import annotations

from dataclasses import replace

from lca.library.background import Library
from lca.review.conformance import with_conformance
from lca.review.completeness import completeness_findings, completeness_to_dict, study_completeness
from lca.core.errors import InputError, Problem
from lca.review.grading import claim_problems, grade_claim
from lca.results import Finding, StudyResult
from lca.study import LoadedStudy
from lca.review.verdict import verdict, verdict_findings
from lca.core.yamlio import dotted


def check_claim(loaded: LoadedStudy, library: Library) -> None:
    """Raise InputError (located) when the claim names something the method does not know."""
    claim = loaded.model.claim
    if claim is None:
        return
    problems = claim_problems(claim, list(library.criteria), loaded.doc.path, loaded.doc.line_of)
    gain = claim.claimed_gain
    if gain is not None and not problems and gain.unit.strip() != "%":
        unit = "kWh" if gain.criterion == "energy" else library.criteria[gain.criterion].unit
        if not _unit_fits(gain.unit, unit):
            loc = ("claim", "claimed_gain", "unit")
            problems.append(Problem(loaded.doc.path, loaded.doc.line_of(loc), "claim.claimed_gain.unit",
                                    f"{gain.unit!r} is not a unit of {gain.criterion} ({unit}); give the gain "
                                    f"in % of the reference or in {unit} (or a unit of the same kind) per functional unit"))
    if problems:
        raise InputError(problems)


def _unit_fits(text: str, unit: str) -> bool:
    from lca.core import units

    try:
        return units.same_dimension(units.parse_unit(text), unit)
    except units.UnitError:
        return False


def claim_section(loaded: LoadedStudy) -> tuple[dict | None, list[Finding]]:
    """The ``claim`` JSON section (the claim as stated plus its grade), and its findings."""
    claim = loaded.model.claim
    if claim is None:
        return None, []
    graded = grade_claim(claim)
    section = {
        "source": claim.source.model_dump(),
        "domain": claim.domain,
        "statement": claim.statement,
        "claimed_gain": claim.claimed_gain.model_dump() if claim.claimed_gain else None,
        "evaluated": claim.evaluated.model_dump(),
        **graded.to_dict(),
    }
    findings = []
    if graded.agrees is False:
        findings.append(Finding("GRADE_DISAGREES", "major", None,
                                f"analyst grade {graded.analyst_grade} vs evidence grade {graded.evidence_grade}: "
                                f"{graded.disagreement}"))
    return section, findings


def assumptions_register(loaded: LoadedStudy) -> list[dict]:
    """Every value the analyst supported by an assumption rather than a source, with its location."""
    out = []

    def add(loc: tuple, what: str, value, text: str | None) -> None:
        if text:
            out.append({"field": dotted(loc), "line": loaded.doc.line_of(loc), "what": what,
                        "value": str(value), "assumption": text})

    for name, param in loaded.model.parameters.items():
        add(("parameters", name), f"parameter {name}", param.value, param.assumption)
    for key in ("ai", "reference"):
        system = getattr(loaded.model.systems, key)
        for i, act in enumerate(system.activities if system else []):
            loc = ("systems", key, "activities", i)
            if act.equipment is not None:
                eq = act.equipment
                add(loc + ("equipment",), f"{act.id}: {eq.dataset}", f"{eq.count} x {eq.hours}", eq.assumption)
            for j, ex in enumerate(act.exchanges):
                if ex.assumption:  # the location and label only for an entry (most exchanges cite a source)
                    add(loc + ("exchanges", j), f"{act.id}: {ex.dataset or ex.flow or ex.activity}", ex.amount,
                        ex.assumption)
    return out


def review(result: StudyResult, loaded: LoadedStudy) -> StudyResult:
    """Add claim, completeness and verdict to an assessed study (a new result; the input is untouched)."""
    claim, claim_findings = claim_section(loaded)
    systems = loaded.model.systems
    not_applicable = {key: {k: v.justification for k, v in getattr(systems, key).not_applicable.items()}
                      for key in result.systems}
    completeness = study_completeness(result.systems, result.datasets, list(result.criteria), not_applicable)
    v = verdict(result, claim["claimed_gain"] if claim else None)
    extras = dict(result.extras)
    if claim is not None:
        extras["claim"] = claim
    if v is not None:
        extras["verdict"] = v.to_dict()
    extras["completeness"] = completeness_to_dict(completeness)
    extras["assumptions"] = assumptions_register(loaded)
    findings = (*result.findings, *completeness_findings(completeness), *claim_findings, *verdict_findings(v))
    return with_conformance(replace(result, findings=tuple(findings), extras=extras), loaded)  # goal, review, data quality
