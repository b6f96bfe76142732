"""lca audit: the five-row corpus of tests/data/corpus (grades a 1, b 0, c 1, d 1, e 2; see
test_corpus.py) with row h1 linked to tests/data/claim-heating.yaml, whose header works out by
hand: net pe -2800 MJ (holds), net adpe > 0 (does not hold), so the verdict is holds_on_some with
a burden shift; the AI service eats 400 / 3200 = 12.5 % of the primary-energy gain. h1 claims a
20 % gain on pe, so it is judged on pe: its gain survives.
"""

from __future__ import annotations

import os

import csv
import re
from pathlib import Path

import pytest

from lca.cli import main

DATA = Path(__file__).parent / "data" / "corpus"


@pytest.fixture(scope="module")
def audited(tmp_path_factory, data_dir):
    out = tmp_path_factory.mktemp("audit")
    code = main(["audit", str(DATA / "five.csv"), "--out", str(out), "--format", "html,csv", "--jobs", "1",
                 "--quiet"])
    assert code == 0
    return out


def test_claims_table_by_hand(audited):
    with open(audited / "claims.csv", newline="") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert {k: r["grade"] for k, r in rows.items()} == {"h1": "d", "h2": "c", "t1": "e", "w1": "a", "w2": "e"}
    h1 = rows["h1"]
    assert (h1["verdict"], h1["burden_shift"], h1["criterion"], h1["criterion_status"], h1["survives"]) == (
        "holds_on_some", "true", "pe", "holds", "true")
    assert float(h1["ai_service_share"]) == pytest.approx(0.125)
    assert float(h1["net"]) == pytest.approx(-2800.0)
    assert rows["w2"]["agrees"] == "false" and rows["w2"]["evidence_grade"] == "b"
    assert {r["verdict"] for k, r in rows.items() if k != "h1"} == {"no study"}
    with open(audited / "studies.csv", newline="") as handle:
        files = {r["file"] for r in csv.DictReader(handle)}
    assert len(files) == 1 and not Path(files.pop()).is_absolute()  # no machine path in the tables


def test_corpus_report(audited):
    html = (audited / "corpus.html").read_text()
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert 'data-chart="sankey"' in html and 'data-chart="ai-service-share"' in html
    assert 'href="studies/claim-heating.html"' in html and (audited / "studies" / "claim-heating.html").is_file()
    assert "1 of 5" not in html  # the headline counts a-c: 2 of 5
    assert re.search(r"2 of 5 claims give no quantitative evaluation", html)
    assert "Of the 1 claims audited by a study, the gain survives the AI service in <strong>1</strong>" in html
    assert "does not in 0, and cannot be told\nin 0" in html
    # the Sankey has one band per (domain, grade) and (grade, verdict) pair: 5 + 4 (h1's d->holds_on_some,
    # c->no study, a->no study, e->no study)
    assert len(re.findall(r"<path d=", html)) == 5 + 4


def test_bad_corpus_exits_2_and_keeps_what_was_written(audited, tmp_path, capsys):
    before = (audited / "corpus.html").read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("id,citation,domain,statement,gain\nx,Ref,b,S,lots\n")
    assert main(["audit", str(bad), "--out", str(audited), "--quiet"]) == 2
    assert f"{bad}:2: gain: unknown evidence value 'lots'" in capsys.readouterr().err
    assert (audited / "corpus.html").read_bytes() == before


def test_a_broken_linked_study_is_a_located_error_before_anything_is_written(tmp_path, capsys):
    (tmp_path / "broken.yaml").write_text("study: {id: broken\n")
    table = tmp_path / "c.csv"
    table.write_text("id,citation,domain,statement,gain,study\nx,Ref,b,S,none,broken.yaml\n")
    assert main(["audit", str(table), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err  # linked studies are named relative to the working folder
    assert f"{os.path.relpath(tmp_path / 'broken.yaml')}:2: (file): YAML syntax error" in err
    assert not (tmp_path / "out").exists()


def test_shipped_corpus_grades_only(tmp_path, data_dir):
    root = Path(__file__).resolve().parent.parent
    code = main(["audit", str(root / "inventories" / "corpus" / "claims.yaml"), "--out", str(tmp_path),
                 "--no-studies", "--quiet", "--format", "html"])
    assert code == 0
    html = (tmp_path / "corpus.html").read_text()
    assert "32 claims from" in html
