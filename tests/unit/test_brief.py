"""The printable state brief: real PDF/PNG output, its text, and hostile text kept literal."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from matplotlib.image import imread
from pypdf import PdfReader

from qimap.ingest.dataset import Dataset
from qimap.ingest.validate import parse_row
from qimap.model.contacts import NO_CONTACT
from qimap.model.labels import MARK_LABELS, OUTCOME_LABELS
from qimap.model.schema import CASES, ContactKind, Mark
from qimap.model.scoring import tally_phrase
from qimap.render.brief import (
    METRICS,
    PAGE_H,
    PAGE_W,
    PNG_DPI,
    SOURCE_LINE,
    Line,
    brief_lines,
    excerpt,
    fit_lines,
    headline_line,
    render_brief,
    story_cases,
    story_lines,
    unwrap_parts,
)
from qimap.render.textfit import line_height
from tests.conftest import HOSTILE_HTML, HOSTILE_JINJA, SYNTHETIC_LATEST, hostile_case


def hostile(**overrides: str):
    record, issues = parse_row(hostile_case(**overrides), CASES, "test.csv", 2)
    assert issues == []
    return CASES.build(record)


RESULTS = Path(__file__).resolve().parents[2] / "test-results"
TESSERACT = os.environ.get("QIMAP_TESSERACT", "/usr/bin/tesseract")


def ocr(png: Path) -> str:
    """Tesseract's reading of an image; one-space text so wrapping does not matter."""
    found = subprocess.run([TESSERACT, str(png), "stdout"], capture_output=True, text=True)
    assert found.returncode == 0, f"tesseract failed (install tesseract-ocr): {found.stderr}"
    return " ".join(found.stdout.split())


def pdf_text(source: Path | bytes) -> str:
    reader = PdfReader(source if isinstance(source, Path) else io.BytesIO(source))
    assert len(reader.pages) == 1
    return "\n".join(page.extract_text() for page in reader.pages)


