"""Grading an "AI for green" claim on the a-e scale of Ligozat et al. (2022), and checking an
analyst's own grade against the evidence (docs/methodology.md, "Grading a claim").

The evidence is what the claim's authors evaluated (``Claim.evaluated``):

- ``gain``: none → a; mention → b; words or indirect → c; quantitative → d or e;
- ``ai_service``: the ITU unit processes of the AI service the authors counted. A quantitative
  gain becomes grade e only when the AI service's use phase (C1 or C2) was counted.

a is the worst grade, e the best; even e leaves out the production and end of life of the
equipment, which is what the full assessment adds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from lca.core.errors import Problem
from lca.study.schema import Claim, ClaimEvidence
from lca.core.vocabulary import parse_unit_processes

GRADES = ("a", "b", "c", "d", "e")
GRADE_MEANINGS = {
    "a": "no mention of the environmental gain",
    "b": "general mention of the environmental gain",
    "c": "a few words about the gain, no quantitative evaluation, or only an indirect estimate",
    "d": "evaluation of the energy gain without taking the AI service into account",
    "e": "evaluation of the energy gain taking the use phase of the AI service into account",
}
USE_PHASE = ("C1", "C2")


@dataclass(frozen=True)
class ClaimGrade:
    """The grade that stands, the tool's grade from the evidence, and the analyst's when set."""

    grade: str  # the grade that stands: the analyst's when set, else the evidence grade
    graded_by: str  # "analyst" | "tool"
    rationale: str  # one line for `grade`
    evidence_grade: str
    evidence_rationale: str
    analyst_grade: str | None = None
    analyst_justification: str | None = None
    agrees: bool | None = None  # None when the analyst set no grade
    disagreement: str | None = None  # where the analyst's grade and the evidence disagree

    def to_dict(self) -> dict:
        return asdict(self)


def counted_unit_processes(evidence: ClaimEvidence) -> tuple[str, ...]:
    """Every unit process the authors counted for the AI service, ``["A+B1", "C1"]`` -> ``(A, B1, C1)``."""
    found: list[str] = []
    for item in evidence.ai_service:
        for up in parse_unit_processes(item):
            if up not in found:
                found.append(up)
    return tuple(found)


def evidence_grade(evidence: ClaimEvidence) -> tuple[str, str]:
    """The a-e grade the evidence supports, and a one-line rationale."""
    counted = counted_unit_processes(evidence)
    use = [up for up in counted if up in USE_PHASE]
    if evidence.gain == "none":
        return "a", "the authors do not mention an environmental gain"
    if evidence.gain == "mention":
        return "b", "the authors mention an environmental gain in general terms only"
    if evidence.gain in ("words", "indirect"):
        how = "an indirect estimate only" if evidence.gain == "indirect" else "a few words, no quantitative evaluation"
        return "c", f"the gain is supported by {how}"
    if not use:
        what = f" (they counted {', '.join(counted)} but not its use phase C1/C2)" if counted else ""
        return "d", f"the energy gain is evaluated quantitatively without the AI service's use phase{what}"
    return "e", (f"the energy gain is evaluated quantitatively with the AI service's use phase ({', '.join(use)}); "
                 "production and end of life of the equipment are left to this assessment"
                 if not any(up[0] in "ABD" for up in counted) else
                 f"the energy gain is evaluated quantitatively with the AI service counted ({', '.join(counted)})")


def _disagreement(analyst: str, evidence: str, ev: ClaimEvidence) -> str:
    """Why the analyst's grade is not the one the evidence supports, naming what is missing."""
    counted = counted_unit_processes(ev)
    if GRADES.index(analyst) > GRADES.index(evidence):
        if analyst == "e" and evidence == "d":
            listed = ", ".join(counted) if counted else "nothing"
            return (f"grade e requires the AI service's use phase (C1 or C2) to have been evaluated; "
                    f"`evaluated.ai_service` lists {listed}")
        need = {
            "b": "a mention of the environmental gain (evaluated.gain: mention or more)",
            "c": "a few words or an indirect estimate of the gain (evaluated.gain: words or indirect)",
            "d": "a quantitative evaluation of the gain (evaluated.gain: quantitative)",
            "e": "a quantitative evaluation of the gain including the AI service's use phase (C1 or C2)",
        }[analyst]
        return f"grade {analyst} requires {need}; the evidence (evaluated.gain: {ev.gain}) supports {evidence}"
    return (f"the evidence supports the better grade {evidence} ({GRADE_MEANINGS[evidence]}); "
            f"the analyst's {analyst} is stricter than the evidence recorded")


def grade_claim(claim: Claim) -> ClaimGrade:
    """Grade a claim from its evidence; when the analyst set a grade, check it against the evidence."""
    ev_grade, ev_why = evidence_grade(claim.evaluated)
    if claim.grade is None:
        return ClaimGrade(ev_grade, "tool", ev_why, ev_grade, ev_why)
    agrees = claim.grade == ev_grade
    return ClaimGrade(
        grade=claim.grade, graded_by="analyst", rationale=(claim.justification or "").strip(),
        evidence_grade=ev_grade, evidence_rationale=ev_why,
        analyst_grade=claim.grade, analyst_justification=(claim.justification or "").strip(),
        agrees=agrees, disagreement=None if agrees else _disagreement(claim.grade, ev_grade, claim.evaluated),
    )


def claim_problems(claim: Claim, criteria, path: str, line_of) -> list[Problem]:
    """Cross-reference checks of a claim against the method's criteria (located problems).

    ``criteria`` lists the criterion ids, or maps them to their units (then the claimed gain's
    unit is checked against the criterion's too)."""
    problems = []
    gain = claim.claimed_gain
    if gain is not None and gain.criterion not in (*criteria, "energy"):
        loc = ("claim", "claimed_gain", "criterion")
        problems.append(Problem(path, line_of(loc), "claim.claimed_gain.criterion",
                                f"unknown criterion {gain.criterion!r}; use one of {', '.join(criteria)} or energy"))
    elif gain is not None:
        unit_of = dict(criteria) if isinstance(criteria, dict) else {}  # units: check_claim checks them
        problem = _gain_problem(gain.value, gain.unit, gain.criterion, unit_of.get(gain.criterion))
        if problem:
            field, message = problem
            loc = ("claim", "claimed_gain", field)
            problems.append(Problem(path, line_of(loc), f"claim.claimed_gain.{field}", message))
    return problems


def _gain_problem(value: float, unit: str, criterion: str, criterion_unit: str | None) -> tuple[str, str] | None:
    """(field, message) when a claimed gain cannot be one: a percentage outside (0, 100], or a
    quantity of another kind than the criterion's."""
    from lca.core import units

    if unit.strip() == "%":
        if not 0 < value <= 100:
            return "value", (f"a claimed gain in % is the reduction against the reference, in (0, 100] (20 for "
                             f"'20 % less'); {value:g} % is not one: a negative value is an increase, over 100 % "
                             "more than the whole footprint; give the reduction, or the signed quantity with a unit")
        return None
    try:
        claimed = units.parse_unit(unit)
    except units.UnitError as exc:
        return "unit", f"{exc}; write \"%\" or a unit of {criterion} ({criterion_unit or 'its unit'})"
    if criterion_unit is not None and not units.same_dimension(claimed, criterion_unit):
        return "unit", (f"a gain in {unit} cannot be a gain on {criterion}, which is in {criterion_unit}: "
                        f"write \"%\" or a unit of the same kind as {criterion_unit}")
    if value == 0:
        return "value", "a claimed gain of 0 is no claim; give the claimed reduction"
    return None
