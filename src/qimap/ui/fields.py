"""Native form fields in the page: a select and a search box (static/qimap/qimap-field.js).

They stand in for st.selectbox and st.text_input on the explorer's first screen, whose script
chunks cost it a tenth of a second or more in the browser (docs/performance.md, issue 14). The
page keeps the value in its own session state and passes it in; a change comes back as the
one-run trigger "change" (the reader is still at the field: Enter, a click, a touch) or
"leave" (taken as the reader left it), checked here before ``on_change`` sees it with
``here`` saying which, for the page to decide what to scroll to or focus.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from qimap.ui.page_component import SCRIPTS, page_component, trigger_value

NAME = "qimap_field"
SCRIPT = SCRIPTS / "qimap-field.js"
HTML = '<div class="qimap-field"></div>'
CHANGE, LEAVE = "change", "leave"  # the triggers: sent at the field, sent on leaving it


def _draw(
    key: str,
    data: dict[str, Any],
    accept: Callable[[object], str | None],
    on_change: Callable[[str, bool], None],
) -> None:
    def changed(trigger: str) -> None:
        value = accept(trigger_value(key, trigger))
        if value is not None:
            on_change(value, trigger == CHANGE)

    draw = page_component(NAME, SCRIPT, HTML)
    draw(
        key=key,
        data={"id": f"qimap-field-{key}", **data},
        on_change_change=lambda: changed(CHANGE),
        on_leave_change=lambda: changed(LEAVE),
    )


def select_field(
    key: str,
    label: str,
    options: Sequence[tuple[str, str]],
    value: str,
    on_change: Callable[[str, bool], None],
    note: str = "",
) -> None:
    """A native select of ``options`` ((value, label) pairs) showing ``value``; ``on_change``
    gets a newly chosen value, only ever one of the options', and ``here``."""
    allowed = {option for option, _ in options}

    def accept(sent: object) -> str | None:
        return sent if isinstance(sent, str) and sent in allowed else None

    data = {
        "kind": "select",
        "label": label,
        "note": note,
        "value": value,
        "options": [list(option) for option in options],
    }
    _draw(key, data, accept, on_change)


def search_field(
    key: str,
    label: str,
    value: str,
    on_change: Callable[[str, bool], None],
    *,
    placeholder: str,
    max_chars: int,
    note: str = "",
) -> None:
    """A native search box showing ``value``; ``on_change`` gets the text sent (Enter, or
    leaving the box: ``here`` False), cut to ``max_chars`` as the box itself does."""

    def accept(sent: object) -> str | None:
        return sent[:max_chars] if isinstance(sent, str) else None

    data = {
        "kind": "search",
        "label": label,
        "note": note,
        "value": value,
        "placeholder": placeholder,
        "maxLength": max_chars,
    }
    _draw(key, data, accept, on_change)
