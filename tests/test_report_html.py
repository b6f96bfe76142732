"""The HTML report: sections, verdict first, escaping, safe links, optional uncertainty, bytes
identical for the same SOURCE_DATE_EPOCH."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from lca.report import render_html

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC


@pytest.fixture(scope="module")
def claim_payload(library, data_dir):
    import lca

    return lca.assess(DATA / "claim-heating.yaml", data_dir=data_dir, library=library).to_dict()


@pytest.fixture(scope="module")
def hostile_payload(library, data_dir):
    import lca

    return lca.assess(DATA / "report-hostile.yaml", data_dir=data_dir, library=library).to_dict()


@pytest.fixture(autouse=True)
def _epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def test_sections_and_numbers(claim_payload):
    html = render_html(claim_payload)
    for anchor in ("summary", "verdict", "contents", "scope", "claim", "results", "breakdowns", "completeness",
                   "findings", "assumptions", "sources", "reproducibility"):
        assert f'id="{anchor}"' in html, anchor
    assert 'id="uncertainty"' not in html  # no uncertainty extras in this result
    assert "The gain holds on some criteria only" in html and "burden shift" in html
    assert "−38" in html and "+3.14 × 10⁻⁵" in html and "−2\u202f800" in html  # nets: gwp, adpe, pe
    assert "81 % of the gain" in html and "12.5 % of the gain" in html            # 162/200, 400/3200
    assert '<span class="grade"' in html and ">evidence d</span>" in html  # the grade of the claim's evidence
    survival = html.split('id="survival"')[1].split("</div>")[0]  # on the first screen, before the contents
    assert html.index('id="survival"') < html.index('id="contents"')
    assert "20 %" in survival and "17.5 %" in survival and "87.5 %" in survival  # 2800 / 3200 MJ of pe
    assert "BURDEN_SHIFT" in html
    assert "2023-11-14 22:13 UTC" in html
    assert claim_payload["provenance"]["study_sha256"] in html


def test_verdict_comes_first(claim_payload):
    html = render_html(claim_payload)
    assert html.index('id="verdict"') < html.index('id="contents"') < html.index('id="results"')


def test_charts_present(claim_payload):
    html = render_html(claim_payload)
    # per criterion (4: gwp, adpe, pe, water): a waterfall, the AI service by activity and by stage;
    # water is 0 everywhere (no dataset has data on it): its waterfall and by-activity chart say so
    # and it has no by-stage chart, so 4 waterfalls, 4 + 3 bar charts, 2 of them empty
    assert html.count('data-chart="waterfall"') == 4
    assert html.count('data-chart="bars"') == 7
    assert html.count('data-empty="true"') == 2
    assert html.count("<svg") == 11


def test_self_contained(claim_payload):
    html = render_html(claim_payload)
    assert "<script" not in html and "<link" not in html and " src=" not in html
    assert "Content-Security-Policy" in html
    assert str(ROOT) not in html  # no absolute path of the machine


def test_dataset_files_are_relative(tiny_result):
    html = render_html(tiny_result)
    assert "<code>inventories/background/generated/electricity-countries.yaml</code>" in html
    assert str(ROOT) not in html


def test_same_epoch_same_bytes(claim_payload):
    assert render_html(claim_payload) == render_html(copy.deepcopy(claim_payload))


def test_report_file_is_deterministic(library, data_dir, tmp_path):
    import lca
    from lca.io.publish import write_outputs

    a = write_outputs(lca.assess(DATA / "claim-heating.yaml", data_dir=data_dir, library=library), tmp_path / "a", ["html"])
    b = write_outputs(lca.assess(DATA / "claim-heating.yaml", data_dir=data_dir, library=library), tmp_path / "b", ["html"])
    assert a[0].name == "claim-heating.html"
    assert a[0].read_bytes() == b[0].read_bytes()


def test_hostile_text_is_escaped(hostile_payload):
    html = render_html(hostile_payload)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<style>body" not in html
    assert "onerror=" not in html.replace("onerror=&#34;", "") and "onload=" not in html.replace("onload=&#34;", "")
    assert "&lt;script&gt;window.__pwned = &#39;statement&#39;&lt;/script&gt;" in html
    assert "**really** [see](javascript:alert(2))" in html  # Markdown is not interpreted
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("#", "https://", "http://")) for h in hrefs), hrefs
    assert "https://doi.org/10.1234/evil%22%3E%3Cscript%3Ealert(1)%3C/script%3E" in hrefs


def test_links_only_for_http_and_doi(claim_payload):
    payload = copy.deepcopy(claim_payload)
    html = render_html(payload)
    assert 'href="https://doi.org/10.1234/example.2021"' in html
    assert 'href="https://example.org/learning-to-heat"' in html
    payload["claim"]["source"]["url"] = "javascript:alert(1)"
    payload["claim"]["source"]["doi"] = "not-a-doi"
    html = render_html(payload)
    assert "javascript:" not in html and "doi.org" not in html


def test_analyst_disagreement_is_shown(claim_payload):
    payload = copy.deepcopy(claim_payload)
    payload["claim"].update(grade="e", graded_by="analyst", rationale="they measured it", analyst_grade="e",
                            analyst_justification="they measured it", agrees=False,
                            disagreement="grade e requires the AI service's use phase (C1 or C2) to have been evaluated")
    html = render_html(payload)
    summary = html[: html.index('id="contents"')]
    assert "disagrees with the evidence (d)" in summary and "grade e requires" in summary


def test_footprint_only_has_no_comparison(library, data_dir, tmp_path):
    import lca

    text = (DATA / "tiny.yaml").read_text()
    path = tmp_path / "footprint.yaml"
    path.write_text(text[: text.index("  reference:")])
    html = render_html(lca.assess(path, data_dir=data_dir, library=library))
    assert 'id="verdict"' not in html and 'id="claim"' not in html and "net (AI" not in html
    assert "Footprint of the AI solution" in html and 'id="completeness"' in html
    # by activity and by stage, per criterion; tiny's pe and water are 0 everywhere: their
    # by-activity charts say so (2 empty) and they have no by-stage chart, so 4 + 2 bar charts
    assert html.count('data-chart="bars"') == 6 and html.count('data-empty="true"') == 2
    assert 'data-chart="waterfall"' not in html


def uncertainty_extras() -> dict:
    """Hand-made sections in the shape the uncertainty step writes (docs/json-result.md)."""
    def q(p2, p50, p97, mean=None):
        return {"mean": p50 if mean is None else mean, "p2_5": p2, "p50": p50, "p97_5": p97}

    return {
        "uncertainty": {
            "iterations": 1000, "seed": 42,
            "systems": {"ai": {"gwp": q(900, 962, 1030), "adpe": q(2e-5, 3.1e-5, 4e-5), "pe": q(12000, 13200, 14500)},
                        "reference": {"gwp": q(950, 1000, 1050), "adpe": q(0, 0, 0), "pe": q(15000, 16000, 17000)}},
            "net": {"gwp": q(-110, -38, 40) | {"p_benefit": 0.78}, "adpe": q(2e-5, 3.1e-5, 4e-5) | {"p_benefit": 0.0},
                    "pe": q(-4500, -2800, -1100) | {"p_benefit": 1.0}},
        },
        "sensitivity": {"gwp": [{"input": "heating_gas", "S1": 0.71, "ST": 0.74, "low": -90.0, "high": 14.0},
                                {"input": "<b>server_co2</b>", "S1": 0.2, "ST": 0.22, "low": -60.0, "high": -16.0}]},
        "break_even": {"gwp": "the net crosses zero at heating_gas = 838 kg", "pe": "never within [0, 500] Sm3"},
    }


def test_uncertainty_sections(claim_payload):
    payload = copy.deepcopy(claim_payload) | uncertainty_extras()
    html = render_html(payload)
    section = html[html.index('id="uncertainty"'):html.index('id="completeness"')]
    assert "1000 iterations" in section and "seed 42" in section
    assert "78 %" in section                    # P(net < 0) for gwp
    assert section.count('data-chart="interval"') == 3  # no histograms in these extras: intervals
    assert section.count('data-chart="tornado"') == 1
    assert "&lt;b&gt;server_co2&lt;/b&gt;" in section and "<b>server" not in section
    assert "838 kg" in section and "never within [0, 500] Sm3" in section
    assert 'href="#uncertainty"' in html


def test_histograms_replace_intervals(claim_payload):
    payload = copy.deepcopy(claim_payload) | uncertainty_extras()
    payload["uncertainty"]["histograms"] = {c: {"edges": [-3.0, -2.0, -1.0], "counts": [4, 6]}
                                            for c in ("gwp", "adpe", "pe")}
    html = render_html(payload)
    section = html[html.index('id="uncertainty"'):html.index('id="completeness"')]
    assert section.count('data-chart="histogram"') == 3 and 'data-chart="interval"' not in section
    assert "10 iterations; P(net &lt; 0) = 78 %" in section  # 4 + 6 counts; gwp's p_benefit


def test_first_screen_lists_major_findings(tiny_result):
    html = render_html(tiny_result)
    summary = html[: html.index('id="contents"')]
    # tiny.yaml has no B3, D1, D2 in the AI solution
    assert "MISSING_MANDATORY_UNIT_PROCESS" in summary and "D1 preparation of ICT goods for reuse" in summary


def test_first_screen_probability_of_benefit(claim_payload):
    payload = copy.deepcopy(claim_payload)
    assert "P(net &lt; 0)" not in render_html(payload)[: render_html(payload).index('id="contents"')]
    payload["verdict"]["criteria"]["gwp"]["p_benefit"] = 0.78
    summary = render_html(payload)
    summary = summary[: summary.index('id="contents"')]
    assert "P(net &lt; 0)" in summary and "78 %" in summary
