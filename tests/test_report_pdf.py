"""The PDF report: its text (grade, totals, net), page numbers, contents, and rendered pages."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def pdf_path(library, data_dir, tmp_path_factory):
    import lca
    from lca.io.publish import write_outputs

    result = lca.assess(DATA / "claim-heating.yaml", data_dir=data_dir, library=library)
    out = tmp_path_factory.mktemp("pdf")
    [path] = write_outputs(result, out, ["pdf"])
    return path


def _text(path: Path) -> list[str]:
    """The text of each page, whitespace (line breaks, narrow spaces) collapsed to single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_pdf_text(pdf_path):
    assert pdf_path.name == "claim-heating.pdf" and pdf_path.read_bytes().startswith(b"%PDF")
    pages = _text(pdf_path)
    first = pages[0]
    assert "d The gain holds on some criteria only: burden shift" in first  # grade badge, then the verdict
    assert "−38 kgCO2e" in first and "−2 800 MJ" in first  # nets gwp, pe
    assert "81 % of the gain" in first                                             # 162 / 200
    everything = " ".join(pages)
    for total in ("962", "1 000", "13 200", "16 000"):                           # totals AI / reference
        assert total in everything, total
    assert "ITU-T L.1410 completeness" in everything and "Assumptions register" in everything


def test_page_numbers_and_contents(pdf_path):
    pages = _text(pdf_path)
    n = len(pages)
    assert n >= 3
    for i, text in enumerate(pages, start=1):
        assert f"page {i} of {n}" in text
    contents = pages[0] + pages[1]
    assert "Contents" in contents and "Results per criterion" in contents
    import re
    # a leader and a page number after each entry
    assert re.search(r"Results per criterion \.+\s*\d+", contents)
    reader = pypdf.PdfReader(io.BytesIO(pdf_path.read_bytes()))
    assert any(o.title.startswith("Results per criterion") for o in reader.outline if not isinstance(o, list))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pages_render(pdf_path, tmp_path):
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf_path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(_text(pdf_path))
    assert all(p.stat().st_size > 2000 for p in images)  # not blank pages


def test_same_epoch_same_pdf(library, data_dir, monkeypatch):
    import lca
    from lca.report import render_pdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    payload = lca.assess(DATA / "claim-heating.yaml", data_dir=data_dir, library=library).to_dict()
    assert render_pdf(payload) == render_pdf(payload)


def test_demo_pdf_shows_the_tree_the_cumulative_chart_and_the_balances(library, data_dir, tmp_path):
    import lca
    from lca.io.publish import write_outputs

    demo = Path(__file__).resolve().parent.parent / "inventories" / "studies" / "demo-office-heating.yaml"
    result = lca.assess(demo, data_dir=data_dir, library=library)
    [path] = write_outputs(result, tmp_path, ["pdf"])
    everything = " ".join(_text(path))
    assert "Consequence tree" in everything and "Occupants take back part of the saving" in everything
    assert "The balance before and after higher-order effects" in everything and "break-even rebound" in everything
    # the cumulative charts (SVG text is PDF text), gwp breaking even in 2026, the first year
    assert "Cumulative net: Climate change" in everything and "break-even, first order: 2026" in everything
    assert "holds up to a 99 % rebound" in everything
