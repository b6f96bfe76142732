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
    contents = pages[1]
    assert "Contents" in contents and "Results per criterion" in contents
    import re
    # a leader and a page number after each entry
    assert re.search(r"Results per criterion \.+\s*\d+", contents)
    reader = pypdf.PdfReader(io.BytesIO(pdf_path.read_bytes()))
    assert any(o.title.startswith("Results per criterion") for o in reader.outline if not isinstance(o, list))


DPI = 50
MM = DPI / 25.4  # pixels per millimetre


def _ink(image, box) -> float:
    """Share of the pixels of ``box`` (left, top, right, bottom) darker than near-white."""
    region = image.crop(box).convert("L")
    dark = region.point(lambda v: 255 if v < 235 else 0).histogram()[255]
    return dark / max(1, region.width * region.height)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pages_render_without_blank_pages_or_overflow(pdf_path, tmp_path):
    image_mod = pytest.importorskip("PIL.Image")
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(pdf_path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(_text(pdf_path))
    for path in images:
        page = image_mod.open(path)
        w, h = page.size
        # body: inside the margins (16 mm top, 14 mm sides, 18 mm bottom where the footer is)
        body = (int(14 * MM), int(16 * MM), int(w - 14 * MM), int(h - 18 * MM))
        assert _ink(page, body) > 0.003, f"{path.name}: a blank page"
        # nothing drawn in the side margins (a table or chart wider than the page would be)
        right = (int(w - 12 * MM), int(16 * MM), w, int(h - 18 * MM))
        left = (0, int(16 * MM), int(12 * MM), int(h - 18 * MM))
        assert _ink(page, right) == 0 and _ink(page, left) == 0, f"{path.name}: content runs into the margin"


def test_summary_stands_alone_on_page_one(pdf_path):
    pages = _text(pdf_path)
    first = pages[0]
    assert "The question." in first and "Grade of the claim's evidence: d" in first
    assert "AI service's own footprint" in first and "gain kept" in first
    assert "162 kgCO2e" in first  # the AI service's own GWP: 200 gain x 81 %
    assert "19 %" in first  # gain kept on gwp: 100 % - 81 %
    assert "major finding" in first
    assert "Contents" not in first  # the contents start page 2
    assert pages[1].startswith("Contents") or " Contents " in pages[1][:200]


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
    pages = _text(path)
    # the summary keeps to page 1, its three major findings and the count of the others included
    assert "3 major findings" in pages[0] and "other findings (minor or for information)" in pages[0]
    assert pages[1].startswith("Contents")
    everything = " ".join(pages)
    assert "Consequence tree" in everything and "Occupants take back part of the saving" in everything
    assert "The balance before and after higher-order effects" in everything and "break-even rebound" in everything
    # the cumulative charts (SVG text is PDF text), gwp breaking even in 2026, the first year
    assert "Cumulative net: Climate change" in everything and "break-even, first order: 2026" in everything
    assert "holds up to a 99 % rebound" in everything
