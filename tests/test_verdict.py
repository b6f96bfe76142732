"""The verdict per criterion and overall, and how much of the gain the AI service eats."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from lca.results import CriterionInfo, StudyResult, SystemResult
from lca.review.verdict import criterion_status, verdict

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def claim_result(library, data_dir):
    import lca

    return lca.assess(DATA / "claim-heating.yaml", data_dir=data_dir, library=library)


def test_claim_study_by_hand(claim_result):
    # see the header of tests/data/claim-heating.yaml for the arithmetic
    v = claim_result.extras["verdict"]
    gwp, pe, adpe = v["criteria"]["gwp"], v["criteria"]["pe"], v["criteria"]["adpe"]
    assert gwp["net"] == pytest.approx(-38.0)
    assert gwp["ai_service"] == pytest.approx(162.0) and gwp["target_system"] == pytest.approx(800.0)
    assert gwp["gross_gain"] == pytest.approx(200.0)           # 1000 - 800
    assert gwp["ai_service_share"] == pytest.approx(0.81)      # 162 / 200
    assert pe["net"] == pytest.approx(-2800.0)                 # 13200 - 16000
    assert pe["ai_service_share"] == pytest.approx(0.125)      # 400 / (16000 - 12800)
    assert adpe["net"] == pytest.approx(2 * 1.56882e-5)
    assert adpe["ai_service_share"] is None                    # no gain on adpe to eat
    assert (gwp["status"], pe["status"], adpe["status"]) == ("holds", "holds", "does_not_hold")
    assert v["status"] == "holds_on_some" and v["burden_shift"] is True
    # claimed 20 % less primary energy; computed -2800 / 16000 = -17.5 %
    assert pe["claimed"] == "20 %" and "-17.5 %" in pe["claimed_vs_computed"]
    assert any(f.code == "BURDEN_SHIFT" for f in claim_result.findings)


def test_data_gap_makes_it_cannot_tell(tiny_result):
    v = tiny_result.extras["verdict"]["criteria"]
    assert v["gwp"]["status"] == "holds"
    # 2 GPUs x 4380 h / (8760 h x 0.5) = 2 GPU shares x 150 kg + 1000 kWh x 0.056 = 356 kg AI service
    assert v["gwp"]["ai_service"] == pytest.approx(356.0, rel=1e-6)
    assert v["gwp"]["ai_service_share"] == pytest.approx(356.0 / (950.0 - 298.0), rel=1e-6)
    # adpe: net > 0 but the reference electricity has no adpe data: it could be larger
    assert v["adpe"]["status"] == "cannot_tell" and "electricity.world" in v["adpe"]["reason"]
    assert v["pe"]["status"] == "cannot_tell"
    assert tiny_result.extras["verdict"]["status"] == "holds_on_some"
    assert tiny_result.extras["verdict"]["burden_shift"] is False


@pytest.mark.parametrize("net, ai_gaps, ref_gaps, interval, status", [
    (-5.0, [], [], None, "holds"),
    (5.0, [], [], None, "does_not_hold"),
    (0.0, [], [], None, "does_not_hold"),                 # equal: no gain
    (0.0, ["x"], [], None, "cannot_tell"),
    (-5.0, ["x"], [], None, "cannot_tell"),               # AI underestimated: the gain may vanish
    (5.0, ["x"], [], None, "does_not_hold"),              # AI underestimated and already worse
    (5.0, [], ["y"], None, "cannot_tell"),                # reference underestimated: it may be worse
    (-5.0, [], ["y"], None, "holds"),                     # reference underestimated and already worse
    (-5.0, [], [], (-9.0, 1.0), "cannot_tell"),           # 95 % interval straddles zero
    (-5.0, [], [], (-9.0, -1.0), "holds"),
    (5.0, [], [], (1.0, 9.0), "does_not_hold"),
])
def test_criterion_rules(net, ai_gaps, ref_gaps, interval, status):
    assert criterion_status(net, 100.0, ai_gaps, ref_gaps, interval, 0.8 if interval else None)[0] == status


def _system(key, total, by_phase):
    return SystemResult(key, key, total, {}, by_phase, {}, {}, (), ())


def _result(ai: dict, ref: dict, ai_by_phase: dict, extras=None) -> StudyResult:
    crits = {c: CriterionInfo(c, c, "u") for c in ai}
    return StudyResult({"id": "x"}, crits, {"ai": _system("ai", ai, ai_by_phase), "reference": _system("reference", ref, {})},
                       {c: ai[c] - ref[c] for c in ai}, extras=extras or {})


def test_uncertainty_straddling_zero_is_cannot_tell():
    # net gwp = 90 - 100 = -10, but the 95 % interval [-30, 12] includes zero
    result = _result({"gwp": 90.0}, {"gwp": 100.0}, {"none": {"gwp": 60.0}, "inference": {"gwp": 30.0}},
                     {"uncertainty": {"net": {"gwp": {"mean": -10, "p2_5": -30, "p50": -10, "p97_5": 12, "p_benefit": 0.8}}}})
    v = verdict(result)
    assert v.status == "cannot_tell" and v.criteria["gwp"].status == "cannot_tell"
    assert "straddles zero" in v.criteria["gwp"].reason and "80%" in v.criteria["gwp"].reason
    assert v.criteria["gwp"].ai_service_share == pytest.approx(30 / 40)  # 30 / (100 - 60)
    certain = replace(result, extras={})
    assert verdict(certain).status == "holds"


def test_ai_service_eating_all_the_gain():
    # gain enabled 100 - 80 = 20, AI service 25: it eats 125 %, net +5
    v = verdict(_result({"gwp": 105.0}, {"gwp": 100.0}, {"none": {"gwp": 80.0}, "training": {"gwp": 25.0}}))
    assert v.status == "does_not_hold" and v.criteria["gwp"].ai_service_share == pytest.approx(1.25)


def test_footprint_only_has_no_verdict(library, data_dir, tmp_path):
    import lca

    text = (DATA / "tiny.yaml").read_text()
    path = tmp_path / "footprint.yaml"
    path.write_text(text[: text.index("  reference:")])
    result = lca.assess(path, data_dir=data_dir, library=library)
    assert "verdict" not in result.extras and "claim" not in result.extras
    assert set(result.extras["completeness"]) == {"ai"}


def test_surviving_share_of_the_claim(claim_result):
    # claimed 20 % less primary energy of 16000 MJ = 3200 MJ; net -2800 MJ: 2800 / 3200 = 87.5 % survives
    v = claim_result.extras["verdict"]
    pe = v["criteria"]["pe"]["survival"]
    assert pe["basis"] == "claim" and pe["claimed_gain"] == pytest.approx(3200.0)
    assert pe["surviving_share"] == pytest.approx(0.875)
    assert pe["with_ai_service_fraction"] == pytest.approx(0.175)  # 2800 / 16000
    assert v["claim_survives"]["criterion"] == "pe"
    assert "claimed 20 %, 17.5 % with the AI service: 87.5 % of the claim survives" in v["summary"]
    # gwp: no claim on it, the gain enabled (200) stands in: 38 / 200 = 19 % survives
    gwp = v["criteria"]["gwp"]["survival"]
    assert gwp["basis"] == "gain_enabled" and gwp["surviving_share"] == pytest.approx(0.19)
    # adpe: no gain enabled, nothing to survive
    assert v["criteria"]["adpe"]["survival"]["surviving_share"] is None


@pytest.mark.parametrize("claimed_gain, net, share", [
    ({"value": 16.7, "unit": "%", "criterion": "gwp"}, -16.2, 16.2 / 16.7),   # of a reference of 100
    ({"value": 10, "unit": "kgCO2e", "criterion": "gwp"}, -5.0, 0.5),          # an absolute claim
    ({"value": 0.01, "unit": "tCO2e", "criterion": "gwp"}, -5.0, 0.5),         # 10 kg, in tonnes
    ({"value": 10, "unit": "%", "criterion": "gwp"}, 5.0, -0.5),               # worse than the reference
    ({"value": 10, "unit": "%", "criterion": "pe"}, -5.0, 5.0 / 40.0),         # claim elsewhere: gain enabled 40
])
def test_survival_cases(claimed_gain, net, share):
    from lca.review.survival import survival

    got = survival(claimed_gain, "gwp", "kgCO2e", 100.0, net, 40.0)
    assert got.surviving_share == pytest.approx(share)


def test_overall_reads_the_cause_not_the_wording():
    # a data-gap reason that happens to contain the word "interval" is still "data missing"
    from lca.review.verdict import CriterionVerdict, overall

    c = CriterionVerdict("gwp", "cannot_tell", "no data in interval-dataset", -1.0, 1.0, 2.0, 1.0, 0.0, 2.0, 0.5,
                         cause="data_gap_ai")
    assert overall({"gwp": c})[2] == "The gain cannot tell on gwp (data missing)."
    straddles = replace(c, reason="whatever", cause="interval_straddles_zero")
    assert "gwp (interval straddles zero)" in overall({"gwp": straddles})[2]
