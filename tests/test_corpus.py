"""The claims corpus: reading CSV, XLSX and YAML tables, grading every row, located errors.

The five-row corpus of tests/data/corpus (same rows in five.csv and five.yaml):

    h1  quantitative, AI service not counted        -> d   (linked to tests/data/claim-heating.yaml)
    h2  words                                       -> c
    t1  quantitative, AI service C1 and A+B1        -> e
    w1  none                                        -> a
    w2  mention, analyst grade e (disagrees)        -> e   (graded_by analyst; evidence grade b)

so the grade counts are a 1, b 0, c 1, d 1, e 2, and one analyst grade disagrees with the evidence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lca.core.errors import InputError
from lca.corpus import grade_counts, load_corpus

DATA = Path(__file__).parent / "data" / "corpus"
EXPECTED = {"h1": "d", "h2": "c", "t1": "e", "w1": "a", "w2": "e"}
HEADER = ("id,citation,domain,statement,claimed_gain_value,claimed_gain_unit,claimed_gain_criterion,"
          "gain,ai_service,grade,justification\n")


def _xlsx(path: Path, rows: list[list]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("name", ["five.csv", "five.yaml"])
def test_five_claims_graded_by_hand(name):
    corpus = load_corpus(DATA / name)
    graded = corpus.graded()
    assert {g.item.id: g.grade.grade for g in graded} == EXPECTED
    assert grade_counts(graded) == {"a": 1, "b": 0, "c": 1, "d": 1, "e": 2}
    w2 = next(g for g in graded if g.item.id == "w2").grade
    assert (w2.graded_by, w2.evidence_grade, w2.agrees) == ("analyst", "b", False)
    h1 = next(g for g in graded if g.item.id == "h1").item
    assert h1.study == (DATA.parent / "claim-heating.yaml").resolve()
    assert h1.claim.claimed_gain.value == 20 and h1.claim.claimed_gain.criterion == "pe"
    t1 = next(g for g in graded if g.item.id == "t1").item
    assert t1.claim.evaluated.ai_service == ["C1", "A+B1"]


def test_csv_rows_are_spreadsheet_rows():
    corpus = load_corpus(DATA / "five.csv")
    assert [c.row for c in corpus.claims] == [2, 3, 4, 5, 6]  # header is row 1


def test_xlsx_reads_like_csv(tmp_path):
    import csv

    with open(DATA / "five.csv", newline="") as handle:
        rows = [[cell if cell != "" else None for cell in row] for row in csv.reader(handle)]
    rows[1][4] = 20  # a number cell, as Excel stores it
    path = _xlsx(tmp_path / "five.xlsx", rows)
    (tmp_path / "claim-heating.yaml").write_text((DATA.parent / "claim-heating.yaml").read_text())
    rows_study = [r[:] for r in rows]
    rows_study[1][11] = "claim-heating.yaml"
    _xlsx(path, rows_study)
    corpus = load_corpus(path)
    assert {g.item.id: g.grade.grade for g in corpus.graded()} == EXPECTED
    assert [c.row for c in corpus.claims] == [2, 3, 4, 5, 6]


def test_shipped_claims_table_grades():
    """The shipped table: 32 published claims; grade counts as recorded in docs/corpus.md."""
    root = Path(__file__).resolve().parent.parent
    corpus = load_corpus(root / "inventories" / "corpus" / "claims.yaml")
    graded = corpus.graded()
    assert len(graded) == 32
    assert grade_counts(graded) == {"a": 12, "b": 4, "c": 5, "d": 11, "e": 0}
    assert all(c.claim.source.citation and c.note and c.checked for c in corpus.claims)


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_corpus(path)
    return [str(p) for p in info.value.problems]


def _write(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_missing_column(tmp_path):
    path = _write(tmp_path, "c.csv", "id,citation,domain,gain\nx,Ref,buildings,none\n")
    assert _problems(path) == [f"{path}:1: statement: missing column 'statement' (required)"]


def test_unknown_grade_and_evidence_value(tmp_path):
    path = _write(tmp_path, "c.csv", HEADER + "x,Ref,buildings,S,,,,quantitive,,,\ny,Ref,buildings,S,,,,none,,f,why\n")
    assert _problems(path) == [
        f"{path}:2: gain: unknown evidence value 'quantitive'; use one of none, mention, words, indirect, quantitative",
        f"{path}:3: grade: unknown grade 'f'; use one of a, b, c, d, e (a worst, e best) or leave it empty",
    ]


def test_duplicate_id(tmp_path):
    path = _write(tmp_path, "c.csv", HEADER + "x,Ref,b,S,,,,none,,,\ny,Ref,b,S,,,,none,,,\nx,Ref,b,S,,,,none,,,\n")
    assert _problems(path) == [f"{path}:4: id: duplicate id 'x' (first at row 2); ids must be unique"]


def test_every_problem_of_every_row_at_once(tmp_path):
    path = _write(tmp_path, "c.csv", HEADER
                  + "a b,Ref,b,S,20,,,none,,,\n"      # bad id; claimed gain without unit and criterion
                  + "y,,b,S,x,%,gwp,none,C9,,\n"      # empty citation; value not a number; unknown unit process
                  + "z,Ref,b,S,5,%,co2,none,,,\n")    # unknown criterion
    problems = _problems(path)
    assert [p.split(": ")[0] + ": " + p.split(": ")[1] for p in problems] == [
        f"{path}:2: id", f"{path}:2: claimed_gain_unit", f"{path}:3: citation", f"{path}:3: claimed_gain_value",
        f"{path}:4: claimed_gain_criterion"]


def test_ai_service_unit_process_checked_by_the_claim_model(tmp_path):
    path = _write(tmp_path, "c.csv", HEADER + "y,Ref,b,S,,,,quantitative,C9,,\n")
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:2: ai_service: ") and "C9" in problem


def test_yaml_errors_name_the_line_of_the_cell(tmp_path):
    path = _write(tmp_path, "c.yaml", "claims:\n  - id: x\n    citation: Ref\n    domain: b\n"
                                      "    statement: S\n    gain: lots\n")
    assert _problems(path) == [
        f"{path}:6: gain: unknown evidence value 'lots'; use one of none, mention, words, indirect, quantitative"]


@pytest.mark.parametrize("name, content, expected", [
    ("empty.csv", "", "the file is empty"),
    ("blank.csv", "\n\n  \n", "the file is empty"),
    ("empty.yaml", "# nothing\n", "the file is empty"),
    ("header.csv", "id,citation,domain,statement,gain\n", "the table has a header but no claim rows"),
    ("prose.csv", "Dear reviewer\nplease find the claims attached\n", "this is not a comma-separated claims table"),
    ("list.yaml", "- 1\n- 2\n", "not a claims table"),
    ("claims.txt", "id,citation\n", "unknown table format '.txt'"),
])
def test_not_a_table(tmp_path, name, content, expected):
    (problem,) = _problems(_write(tmp_path, name, content))
    assert expected in problem and problem.startswith(str(tmp_path / name) + ":")


def test_binary_and_fake_xlsx_are_not_tables(tmp_path):
    png = tmp_path / "c.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "not a text table" in _problems(png)[0]
    fake = _write(tmp_path, "c.xlsx", "id,citation\n")
    pytest.importorskip("openpyxl")
    assert "not an Excel workbook" in _problems(fake)[0]


def test_xlsx_with_two_sheets_is_ambiguous(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["id", "citation", "domain", "statement", "gain"])
    book.create_sheet("notes").append(["anything"])
    book.save(tmp_path / "two.xlsx")
    (problem,) = _problems(tmp_path / "two.xlsx")
    assert "2 sheets" in problem


def test_grade_without_justification_and_missing_study(tmp_path):
    path = _write(tmp_path, "c.csv", HEADER.strip() + ",study\n" + "x,Ref,b,S,,,,none,,d,,nowhere.yaml\n")
    assert _problems(path) == [
        f"{path}:2: justification: an analyst grade needs a justification (why the evidence columns do not say it all)",
        f"{path}:2: study: study file 'nowhere.yaml' not found (a path relative to the table's folder)"]
