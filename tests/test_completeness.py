"""ITU-T L.1410 completeness: covered, combined, missing, not applicable, and "no data" gaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from lca.review.completeness import ActivityCoverage, completeness_findings, system_completeness

DATA = Path(__file__).parent / "data"
ALL = frozenset({"gwp", "adpe", "pe"})
CRITERIA = ["gwp", "adpe", "pe"]


def act(id_, ups, data=ALL):
    return ActivityCoverage(id_, tuple(ups), frozenset(data))


def test_statuses_case_by_case():
    table = system_completeness(
        [act("gpu", ("A", "B1")), act("power", ("C1",)), act("eol", ("D1",), data=set())],
        CRITERIA, {"B3": "shared data centre, no support equipment built"})
    assert table["A"].status == "combined" and table["A"].combined_with == ("B1",)
    assert table["B1"].status == "combined" and table["B1"].combined_with == ("A",)
    assert table["C1"].status == "covered" and table["C1"].activities == ("power",)
    assert table["B3"].status == "not_applicable" and "shared" in table["B3"].justification
    # an activity whose datasets all say "no data" does not cover its unit process
    assert table["D1"].status == "missing" and table["D1"].activities == ("eol",)
    assert table["D2"].status == "missing" and table["D2"].activities == ()
    assert list(table) == ["A", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "D1", "D2"]


def test_covered_on_some_criteria_lists_the_gaps():
    table = system_completeness([act("power", ("C1",), data={"gwp"})], CRITERIA, {})
    assert table["C1"].status == "covered" and table["C1"].no_data == ("adpe", "pe")


def test_alone_beats_combined():
    table = system_completeness([act("gpu", ("A", "B1")), act("mining", ("A",))], CRITERIA, {})
    assert table["A"].status == "covered" and table["B1"].status == "combined"


def test_combined_not_applicable_key():
    table = system_completeness([act("power", ("C1",))], CRITERIA, {"D1+D2": "reused elsewhere"})
    assert table["D1"].status == table["D2"].status == "not_applicable"


def test_missing_mandatory_is_a_major_finding():
    table = system_completeness([act("power", ("C1",))], CRITERIA, {"C2": "no cooling: edge device"})
    findings = completeness_findings({"ai": table})
    major = [f for f in findings if f.code == "MISSING_MANDATORY_UNIT_PROCESS"]
    assert len(major) == 1 and major[0].severity == "major" and major[0].system == "ai"
    for up in ("A ", "B1 ", "B3 ", "D1 ", "D2 "):
        assert up in major[0].message
    assert "C2" not in major[0].message  # declared not applicable
    info = [f for f in findings if f.code == "MISSING_RECOMMENDED_UNIT_PROCESS"]
    assert info and info[0].severity == "info" and "B2, B4, C3, C4" in info[0].message


@pytest.fixture(scope="module")
def claim_result(library, data_dir):
    import lca

    return lca.assess(DATA / "claim-heating.yaml", data_dir=data_dir, library=library)


def test_real_study(claim_result):
    ai = claim_result.extras["completeness"]["ai"]
    assert {k: v["status"] for k, v in ai.items()} == {
        "A": "combined", "B1": "combined", "B2": "missing", "B3": "not_applicable", "B4": "missing",
        "C1": "covered", "C2": "covered", "C3": "missing", "C4": "missing", "D1": "combined", "D2": "combined"}
    assert ai["C1"]["activities"] == ["heating", "inference"]
    assert ai["D1"]["combined_with"] == ["D2"]
    codes = [(f.code, f.system) for f in claim_result.findings]
    assert ("MISSING_MANDATORY_UNIT_PROCESS", "ai") not in codes
    assert ("MISSING_MANDATORY_UNIT_PROCESS", "reference") not in codes


def test_no_data_dataset_does_not_cover(tiny_result):
    # tiny.yaml: the A100 dataset (Luccioni 2023) has GWP only, so A+B1 is covered with gaps (no water either)
    ai = tiny_result.extras["completeness"]["ai"]
    assert ai["A"]["status"] == "combined" and ai["A"]["no_data"] == ["adpe", "pe", "water"]
    assert ai["D1"]["status"] == "missing"
    assert any(f.code == "MISSING_MANDATORY_UNIT_PROCESS" and f.system == "ai" for f in tiny_result.findings)


def test_a_unit_process_status_as_json_holds_every_field():
    from dataclasses import asdict, fields

    from lca.review.completeness import UnitProcessStatus

    status = UnitProcessStatus("A1", "covered", True, ("A2",), ("mine", "ship"), ("pe",), None)
    expected = asdict(status) | {"combined_with": ["A2"], "activities": ["mine", "ship"], "no_data": ["pe"]}
    assert status.to_dict() == expected and list(status.to_dict()) == [f.name for f in fields(status)]
