"""The state brief's footer with the imported officials (issue 13): the state's U.S. senators
and their phones, how to find the reader's own members, when the data is from; unchanged
before any import. The officials are the SYNTHETIC fixture (tests/fixtures/officials)."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from pathlib import Path

import pytest
from matplotlib.image import imread
from pypdf import PdfReader

from qimap.geo.districts import zip_index
from qimap.geo.states import StateLayer
from qimap.ingest.dataset import Dataset
from qimap.ingest.importer import seed, undo
from qimap.ingest.officials.snapshot import load_officials, publish_snapshot, read_snapshot
from qimap.model.contacts import NO_CONTACT, contact_lines
from qimap.model.officials import EMPTY, NO_PHONE, Office, OfficialsData, as_of
from qimap.model.schema import ContactKind
from qimap.render.brief import (
    BOLD_EM,
    ELLIPSIS,
    FIND_YOURS,
    FOOTER_H,
    FOOTER_MAX_H,
    MARGIN,
    PAGE_H,
    PAGE_W,
    PNG_DPI,
    SOURCE_LINE,
    fit_lines,
    footer_block,
    footer_height,
    footer_lines,
    footer_width,
    render_brief,
)
from qimap.store import Store
from tests.conftest import SYNTHETIC_DIR
from tests.unit.officials_support import sources_folder
from tests.unit.test_brief import with_a_third_bill

DAY = date(2026, 8, 7)
WIDTH = PAGE_W - 2 * MARGIN
MA_SENATORS = (
    "U.S. senators: Synthetic Senator One 555-020-0001, Synthetic Senator Two 555-020-0002"
)
HOSTILE_NAME = r"$\frac{1}{2}$ <b>x</b> {{7*7}}"


@pytest.fixture(scope="module")
def officials(tmp_path_factory: pytest.TempPathFactory) -> OfficialsData:
    """The synthetic fixture imported into a store and read back, as the app reads it."""
    folder = tmp_path_factory.mktemp("officials")
    store = Store.open(f"sqlite:///{folder / 'store.sqlite3'}")
    publish_snapshot(store, read_snapshot(sources_folder(folder), today=DAY), "ann", today=DAY)
    return load_officials(store)


def changed(data: OfficialsData, official_id: str, **changes: object) -> OfficialsData:
    """The officials with one of them changed (a name, a phone)."""
    officials = tuple(
        dataclasses.replace(o, **changes) if o.official_id == official_id else o
        for o in data.officials
    )
    return dataclasses.replace(data, officials=officials)


def senator_ids(data: OfficialsData, state: str) -> list[str]:
    return sorted(o.official_id for o in data.federal(state) if o.office == Office.US_SENATE)


def pdf_text(pdf: bytes) -> str:
    """The page's text, one space between words (so wrapping does not matter)."""
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


# --- the footer's text -------------------------------------------------------------------------


def test_massachusetts_footer_names_its_senators(
    synthetic: Dataset, officials: OfficialsData
) -> None:
    assert "MA" not in synthetic.contacts_by_state  # no look-up page recorded
    assert footer_lines(synthetic, "MA", officials) == [
        MA_SENATORS,
        "Your U.S. representative and state legislators: type your ZIP code on qimap's "
        "Get involved page.",
        as_of(officials.versions),
        SOURCE_LINE,
    ]
    assert as_of(officials.versions).startswith("Officials as of ")


def test_a_vacant_senate_seat_is_said(synthetic: Dataset, officials: OfficialsData) -> None:
    """The fixture lists one senator for Rhode Island: the page names them and says so."""
    lines = footer_lines(synthetic, "RI", officials)
    assert lines[0] == (
        "U.S. senator: Synthetic Rhode Island Senator 555-020-0010 "
        "(the data lists one; a seat may be vacant)."
    )
    assert lines[1] == FIND_YOURS


