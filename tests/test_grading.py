"""Grading a claim on the a-e scale (Ligozat et al. 2022), case by case, and the analyst override."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lca.review.grading import grade_claim
from lca.study.schema import Claim

DATA = Path(__file__).parent / "data"


def claim(gain: str, ai_service=(), **extra) -> Claim:
    return Claim.model_validate({
        "source": {"citation": "Author 2021"}, "domain": "buildings and cities",
        "statement": "AI saves energy", "evaluated": {"gain": gain, "ai_service": list(ai_service)}, **extra})


@pytest.mark.parametrize("gain, ai_service, grade", [
    ("none", [], "a"),                 # no mention of the gain
    ("mention", [], "b"),              # a general mention
    ("words", [], "c"),                # a few words, no quantitative evaluation
    ("indirect", [], "c"),             # only an indirect estimate
    ("quantitative", [], "d"),         # energy gain evaluated, AI service not counted
    ("quantitative", ["A+B1"], "d"),   # AI service counted, but not its use phase
    ("quantitative", ["C1"], "e"),     # use phase of the AI service counted
    ("quantitative", ["C2"], "e"),
    ("quantitative", ["C1", "A+B1"], "e"),
    ("words", ["C1"], "c"),            # counting the AI service does not replace evaluating the gain
])
def test_evidence_grade(gain, ai_service, grade):
    graded = grade_claim(claim(gain, ai_service))
    assert (graded.grade, graded.evidence_grade, graded.graded_by) == (grade, grade, "tool")
    assert graded.rationale and "\n" not in graded.rationale
    assert graded.analyst_grade is None and graded.agrees is None and graded.disagreement is None


def test_rationale_names_what_is_missing_for_d():
    graded = grade_claim(claim("quantitative", ["A+B1"]))
    assert "use phase" in graded.rationale and "A, B1" in graded.rationale


@pytest.mark.parametrize("analyst, gain, ai_service", [
    ("e", "quantitative", ["C1"]), ("d", "quantitative", []), ("c", "indirect", []),
    ("b", "mention", []), ("a", "none", []),
])
def test_analyst_grade_agreeing(analyst, gain, ai_service):
    graded = grade_claim(claim(gain, ai_service, grade=analyst, justification="read the paper, section 5"))
    assert graded.grade == analyst and graded.graded_by == "analyst"
    assert graded.agrees is True and graded.disagreement is None
    assert graded.rationale == "read the paper, section 5"


def test_analyst_e_without_use_phase_disagrees():
    graded = grade_claim(claim("quantitative", ["A+B1"], grade="e", justification="they counted the AI"))
    assert graded.grade == "e" and graded.evidence_grade == "d" and graded.agrees is False
    assert "grade e requires the AI service's use phase" in graded.disagreement
    assert "A, B1" in graded.disagreement


def test_analyst_more_generous_than_evidence():
    graded = grade_claim(claim("mention", [], grade="d", justification="generous"))
    assert graded.agrees is False and graded.evidence_grade == "b"
    assert "requires a quantitative evaluation" in graded.disagreement


def test_analyst_stricter_than_evidence():
    graded = grade_claim(claim("quantitative", ["C1"], grade="c", justification="numbers look doubtful"))
    assert graded.agrees is False and graded.evidence_grade == "e" and graded.grade == "c"
    assert "supports the better grade e" in graded.disagreement


def test_analyst_grade_needs_justification():
    with pytest.raises(ValueError, match="needs a `justification`"):
        claim("none", grade="a")


def test_bad_claim_is_a_located_error(tmp_path):
    text = (DATA / "claim-heating.yaml").read_text()
    bad = text.replace("criterion: pe}", "criterion: carbon}").replace("ai_service: []", "ai_service: [Z9]")
    path = tmp_path / "claim-bad.yaml"
    path.write_text(bad)
    run = subprocess.run([sys.executable, "-m", "lca.cli", "validate", str(path)], capture_output=True, text=True)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    line = next(i for i, t in enumerate(bad.splitlines(), 1) if "ai_service: [Z9]" in t)
    assert f"{path}:{line}: claim.evaluated.ai_service" in run.stderr


def test_unknown_claimed_criterion_is_a_located_error(tmp_path):
    text = (DATA / "claim-heating.yaml").read_text().replace("criterion: pe}", "criterion: carbon}")
    path = tmp_path / "claim-bad.yaml"
    path.write_text(text)
    run = subprocess.run([sys.executable, "-m", "lca.cli", "validate", str(path)], capture_output=True, text=True)
    assert run.returncode == 2
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "criterion: carbon" in t)
    assert f"{path}:{line}: claim.claimed_gain.criterion: unknown criterion 'carbon'" in run.stderr


def test_unsafe_url_is_refused():
    with pytest.raises(ValueError, match="http:// or https://"):
        Claim.model_validate({"source": {"citation": "x", "url": "javascript:alert(1)"}, "domain": "d",
                              "statement": "s", "evaluated": {"gain": "none"}})
