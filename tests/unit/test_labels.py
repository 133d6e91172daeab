"""qimap.model.labels is the one place for the words people read for marks, outcomes, statuses,
precision, contact kinds, bases and the rubric's two groups: every enum member has one, and no
other source file keeps a copy of them."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from qimap.ingest.dataset import Dataset
from qimap.map.casefile import OUTCOME_MARKER
from qimap.map.mapview import CASE_MARKERS
from qimap.model import labels
from qimap.model.schema import Basis, ContactKind, Group, Mark, Outcome, Precision, Status
from qimap.render.brief import brief_lines
from qimap.render.scorecard import MARK_WIDTH, scorecard_text
from tests.conftest import REPO

MAPPINGS: list[tuple[type[StrEnum], Mapping[Any, str]]] = [
    (Mark, labels.MARK_LABELS),
    (Outcome, labels.OUTCOME_LABELS),
    (Status, labels.STATUS_LABELS),
    (Precision, labels.PRECISION_LABELS),
    (ContactKind, labels.CONTACT_KIND_LABELS),
    (Basis, labels.BASIS_LABELS),
    (Basis, labels.BASIS_SHORT_LABELS),
]
# the groups' words have their own guard below (a group is named by a word, not a phrase)
GROUP_MAPPINGS: list[tuple[type[StrEnum], Mapping[Any, str]]] = [
    (Group, labels.GROUP_LABELS),
    (Group, labels.GROUP_SHORT_LABELS),
]


@pytest.mark.parametrize(
    ("enum", "words"), [*MAPPINGS, *GROUP_MAPPINGS], ids=lambda x: getattr(x, "__name__", "")
)
def test_every_member_has_one_distinct_label(enum: type[StrEnum], words: Mapping[Any, str]) -> None:
    assert set(words) == set(enum), f"{enum.__name__}: a member has no label (or a stray one)"
    assert all(text.strip() == text and text for text in words.values())
    assert len(set(words.values())) == len(words), f"{enum.__name__}: two members read the same"


def test_a_mark_is_a_symbol_and_a_word_never_a_symbol_alone() -> None:
    for mark, text in labels.MARK_LABELS.items():
        symbol, _, word = text.partition(" ")
        assert len(symbol) == 1, mark
        assert not symbol.isalnum(), mark
        assert word.isalpha(), mark


def test_a_groups_short_label_begins_with_its_long_labels_first_word() -> None:
    """ "End immunity" is short for "End qualified immunity": a reader links them, and the guard
    below finds either by that word. A short label is never longer than its long one, and still
    says what the group is for to someone new to the topic: no lone word ("Start") and no
    abbreviation ("End QI")."""
    for group in Group:
        long, short = labels.GROUP_LABELS[group], labels.GROUP_SHORT_LABELS[group]
        assert short.split()[0] == long.split()[0], group
        assert len(short) <= len(long), group
        assert len(short.split()) >= 2, f"{short!r} alone does not say what the group is for"
        assert not any(word.isupper() and len(word) > 1 for word in short.split()), short


def test_the_overall_score_names_each_part_by_its_group() -> None:
    """The scorecard's detail line says what each part is for in the groups' own words."""
    from qimap.model.scoring import Tally, tally_phrase

    for group in Group:
        words = labels.GROUP_LABELS[group]
        phrase = tally_phrase(Tally(group, 2, 4, 0))
        assert phrase == f"2 of 4 to {words[:1].lower()}{words[1:]}"


def test_the_legend_and_the_case_list_say_the_same_outcome() -> None:
    """Each outcome's words name its legend marker's words, so a reader can match them."""
    assert set(labels.OUTCOME_GROUP_LABELS) == set(OUTCOME_MARKER.values()) == set(CASE_MARKERS)
    for kind, style in CASE_MARKERS.items():
        assert style.label == labels.OUTCOME_GROUP_LABELS[kind]
    for outcome, text in labels.OUTCOME_LABELS.items():
        legend = labels.OUTCOME_GROUP_LABELS[OUTCOME_MARKER[outcome]].lower()
        assert text.lower().startswith(legend) or text.split()[0].lower() in legend, outcome


# --- no second copy --------------------------------------------------------------------------

# Files that may keep such words, and why.
ALLOWED = {
    "src/qimap/model/labels.py": "the one source",
    # reads endqi.org's own page text (✓, ✗, "Partially.", "Yes.", "Pending") into enum values
    "src/qimap/ingest/endqi_page.py": "reads the page's own words",
}
SYMBOLS = re.compile("[✓✗◐½]")  # mark symbols: said only with their word, from labels


def label_texts() -> list[str]:
    every = [*labels.OUTCOME_GROUP_LABELS.values()]
    for _, words in MAPPINGS:
        every += words.values()
    return every


def string_literals(path: Path) -> Iterator[tuple[int, str]]:
    """Non-docstring string constants, f-string pieces included (prose may name the words)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and id(node) not in docstrings:
            yield node.lineno, node.value