@pytest.mark.parametrize(
    ("state", "member"),
    [
        ("DC", "Delegate to the U.S. House: Synthetic District Delegate 555-020-0008"),
        (
            "PR",
            "Resident Commissioner to the U.S. House: Synthetic Resident Commissioner 555-020-0009",
        ),
    ],
)
def test_dc_and_puerto_rico_have_no_senators(
    synthetic: Dataset, officials: OfficialsData, state: str, member: str
) -> None:
    """No line about senators; their one House member needs no ZIP code, so is named."""
    lines = footer_lines(synthetic, state, officials)
    assert not [line for line in lines if "senator" in line.casefold()]
    assert lines[:2] == [
        member,
        "Your legislators: choose your district on qimap's Get involved page.",
    ]


def test_an_at_large_state_names_its_representative(
    synthetic: Dataset, officials: OfficialsData
) -> None:
    lines = footer_lines(synthetic, "AK", officials)
    assert lines[:3] == [
        "U.S. senators: Synthetic Alaska Senator One 555-020-0005, "
        "Synthetic Alaska Senator Two 555-020-0006",
        "U.S. Representative (at-large): Synthetic Alaska Representative 555-020-0007",
        "Your state legislators: choose your district on qimap's Get involved page.",
    ]


def test_a_missing_phone_is_said_in_words(synthetic: Dataset, officials: OfficialsData) -> None:
    first, _ = senator_ids(officials, "MA")
    lines = footer_lines(synthetic, "MA", changed(officials, first, phone=None))
    assert lines[0] == (
        f"U.S. senators: Synthetic Senator One ({NO_PHONE}), Synthetic Senator Two 555-020-0002"
    )


def test_a_recorded_look_up_page_and_sponsors_stay(
    synthetic: Dataset, officials: OfficialsData
) -> None:
    """Colorado's synthetic contacts: the editor's look-up page and sponsor follow the
    officials; the general hint gives way to qimap's own page."""
    contacts = synthetic.contacts_by_state["CO"]
    before = contact_lines(contacts, synthetic.bill_names)
    assert before[0] != NO_CONTACT
    lines = footer_lines(synthetic, "CO", officials)
    assert lines[1:] == [FIND_YOURS, *before, as_of(officials.versions), SOURCE_LINE]
    assert NO_CONTACT not in footer_lines(synthetic, "MA", officials)
    assert [c.kind for c in contacts].count(ContactKind.SPONSOR) == 1


@pytest.mark.parametrize("state", ["MA", "CO", "DC"])
def test_without_officials_the_footer_is_as_before(synthetic: Dataset, state: str) -> None:
    contacts = synthetic.contacts_by_state.get(state, [])
    before = [*contact_lines(contacts, synthetic.bill_names), SOURCE_LINE]
    assert footer_lines(synthetic, state) == before
    assert footer_lines(synthetic, state, EMPTY) == before
    assert footer_height(footer_block(synthetic, state), WIDTH) == FOOTER_H


def test_a_hostile_name_is_plain_text(synthetic: Dataset, officials: OfficialsData) -> None:
    """Maths, HTML and template syntax in a name stay as typed: the line holds them literally
    and the page draws them with maths parsing off (valid maths would be typeset)."""
    first, _ = senator_ids(officials, "MA")
    hostile = changed(officials, first, name=HOSTILE_NAME)
    lines = footer_lines(synthetic, "MA", hostile)
    assert (
        lines[0]
        == f"U.S. senators: {HOSTILE_NAME} 555-020-0001, Synthetic Senator Two 555-020-0002"
    )
    out = io.BytesIO()
    render_brief(synthetic, "MA", out, officials=hostile)
    assert f"U.S. senators: {HOSTILE_NAME} 555-020-0001" in pdf_text(out.getvalue())
    render_brief(synthetic, "MA", io.BytesIO(), fmt="png", officials=hostile)


# --- the footer's box --------------------------------------------------------------------------


def test_the_footer_grows_to_hold_every_line(synthetic: Dataset, officials: OfficialsData) -> None:
    """Colorado's footer (senators' line, the ZIP code line, look-up page, sponsor, date and
    source) is taller than the old box; none of it is cut."""
    block = footer_block(synthetic, "CO", officials)
    height = footer_height(block, WIDTH)
    assert FOOTER_H < height <= FOOTER_MAX_H
    placed = fit_lines(block, footer_width(WIDTH), height)
    assert {p.line.text for p in placed} == {line.text for line in block}
    assert not any(p.text.endswith(ELLIPSIS) for p in placed)