def test_massachusetts_pdf_has_title_bill_and_tallies(synthetic: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "ma.pdf"
    render_brief(synthetic, "MA", out)
    assert out.read_bytes().startswith(b"%PDF-")
    box = PdfReader(out).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (PAGE_W * 72, PAGE_H * 72)
    text = pdf_text(out)
    assert "Massachusetts: ending qualified immunity" in text
    latest = synthetic.scorecards_by_key[SYNTHETIC_LATEST]
    # the headline: the pending SB 9002 is live, though the failed SB 9001 scored higher
    assert "SB 9002 is pending: it meets 3.5 of 9 criteria." in text
    assert f"{latest.bill.bill_id} · 2023" in text
    flat = " ".join(text.split())
    assert "Meets 3.5 of 9 criteria: 2 of 4 to end qualified immunity · 1.5 of 5 to start" in flat
    assert "End QI" not in text
    assert MARK_LABELS[Mark.YES] in text  # symbol and word survive into the PDF
    assert MARK_LABELS[Mark.NO] in text
    first = story_cases(synthetic.cases, "MA")[0]
    assert f"1. {first.title}" in text  # stories are numbered like the map's markers
    assert "MA" not in synthetic.contacts_by_state
    assert NO_CONTACT in text
    assert SOURCE_LINE in text


@pytest.mark.parametrize("state", ["MA", "GA", "WY"])
def test_the_headline_under_the_title_is_printed_whole(synthetic: Dataset, state: str) -> None:
    """The live bill (MA: SB 9002, pending, not the better SB 9001 that failed), what became of
    the best bill (GA: a sentence long enough to take two lines) or that there is none (WY)."""
    sentence = headline_line(synthetic, state)
    out = io.BytesIO()
    render_brief(synthetic, state, out)
    text = " ".join(pdf_text(out.getvalue()).split())
    assert sentence in text
    if state == "GA":
        assert len(sentence) > 100  # two lines at the headline's size


def with_a_third_bill(synthetic: Dataset) -> Dataset:
    """A third MA bill (as many as the bundled data's busiest state has), marked like SB 9002."""
    third = dataclasses.replace(
        synthetic.scorecards_by_key[SYNTHETIC_LATEST].bill, bill_key="MA-SB9003", bill_id="SB 9003"
    )
    marks = [
        dataclasses.replace(score, bill_key=third.bill_key)
        for score in synthetic.scores
        if score.bill_key == SYNTHETIC_LATEST
    ]
    return dataclasses.replace(
        synthetic, bills=(*synthetic.bills, third), scores=(*synthetic.scores, *marks)
    )


def test_three_bills_of_a_state_fit_on_the_page(synthetic: Dataset, tmp_path: Path) -> None:
    data = with_a_third_bill(synthetic)
    assert len(data.scorecards("MA")) == 3
    out = tmp_path / "ma.pdf"
    render_brief(data, "MA", out)
    text = pdf_text(out)
    for card in data.scorecards("MA"):
        assert card.bill.bill_id in text
    # the last criterion of the last bill is drawn, not cut off
    assert text.count("Starts disclosing public records") == 3


def test_contacts_from_the_data_are_printed(synthetic: Dataset) -> None:
    # the synthetic set's CO contacts: a look-up page and a bill's sponsor (not real ones)
    contacts = synthetic.contacts_by_state["CO"]
    (lookup,) = [c for c in contacts if c.kind == ContactKind.FIND_LEGISLATOR]
    (sponsor,) = [c for c in contacts if c.kind == ContactKind.SPONSOR]
    out = io.BytesIO()
    render_brief(synthetic, "CO", out)
    text = pdf_text(out.getvalue())
    assert f"Find your state legislators: {lookup.url}" in text
    assert f"Bill sponsors: {sponsor.name} ({synthetic.bill_names[sponsor.bill_key]})" in text
    assert NO_CONTACT not in text
    assert SOURCE_LINE in text  # the longer footer still fits


@pytest.mark.ocr  # the suite's slowest unit test: deselect with -m "not ocr" while iterating
def test_pdf_page_rendered_to_png_reads_state_and_tallies(
    synthetic: Dataset, tmp_path: Path
) -> None:
    """What a printer gets: rasterise the PDF (pdfium) and read it back with OCR (Tesseract),
    so a tally drawn off the page, under the map or in white would fail here."""
    pdf = io.BytesIO()
    render_brief(synthetic, "MA", pdf)
    page = pdfium.PdfDocument(pdf.getvalue())[0]
    image = page.render(scale=200 / 72, grayscale=True).to_pil()
    assert image.size == (int(PAGE_W * 200), int(PAGE_H * 200))
    png = RESULTS / "brief-ma-rendered.png"
    png.parent.mkdir(exist_ok=True)
    image.save(png)
    text = ocr(png)
    assert "Massachusetts: ending qualified immunity" in text
    assert headline_line(synthetic, "MA") in text
    for card in synthetic.scorecards("MA"):
        assert f"{card.score.phrase()}: {tally_phrase(card.end)}" in text
        assert tally_phrase(card.start) in text
    assert synthetic.scorecards_by_key[SYNTHETIC_LATEST].bill.bill_id in text


def test_png_is_letter_at_150_dpi_and_not_blank(synthetic: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "ma.png"
    render_brief(synthetic, "MA", out, fmt="png")
    pixels = imread(out)
    assert pixels.shape[:2] == (int(PAGE_H * PNG_DPI), int(PAGE_W * PNG_DPI))
    grey = pixels[..., :3].mean(axis=2)
    assert grey.var() > 0.01
    assert (grey < 0.2).mean() > 0.01  # real black ink, not a faint page


def test_state_without_bills_says_so(synthetic: Dataset, tmp_path: Path) -> None:
    assert synthetic.scorecards("WY") == []
    out = tmp_path / "wy.pdf"
    render_brief(synthetic, "WY", out)
    text = " ".join(pdf_text(out).split())
    assert "Wyoming: ending qualified immunity" in text
    assert "No bills on record" in text
    assert "Wyoming." in text


def test_hostile_text_is_drawn_literally(synthetic: Dataset) -> None:
    data = dataclasses.replace(synthetic, cases=(hostile(),))
    out = io.BytesIO()
    render_brief(data, "MA", out)
    text = pdf_text(out.getvalue())
    assert f"1. {HOSTILE_HTML} {HOSTILE_JINJA}" in text
    assert "<script>alert(2)</script>" in text


def test_dollar_signs_are_not_parsed_as_maths(synthetic: Dataset) -> None:
    # valid maths would be typeset (and change the text); broken maths could raise
    case = hostile(title=r"Costs $\frac{1}{2}$ or $x^2$", summary=r"Paid $100 $\bad{ ok$")
    data = dataclasses.replace(synthetic, cases=(case,))
    for fmt in ("pdf", "png"):
        render_brief(data, "MA", io.BytesIO(), fmt=fmt)
    out = io.BytesIO()
    render_brief(data, "MA", out)
    text = pdf_text(out.getvalue())
    assert r"1. Costs $\frac{1}{2}$ or $x^2$" in text
    assert r"Paid $100 $\bad{ ok$" in text


def test_alaska_renders(synthetic: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "ak.png"
    render_brief(synthetic, "AK", out, fmt="png")
    assert imread(out).shape[:2] == (1650, 1275)


def test_bad_format_and_state_are_refused(synthetic: Dataset) -> None:
    with pytest.raises(ValueError, match="format"):
        render_brief(synthetic, "MA", io.BytesIO(), fmt="svg")
    with pytest.raises(ValueError, match="unknown state"):
        render_brief(synthetic, "ZZ", io.BytesIO())


# --- pure helpers ----------------------------------------------------------------------------


def test_brief_lines_show_symbol_and_word(synthetic: Dataset) -> None:
    card = synthetic.scorecards_by_key[SYNTHETIC_LATEST]
    lines = brief_lines(card)
    assert lines[0] == "SB 9002 · 2023 · Pending"
    # the marks' tally (the page prints 3/4), the overall score first
    assert lines[1] == (
        "Meets 3.5 of 9 criteria: 2 of 4 to end qualified immunity · 1.5 of 5 to start accountability"
    )
    marks = lines[2:11]
    assert len(marks) == 9
    for line, row in zip(marks, card.rows, strict=True):
        assert line.startswith(MARK_LABELS[row.mark])
        assert line.endswith(row.criterion.label)


def test_unnamed_bill_and_unknown_marks(synthetic: Dataset) -> None:
    card = synthetic.scorecards("MA")[0]
    bill = dataclasses.replace(card.bill, bill_id=None, year_introduced=None)
    row = dataclasses.replace(card.end_rows[0], score=None)  # no score: unknown
    odd = dataclasses.replace(card, bill=bill, end_rows=(row, *card.end_rows[1:]))
    lines = brief_lines(odd)
    assert lines[0].startswith("Unnamed bill · Year unknown")
    assert lines[2].startswith(MARK_LABELS[Mark.UNKNOWN])


def test_story_lines_number_and_shorten() -> None:
    case = hostile(summary="word " * 100)
    title, when, outcome, summary = story_lines(case, 2)
    assert title == f"2. {HOSTILE_HTML} {HOSTILE_JINJA}"
    assert when == "2 Jan 2020 · Boston"
    assert outcome.startswith(f"Outcome: {OUTCOME_LABELS[case.outcome]}")
    assert summary.endswith("…")
    assert len(summary) <= 200
    assert excerpt("short") == "short"


def test_fit_lines_wraps_and_cuts_with_ellipsis() -> None:
    long = Line("x" * 2000, size=8)  # one unbreakable word: must still wrap
    placed = fit_lines([long], width=3.0, height=1.0)
    assert len(placed) > 1
    assert placed[-1].y + line_height(8, METRICS) <= 1.0 + 1e-9
    assert placed[-1].text.endswith("…")
    assert all(len(p.text) <= 60 for p in placed)
    short = fit_lines([Line("fits")], width=3.0, height=1.0)
    assert [p.text for p in short] == ["fits"]


def test_alaska_parts_east_of_180_move_west() -> None:
    from shapely.geometry import box

    moved = unwrap_parts([box(172, 52, 174, 53), box(-170, 60, -140, 70)])
    assert moved[0].bounds[0] == pytest.approx(-188)
    assert moved[1].bounds[0] == pytest.approx(-170)
    assert np.isfinite(moved[0].area)


def test_printable_scorecard_for_an_evaluated_bill(synthetic, tmp_path) -> None:
    from pypdf import PdfReader

    from qimap.render.brief import render_scorecard

    card = synthetic.scorecards_by_key[SYNTHETIC_LATEST]
    target = tmp_path / "card.pdf"
    evidence = ["Synthetic quotation for the first criterion."] + [""] * 8
    with target.open("wb") as handle:
        render_scorecard(card, "Massachusetts", handle, evidence)
    text = PdfReader(target).pages[0].extract_text()
    assert "Massachusetts: a bill scored" in text
    assert "SB 9002" in text
    assert "2 of 4 to end qualified immunity" in text
    assert "Synthetic quotation for the first criterion." in text
