"""HTML tables from untrusted text (qimap.render.html_table): every piece escaped, links only
within the site, table semantics (caption, scope), and the same table as formula-safe CSV."""

from __future__ import annotations

import csv
import io

import pytest

from qimap.render.html_table import (
    Cell,
    LinkList,
    Row,
    Section,
    Table,
    list_html,
    same_site_href,
    table_csv,
    table_html,
)
from tests.conftest import HOSTILE_HTML, HOSTILE_JINJA
from tests.html_tables import parse_tables, start_tags

SCRIPT = "<script>window.__xss=1</script>"
MARKDOWN = "**bold** [link](javascript:alert(1)) ![i](http://elsewhere.invalid/i.png)"
QUOTES = '"\' onmouseover="alert(1)'
HOSTILE_TEXTS = [HOSTILE_HTML, HOSTILE_JINJA, SCRIPT, MARKDOWN, QUOTES, "a & b < c"]
# the elements a table (and its style) is made of; any other would have come from data
OWN_TAGS = {"style", "div", "table", "caption", "thead", "tbody", "tr", "th", "td", "span", "p"}


def hostile_table(text: str, href: str = "") -> Table:
    return Table(
        caption=text,
        columns=(Cell(text), Cell(text, notes=(text,))),
        sections=(
            Section(
                (Row(Cell(text, href=href, hidden=text), (Cell(text, notes=(text,), css=text),)),),
                heading=text,
            ),
        ),
        css=text,
        notes=(text,),
    )


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_every_piece_of_a_table_is_text(text: str) -> None:
    markup = table_html(hostile_table(text))
    tags = start_tags(markup)
    assert {tag for tag, _ in tags} <= OWN_TAGS  # no <img>, <script>, <a> from the data
    assert not any(name.startswith("on") for _, attrs in tags for name in attrs)
    (table,) = parse_tables(markup)
    assert table.caption == text
    assert table.columns == [text, f"{text} {text}"]
    group, row = table.rows
    assert group[0].text == text  # the section's heading row
    assert [cell.text for cell in row] == [f"{text} {text}", f"{text} {text}"]
    assert row[1].attrs["data-label"] == f"{text}"  # the column's name, as an attribute value
    assert row[1].attrs["class"] == text  # an attribute, not markup


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "https://evil.example/x",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "/bills?view=state",  # absolute paths leave a deployment's prefix
        "data:text/html,<b>x</b>",
        "",
    ],
)
def test_only_same_site_relative_links_are_kept(href: str) -> None:
    assert same_site_href(href) is None
    markup = table_html(hostile_table("Massachusetts", href=href))
    assert "<a " not in markup
    assert "Massachusetts" in parse_tables(markup)[0].rows[1][0].text  # the text stays


@pytest.mark.parametrize("href", ["?view=state&state=MA", "./?state=MA", "bills?view=overview"])
def test_a_same_site_link_is_a_link_in_this_tab(href: str) -> None:
    assert same_site_href(href) == href
    (table,) = parse_tables(table_html(hostile_table("Massachusetts", href=href)))
    assert table.rows[1][0].links == [href]  # the & is written &amp; and read back as &
    tags = start_tags(table_html(hostile_table("x", href=href)))
    assert ("a", {"href": href, "target": "_self"}) in tags


def test_a_table_has_its_semantics() -> None:
    table = Table(
        caption="Two bills",
        columns=(Cell("Criterion"), Cell("MA SB 1"), Cell("CO SB 2")),
        sections=(Section((Row(Cell("Ends QI"), (Cell("✓ Yes"), Cell("✗ No"))),), "End"),),
    )
    markup = table_html(table)
    (parsed,) = parse_tables(markup)
    assert parsed.caption == "Two bills"
    assert [cell.attrs["scope"] for cell in parsed.head] == ["col", "col", "col"]
    group, row = parsed.rows
    assert group[0].attrs["scope"] == "rowgroup"
    assert group[0].attrs["colspan"] == "3"
    assert row[0].tag == "th"
    assert row[0].attrs["scope"] == "row"
    # each data cell names its column, for the stacked (phone) layout
    assert [cell.attrs["data-label"] for cell in row[1:]] == ["MA SB 1", "CO SB 2"]
    assert parsed.records() == [{"Criterion": "Ends QI", "MA SB 1": "✓ Yes", "CO SB 2": "✗ No"}]
    assert "@media (max-width:" in markup  # the stacked layout is in the style


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    table = Table("t", (Cell("a"), Cell("b")), (Section((Row(Cell("x"), ()),)),))
    with pytest.raises(ValueError, match="shorter"):
        table_html(table)


def test_csv_is_formula_safe_and_keeps_sections() -> None:
    table = Table(
        caption="c",
        columns=(Cell("=cmd"), Cell("bill", notes=("2021",))),
        sections=(Section((Row(Cell("+1+1"), (Cell("@SUM(A1)", notes=("note",)),)),), "group"),),
    )
    rows = list(csv.reader(io.StringIO(table_csv(table))))
    assert rows == [["group", "'=cmd", "bill · 2021"], ["group", "'+1+1", "'@SUM(A1) · note"]]
    plain = Table("c", (Cell("a"), Cell("b")), (Section((Row(Cell("-71.06"), (Cell("x"),)),)),))
    assert list(csv.reader(io.StringIO(table_csv(plain)))) == [["a", "b"], ["-71.06", "x"]]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_link_list_is_text_too(text: str) -> None:
    markup = list_html(LinkList(text, (Cell(text, href="javascript:x"), Cell(text, href="?a=1"))))
    tags = start_tags(markup)
    assert {tag for tag, _ in tags} <= {"style", "div", "p", "ul", "li", "a"}
    assert [attrs["href"] for tag, attrs in tags if tag == "a"] == ["?a=1"]
