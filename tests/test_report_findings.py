"""Findings written for the reader: every code the code base can emit is explained inside the
report (what it means, what would resolve it), messages are rendered text (no backticks, no
markup), and docs/findings.md lists the same codes."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from lca.report import render_html
from lca.report.findings_view import explanations, finding_groups, finding_views, rendered

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


def emitted_codes() -> set[str]:
    """Every ``Finding("CODE", ...)`` written under lca/ (the code base's findings)."""
    codes = set()
    for path in (ROOT / "lca").rglob("*.py"):
        codes |= set(re.findall(r'Finding\(\s*"([A-Z][A-Z0-9_]*)"', path.read_text(encoding="utf-8")))
    return codes


def test_the_grep_finds_the_known_codes():
    # a guard on the guard: the pattern must see the codes we know are there
    assert {"DATA_GAP", "MISSING_MANDATORY_UNIT_PROCESS", "BURDEN_SHIFT", "GRADE_DISAGREES"} <= emitted_codes()


def test_every_emitted_code_is_explained():
    missing = emitted_codes() - set(explanations())
    assert not missing, f"add these codes to reports/templates/findings.yaml: {sorted(missing)}"


def test_every_explanation_is_complete():
    for code, e in explanations().items():
        assert e.title and len(e.meaning) > 40 and len(e.resolve) > 20, code


def test_docs_list_every_explained_code():
    docs = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    missing = [c for c in explanations() if f"`{c}`" not in docs]
    assert not missing, missing


def test_backticks_become_code_and_markup_is_escaped():
    text = rendered("declare it under `not_applicable` <b>now</b> `<i>x</i>`")
    assert str(text) == ("declare it under <code>not_applicable</code> &lt;b&gt;now&lt;/b&gt; "
                         "<code>&lt;i&gt;x&lt;/i&gt;</code>")


def test_views_sort_major_first_and_group_by_code():
    findings = [{"code": "DATA_GAP", "severity": "minor", "system": "ai", "message": "a"},
                {"code": "BURDEN_SHIFT", "severity": "major", "system": None, "message": "b"},
                {"code": "DATA_GAP", "severity": "minor", "system": "reference", "message": "c"}]
    views = finding_views(findings, {"ai": "With AI", "reference": "Without"})
    assert [v.code for v in views] == ["BURDEN_SHIFT", "DATA_GAP", "DATA_GAP"]
    assert views[0].system == "study" and views[2].system == "Without"
    groups = finding_groups(views)
    assert [(g.code, len(g.items)) for g in groups] == [("BURDEN_SHIFT", 1), ("DATA_GAP", 2)]


@pytest.fixture(scope="module")
def tiny_payload(tiny_result):
    return tiny_result.to_dict()


def test_report_findings_read_as_text(tiny_payload):
    html = render_html(tiny_payload)
    section = html[html.index('id="findings"'):html.index('id="assumptions"')]
    assert "`" not in section  # no raw backticks
    assert "<code>not_applicable</code>" in section
    assert "What it means." in section and "What would resolve it." in section
    assert "docs/findings.md" not in html  # no pointer to docs the reader does not have
    # one block per code, its explanation from findings.yaml
    e = explanations()["MISSING_MANDATORY_UNIT_PROCESS"]
    assert 'id="finding-MISSING_MANDATORY_UNIT_PROCESS"' in section and e.title in section


def test_hostile_finding_message_is_escaped(tiny_payload):
    payload = copy.deepcopy(tiny_payload)
    payload["findings"].append({"code": "DATA_GAP", "severity": "minor", "system": "ai",
                                "message": "`<script>alert(1)</script>` and <img src=x onerror=alert(2)>"})
    html = render_html(payload)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in html