def js_literals(path: Path) -> Iterator[tuple[int, str]]:
    """Quoted strings in the map's script (it gets its words from the map's data file)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for match in re.finditer(r"\"([^\"\\]*)\"|'([^'\\]*)'", line):
            yield number, match.group(1) or match.group(2) or ""


def literals_outside(root: Path, allowed: Mapping[str, str]) -> Iterator[tuple[str, int, str]]:
    """(file, line, text) for every string literal in the app's source, outside ``allowed``."""
    python = [*(root / "src/qimap").rglob("*.py"), *(root / "views").glob("*.py"), root / "app.py"]
    sources = [(p, string_literals) for p in sorted(python) if p.exists()]
    sources += [(p, js_literals) for p in sorted((root / "static/qimap").glob("*.js"))]
    for path, literals in sources:
        name = path.relative_to(root).as_posix()
        if name not in allowed:
            for line, text in literals(path):
                yield name, line, text


def stray_labels(root: Path) -> list[str]:
    """``file:line: "text"`` for each literal outside ALLOWED that copies a label's words."""
    texts = label_texts()
    phrases = [t for t in texts if len(t.split()) > 1]  # distinctive enough to find inside text
    found = []
    for name, line, text in literals_outside(root, ALLOWED):
        if text.strip() in texts or SYMBOLS.search(text) or any(p in text for p in phrases):
            found.append(f"{name}:{line}: {text!r}")
    return found


def test_no_copy_of_a_label_outside_the_labels_module() -> None:
    assert stray_labels(REPO) == []


def test_the_guard_finds_a_copy(tmp_path: Path) -> None:
    (tmp_path / "src/qimap").mkdir(parents=True)
    (tmp_path / "static/qimap").mkdir(parents=True)
    (tmp_path / "src/qimap/copy.py").write_text(
        '"""Docstrings may say ✓ Yes."""\nA = {"p": "½ Partly"}\nB = f"x {1} Status unknown"\n'
    )
    (tmp_path / "static/qimap/map.js").write_text('var o = "Immunity denied";\n')
    assert stray_labels(tmp_path) == [
        "src/qimap/copy.py:2: '½ Partly'",
        "src/qimap/copy.py:3: ' Status unknown'",
        "static/qimap/map.js:1: 'Immunity denied'",
    ]


# --- the rubric's two groups: named only through GROUP_LABELS / GROUP_SHORT_LABELS --------------

# Files that may say a group's words, and why.
GROUP_ALLOWED = {
    "src/qimap/model/labels.py": "the one source",
    # finds endqi.org's "End qualified immunity in <State>" heading: the source's words, not ours
    "src/qimap/ingest/endqi_page.py": "reads the page's own words",
    "app.py": "the site's title names its cause, not a group",
}
# Literals allowed where the labels cannot reach, each named exactly (a new one still fails).
GROUP_PENDING = {
    # column descriptions for bills.csv; schema.py cannot import labels (labels imports schema)
    ("src/qimap/model/schema.py", "End tally as the page prints it."),
    ("src/qimap/model/schema.py", "Start tally as printed."),
}


def group_words() -> re.Pattern[str]:
    """A group's leading word ("End", "Start") as a whole word, capitalised as in its labels: it
    finds the labels and any other way of naming a group ("End criteria met", "End tally") while
    prose in lower case ("four criteria that **end** qualified immunity") and "Ending" pass."""
    labelled = [*labels.GROUP_LABELS.values(), *labels.GROUP_SHORT_LABELS.values()]
    words = sorted({text.split()[0] for text in labelled})
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b")


def stray_group_words(root: Path) -> list[str]:
    """``file:line: "text"`` for each literal outside GROUP_ALLOWED that names a group itself."""
    pattern = group_words()
    return [
        f"{name}:{line}: {text!r}"
        for name, line, text in literals_outside(root, GROUP_ALLOWED)
        if pattern.search(text) and (name, text) not in GROUP_PENDING
    ]


def test_no_group_words_outside_the_labels_module() -> None:
    assert stray_group_words(REPO) == []


def test_the_group_guard_finds_a_copy(tmp_path: Path) -> None:
    (tmp_path / "src/qimap/ui").mkdir(parents=True)
    (tmp_path / "views").mkdir()
    (tmp_path / "src/qimap/ui/copy.py").write_text(
        '"""Docstrings may say End QI."""\n'
        'A = ("Start", "Ending qualified immunity", "five that **start** accountability")\n'
        'B = f"End criteria met: {1}"\n'
    )
    (tmp_path / "views/p.py").write_text('st.subheader("Start accountability")\n')
    (tmp_path / "app.py").write_text('TITLE = "qimap · End qualified immunity"\n')
    (tmp_path / "src/qimap/model").mkdir()
    (tmp_path / "src/qimap/model/schema.py").write_text(
        'A = "End tally as the page prints it."\nB = "End QI tally"\n'
    )
    assert stray_group_words(tmp_path) == [
        "src/qimap/model/schema.py:2: 'End QI tally'",
        "src/qimap/ui/copy.py:2: 'Start'",
        "src/qimap/ui/copy.py:3: 'End criteria met: '",
        "views/p.py:1: 'Start accountability'",
    ]


