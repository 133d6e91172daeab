import pytest

from qimap.safe import (
    escape_html,
    escape_markdown,
    markdown_link,
    safe_url,
    spreadsheet_safe,
)
from tests.conftest import HOSTILE_HTML

ATTACKS = [
    HOSTILE_HTML,
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![x](http://evil.example/pixel.png)",
    "**bold** _it_ `code` # heading",
    ":red[coloured] $x^2$ :smile:",
    "line one\n\n- list\n# heading",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_escape_html_leaves_no_markup(text: str) -> None:
    escaped = escape_html(text)
    assert "<" not in escaped
    assert ">" not in escaped
    assert '"' not in escaped
    assert "'" not in escaped


@pytest.mark.parametrize("text", ATTACKS)
def test_escape_markdown_neutralises_every_special_character(text: str) -> None:
    escaped = escape_markdown(text)
    # every special character is preceded by a backslash, and no newline survives
    assert "\n" not in escaped
    for index, char in enumerate(escaped):
        if char in "[]()<>*_`#!:$" and (index == 0 or escaped[index - 1] != "\\"):
            raise AssertionError(f"unescaped {char!r} at {index} in {escaped!r}")


def test_escape_markdown_keeps_plain_words() -> None:
    assert escape_markdown("Glik v Cunniffe") == "Glik v Cunniffe"


@pytest.mark.parametrize(
    "url",
    ["https://endqi.org/state/ma", "http://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG/"],
)
def test_safe_url_accepts_http_links(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/x",
        "/relative/path",
        "ftp://example.org/file",
        "https://",
        "https://exa mple.org",
        "https://example.org/\x00",
        "",
    ],
)
def test_safe_url_rejects_everything_else(url: str) -> None:
    assert safe_url(url) is None


def test_markdown_link_drops_unsafe_target_but_keeps_label() -> None:
    assert markdown_link("Source", "javascript:alert(1)") == "Source"
    assert (
        markdown_link("[x]", "https://example.org/a_(b)") == r"[\[x\]](<https://example.org/a_(b)>)"
    )


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "-x"]
)
def test_spreadsheet_safe_defuses_formulas(cell: str) -> None:
    assert spreadsheet_safe(cell).startswith("'")


@pytest.mark.parametrize("cell", ["Boston, MA", "-71.06", "+42", "2021", ""])
def test_spreadsheet_safe_keeps_ordinary_text_and_numbers(cell: str) -> None:
    assert spreadsheet_safe(cell) == cell