def test_long_bold_lines_wrap_inside_the_page(synthetic: Dataset, officials: OfficialsData) -> None:
    """Bold type is wider than the wrapping rule assumes: a long senators' line wraps early
    enough that each printed line stays between the margins."""
    first, second = senator_ids(officials, "MA")
    long = changed(
        changed(officials, first, name="Synthetic Senator " + "Longname " * 6),
        second,
        name="Synthetic Senator " + "Otherlong " * 6,
    )
    block = footer_block(synthetic, "MA", long)
    placed = fit_lines(block, footer_width(WIDTH), footer_height(block, WIDTH))
    senators = [p for p in placed if p.line is block[0]]
    assert len(senators) >= 2
    for p in senators:
        assert len(p.text) * p.line.size * BOLD_EM / 72 <= WIDTH


# --- the rendered page -------------------------------------------------------------------------


def test_a_brief_with_officials_renders_one_page(
    synthetic: Dataset, officials: OfficialsData, tmp_path: Path
) -> None:
    out = io.BytesIO()
    render_brief(synthetic, "MA", out, officials=officials)
    text = pdf_text(out.getvalue())
    for line in footer_lines(synthetic, "MA", officials):
        assert line in text
    png = tmp_path / "ma.png"
    render_brief(synthetic, "MA", png, fmt="png", officials=officials)
    assert imread(png).shape[:2] == (int(PAGE_H * PNG_DPI), int(PAGE_W * PNG_DPI))


def test_three_bills_still_fit_above_the_officials(
    synthetic: Dataset, officials: OfficialsData
) -> None:
    """As many bills as the bundled data's busiest state has, and the officials' footer."""
    data = with_a_third_bill(synthetic)
    out = io.BytesIO()
    render_brief(data, "MA", out, officials=officials)
    text = pdf_text(out.getvalue())
    assert text.count("Starts disclosing public records") == 3
    assert MA_SENATORS in text


# --- the downloads' cache ----------------------------------------------------------------------


def test_an_officials_import_or_undo_changes_the_store_version(
    tmp_path: Path, states: StateLayer
) -> None:
    """The brief's files are cached under the store's version: an officials import and its
    undo each change it, so the next download draws the new footer."""
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    seed(store, SYNTHETIC_DIR, states)  # the editors' data: an undo keeps it valid
    start = store.version()
    snapshot = read_snapshot(sources_folder(tmp_path), today=DAY)
    batch = publish_snapshot(store, snapshot, "ann", today=DAY)
    imported = store.version()
    assert imported > start
    undo(store, [batch.batch_id], states, "ann")
    assert store.version() > imported


def test_a_downloaded_brief_gets_the_stored_officials(
    monkeypatch: pytest.MonkeyPatch, synthetic: Dataset, officials: OfficialsData
) -> None:
    """ui.downloads hands the stored officials to the brief (not to the share image), and a
    new store version draws the file again."""
    from qimap.ui import downloads, loaders

    downloads._render.clear()
    drawn: list[tuple[str, OfficialsData]] = []

    def brief(
        data: Dataset,
        state: str,
        out: io.BytesIO,
        fmt: str = "pdf",
        officials: OfficialsData = EMPTY,
    ) -> None:
        drawn.append((fmt, officials))
        out.write(b"%PDF-1.4 stand-in")

    version = {"now": 41}
    monkeypatch.setattr(downloads, "render_brief", brief)
    monkeypatch.setattr(downloads, "_version", lambda: version["now"])
    monkeypatch.setattr(loaders, "settings", lambda: None)
    stored = loaders.Officials(officials, zip_index(officials.zips))
    monkeypatch.setattr(loaders, "officials", lambda settings: stored)
    assert downloads.lazy_file(synthetic, "MA", "pdf")() == b"%PDF-1.4 stand-in"
    assert drawn == [("pdf", officials)]
    downloads.state_file(synthetic, "MA", "pdf")
    assert len(drawn) == 1  # the same version: from the cache
    version["now"] = 42  # an officials import
    downloads.lazy_file(synthetic, "MA", "pdf")()
    assert drawn == [("pdf", officials), ("pdf", officials)]
    assert downloads._officials("card") == EMPTY  # the share images name no one
    downloads._render.clear()