# --- outcomes: told in labels' words only -------------------------------------------------------

# A court's ruling on immunity, as a display word: what a visitor reads for an outcome. The words
# of the stored values (``granted``, ``reversed_denial``, …) and of the labels, and the usual
# words for a ruling that a page might reach for instead.
OUTCOME_DISPLAY_WORDS = sorted(
    {
        *(word for outcome in Outcome for word in outcome.value.split("_")),
        *["immune", "remanded", "dismissed", "affirmed", "overturned", "upheld"],
    }
    # too common to be an outcome's word by themselves (a bill is "pending" too; "other" and
    # "unknown" are everywhere); the exact labels with these words are caught above
    - {"pending", "other", "unknown"}
)
# Files that may keep outcome words, and why.
OUTCOME_ALLOWED = {"src/qimap/model/labels.py": "the one source"}
# Literals allowed elsewhere, each named exactly (a new one still fails).
OUTCOME_PENDING = {
    # the data dictionary's column description names qi_outcome's stored values (data, not
    # display words); schema.py cannot import labels (labels imports schema)
    (
        "src/qimap/model/schema.py",
        "Court of the cited decision (blank for a story with no decision; required when the "
        "outcome is granted, denied or reversed_denial).",
    ),
}


def outcome_words() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(OUTCOME_DISPLAY_WORDS)})\b", re.IGNORECASE)


def stray_outcome_words(root: Path) -> list[str]:
    """``file:line: "text"`` for each literal outside OUTCOME_ALLOWED that spells an outcome's
    word itself. A literal that is exactly a stored value (``"denied"``) or a legend marker's key
    (``"immune"``) is data, not a display word, and passes."""
    keys = {outcome.value for outcome in Outcome} | set(labels.OUTCOME_GROUP_LABELS)
    pattern = outcome_words()
    found = [
        (name, line, text)
        for name, line, text in literals_outside(root, OUTCOME_ALLOWED)
        if text not in keys and pattern.search(text) and (name, text) not in OUTCOME_PENDING
    ]
    return [f"{name}:{line}: {text!r}" for name, line, text in sorted(found)]


def test_no_outcome_words_outside_the_labels_module() -> None:
    """The legend, case list, popup, filters, brief and slides all take an outcome's words from
    OUTCOME_LABELS / OUTCOME_GROUP_LABELS. What this cannot see: words put together at run time
    ("Den" + "ied"), JavaScript template literals, CSS ``content``, HTML or markdown files,
    data files (a case's own summary), and a new word for a ruling not in OUTCOME_DISPLAY_WORDS
    ("the court sided with the officers")."""
    assert stray_outcome_words(REPO) == []


def test_the_outcome_guard_finds_a_copy(tmp_path: Path) -> None:
    (tmp_path / "src/qimap/ui").mkdir(parents=True)
    (tmp_path / "static/qimap").mkdir(parents=True)
    (tmp_path / "src/qimap/ui/copy.py").write_text(
        '"""Docstrings may say Immunity denied."""\n'
        'KEYS = ("denied", "reversed_denial", "immune")\n'
        'A = {"granted": "Granted"}\n'
        'B = f"{1} cases: officers held Immune on appeal"\n'
        'C = "Reversed denial"\n'
    )
    (tmp_path / "static/qimap/map.js").write_text('var o = "Vacated";\nvar k = "denied";\n')
    assert stray_outcome_words(tmp_path) == [
        "src/qimap/ui/copy.py:3: 'Granted'",
        "src/qimap/ui/copy.py:4: ' cases: officers held Immune on appeal'",
        "src/qimap/ui/copy.py:5: 'Reversed denial'",
        "static/qimap/map.js:1: 'Vacated'",
    ]


# --- every surface says a mark the same way ----------------------------------------------------


def test_the_cli_and_the_brief_print_the_seeds_marks_in_the_same_words(bundled: Dataset) -> None:
    """MA's 27 marks (and UT's "Partly") read alike in the terminal and on the printed brief."""
    ma, ut = bundled.scorecards("MA"), bundled.scorecards("UT")
    assert sum(len(card.rows) for card in ma) == 27
    assert Mark.PARTIAL in {row.mark for card in ut for row in card.rows}
    for cards in (ma, ut):
        cli = scorecard_text("X", cards).splitlines()
        for card in cards:
            printed = brief_lines(card)[2:11]
            for line, row in zip(printed, card.rows, strict=True):
                words, label = labels.MARK_LABELS[row.mark], row.criterion.label
                assert line == f"{words}  {label}"
                assert f"  {words:<{MARK_WIDTH}}  {label}" in cli
