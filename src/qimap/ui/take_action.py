"""Take action: who represents me (from a ZIP code and a district picker), where the state's
live bill sits, and a call script and e-mail to edit, copy, send or print.

Drawn on the map page's state panel (twice there: sidebar and main column, see
qimap.ui.announce; ``where`` keys each copy's widgets, and a choice in one is copied to the
other) and on Get involved. The logic is qimap.geo.districts, qimap.model.officials,
qimap.model.take_action and qimap.model.action; this module only draws.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from urllib.parse import quote

import streamlit as st

from qimap.geo.districts import Lookup, lookup
from qimap.geo.geocode import geocode
from qimap.geo.places import Place
from qimap.ingest.dataset import Dataset
from qimap.model.action import Draft, draft
from qimap.model.contacts import lookup_page, no_contact_hint
from qimap.model.officials import (
    FIND_REPRESENTATIVE,
    ChamberSeats,
    Official,
    ZipStatus,
    as_of,
    card_of,
    seat_label,
    state_chambers,
    state_name,
    with_contacts,
)
from qimap.model.schema import Contact, ContactKind
from qimap.model.take_action import (
    BillAsk,
    addressed_as,
    bill_asks,
    chairs_sentence,
    committee_sentence,
    congress_sentence,
    first_committee,
    on_committee,
)
from qimap.render.official_cards import cards_html
from qimap.settings import Settings
from qimap.ui import loaders, session
from qimap.ui.announce import ASIDE, HERE
from qimap.ui.contacts import contact_text
from qimap.ui.markdown import escape_markdown, markdown_link

ZIP_KEY = "action_zip"  # the ZIP code the reader gave (either copy, or the near-me box)
MAX_ZIP_CHARS = 10  # "02108-1234"
MAX_DRAFT_CHARS = 6_000
MAILTO_BODY_CHARS = 1_800  # mail apps refuse longer mailto: links
NO_OFFICIALS = (
    "The list of officials has not been loaded on this site yet, so qimap cannot say who "
    "represents you. Your legislature's own site can:"
)
NO_LIVE_BILL = (
    "No bill to end qualified immunity is pending in {state} right now. Ask your legislators "
    "to introduce one that meets all nine criteria: see “What a strong bill does” on the "
    "Get involved page."
)
NOBODY = "Someone else (fill in the name)"
_ZIP = re.compile(r"^\s*\d{5}(?:-?\d{4})?\s*$")


def _other(where: str) -> str:
    return ASIDE if where == HERE else HERE


def _copy_to_other(base: str, where: str) -> None:
    """A choice in one copy of the panel shows in the other (the reader may resize)."""
    st.session_state[f"{base}_{_other(where)}"] = st.session_state[f"{base}_{where}"]


def _submit_zip(where: str) -> None:
    value = st.session_state[f"{ZIP_KEY}_{where}"].strip()
    st.session_state[ZIP_KEY] = value
    st.session_state[f"{ZIP_KEY}_{_other(where)}"] = value


def given_zip(near: str = "") -> str:
    """The ZIP code to look up: the one typed here, else a ZIP code typed in the near-me box or
    given by the link (``?zip=02108``)."""
    if st.session_state.get(ZIP_KEY):
        return str(st.session_state[ZIP_KEY])
    for candidate in (near, st.query_params.get("zip", "")):
        if _ZIP.match(candidate or ""):
            return candidate.strip()[:MAX_ZIP_CHARS]
    return ""


def show_take_action(data: Dataset, state: str, where: str, near: str = "") -> None:
    """The whole panel for ``state``; ``near`` is the near-me box's text (a ZIP code there
    fills this one)."""
    settings = loaders.settings()
    found = loaders.officials(settings)
    contacts = data.contacts
    state_contacts = data.contacts_by_state.get(state, [])
    if found.data.empty:
        st.markdown(escape_markdown(NO_OFFICIALS))
        _show_lookup_page(data, state_contacts, state)
        picked: list[Official] = []
    else:
        st.caption(escape_markdown(as_of(found.data.versions)))
        zip_code = given_zip(near)
        _zip_box(where, zip_code)
        if zip_code:
            answer = lookup(
                zip_code, found.data, contacts, loaders.geocode_index, state, found.index
            )
            _show_congress(answer, state)
        st.subheader("Your state legislators", anchor=False)
        officials = with_contacts(found.data.legislators(state), state_contacts)
        picked = _pick_legislators(state_chambers(officials, state), state, where)
        _show_lookup_page(data, state_contacts, state)
        if settings.openstates_api_key and zip_code:
            _live_lookup(settings, zip_code, officials, where)
    asks = bill_asks(data.scorecards(state), state, state_contacts, found.data, picked)
    _what_to_say(data, settings, state, asks, picked, where)


def _zip_box(where: str, current: str) -> None:
    """The ZIP code form, showing ``current`` (typed here, or given by near-me or the link)."""
    key = f"{ZIP_KEY}_{where}"
    given = f"{key}_given"  # the box follows a ZIP code given elsewhere (near-me, the link)
    if st.session_state.get(given) != current:
        st.session_state[key] = current
        st.session_state[given] = current
    with st.form(f"action_form_{where}", border=False):
        st.text_input(
            "Your ZIP code",
            key=key,
            max_chars=MAX_ZIP_CHARS,
            placeholder="e.g. 02108",
            help="Looked up on this site, offline; nothing you type is sent anywhere.",
        )
        st.form_submit_button("Find my officials", on_click=_submit_zip, args=(where,))


def _show_congress(found: Lookup, state: str) -> None:
    rep = found.representation
    answer = rep.answer
    st.subheader("Your members of Congress", anchor=False)
    if answer.status in (ZipStatus.INVALID, ZipStatus.UNKNOWN):
        st.warning(_with_house_link(answer.message))
        return
    if answer.status != ZipStatus.ONE:
        st.info(_with_house_link(answer.message))
    elif state not in answer.states:
        st.info(
            escape_markdown(
                f"ZIP code {answer.zip_code} is in {state_name(answer.states[0])}, not "
                f"{state_name(state)}: choose {state_name(answer.states[0])} to see its "
                "legislators and bills."
            )
        )
    if rep.senators:
        st.html(cards_html(rep.senators, "U.S. senators"))
    for seat in rep.house:
        if len(rep.house) > 1 and seat.members:
            st.markdown(f"**{escape_markdown(_seat_heading(seat.state, seat.district))}**")
        if seat.members:
            st.html(
                cards_html(seat.members, f"U.S. House, {_seat_heading(seat.state, seat.district)}")
            )
    for note in rep.notes:
        st.caption(escape_markdown(note))


def _with_house_link(message: str) -> str:
    """The answer's message, its address of the House's look-up made a link."""
    if FIND_REPRESENTATIVE not in message:
        return escape_markdown(message)
    before, _, after = message.partition(FIND_REPRESENTATIVE)
    link = markdown_link("house.gov: find your representative", FIND_REPRESENTATIVE)
    return f"{escape_markdown(before.rstrip())} {link}{escape_markdown(after)}"


def _seat_heading(state: str, district: str) -> str:
    label = seat_label(state, district)
    return label if "at-large" in label else f"{state_name(state)}'s district {district} ({label})"


def _pick_legislators(chambers: Sequence[ChamberSeats], state: str, where: str) -> list[Official]:
    """A district picker per chamber (districts as the legislature names them); the members
    of each chosen district."""
    if not chambers:
        st.markdown(
            escape_markdown(f"The data lists no state legislators for {state_name(state)}.")
        )
        return []
    st.markdown(
        "No public file maps ZIP codes to state districts: choose yours (your legislature's "
        "look-up page, below, finds it from your street address)."
    )
    picked: list[Official] = []
    for chamber in chambers:
        by_name = {d.district: d for d in chamber.districts}
        base = f"action_district_{state}_{chamber.office.value}"
        key = f"{base}_{where}"
        if st.session_state.get(key) not in by_name:
            st.session_state.pop(key, None)
        district = st.selectbox(
            f"Your {chamber.name} district",
            list(by_name),
            index=None,
            placeholder="Choose your district",
            key=key,
            on_change=_copy_to_other,
            args=(base, where),
        )
        if district is not None:
            members = by_name[district].members
            picked += members
            st.html(cards_html(members, f"{chamber.name}, {district}"))
    return picked


def _show_lookup_page(data: Dataset, contacts: Sequence[Contact], state: str) -> None:
    """The legislature's own look-up page (or how to find it), then the other contacts
    editors recorded (sponsors, offices), each with when it was checked."""
    page = lookup_page(contacts)
    if page is not None and page.url:
        st.markdown(
            markdown_link(page.name, page.url)
            + " (the legislature's own page: it finds your legislators from your address; "
            + f"checked {escape_markdown(page.checked_on)})"
        )
    else:
        st.markdown(escape_markdown(no_contact_hint(state_name(state))))
    for contact in contacts:
        if contact.kind not in (ContactKind.FIND_LEGISLATOR, ContactKind.COMMITTEE):
            st.markdown(contact_text(contact, data.bill_names))


def _live_lookup(settings: Settings, zip_code: str, known: Sequence[Official], where: str) -> None:
    if not st.button("Look up my state legislators online", key=f"action_live_{where}"):
        return
    from qimap.ingest.officials.live import lookup_point  # only with an API key: not at start

    place = geocode(zip_code, loaders.geocode_index())
    if not isinstance(place, Place):
        st.warning(escape_markdown(place.message))
        return
    answer = lookup_point(
        place.latitude,
        place.longitude,
        api_key=settings.openstates_api_key or "",
        api_url=settings.openstates_api_url,
        known={o.official_id: o for o in known},
    )
    if answer.message:
        st.warning(escape_markdown(answer.message))
    if answer.officials:
        st.html(cards_html(answer.officials, "Your state legislators (live look-up)"))


def _what_to_say(
    data: Dataset,
    settings: Settings,
    state: str,
    asks: Sequence[BillAsk],
    picked: Sequence[Official],
    where: str,
) -> None:
    st.subheader("What to say", anchor=False)
    if not asks:
        st.markdown(escape_markdown(NO_LIVE_BILL.format(state=state_name(state))))
        return
    names = {ask.card.bill.bill_key: ask.card.bill.display_name for ask in asks}
    chosen = asks[0]
    if len(asks) > 1:
        key = st.radio(
            "Which bill",
            list(names),
            format_func=names.__getitem__,
            key=f"action_bill_{state}_{where}",
            horizontal=True,
        )
        chosen = next(ask for ask in asks if ask.card.bill.bill_key == key)
    bill_name = chosen.card.bill.display_name
    for seats in chosen.committees:
        st.markdown(escape_markdown(committee_sentence(bill_name, seats, bool(picked))))
    if chairs := chairs_sentence(chosen):
        st.markdown(escape_markdown(chairs))
    for contact in chosen.unmatched:
        st.markdown(
            escape_markdown(f"{bill_name} is before the committee ")
            + (
                markdown_link(contact.name, contact.url)
                if contact.url
                else escape_markdown(contact.name)
            )
            + escape_markdown(f" (recorded by an editor on {contact.checked_on}).")
        )
    if not chosen.committees and not chosen.unmatched:
        st.markdown(escape_markdown(f"Which committee holds {bill_name} is not recorded yet."))
    recipient = _recipient(picked, chosen, state, where)
    text = draft(
        chosen.card,
        loaders.model_policy(settings, data),
        state_name(state),
        to=addressed_as(recipient) if recipient else None,
        committee=first_committee(chosen, recipient),
        on_committee=on_committee(recipient, chosen.committees),
    )
    _show_draft(text, chosen.card.bill.bill_key, recipient, where)


def _recipient(picked: Sequence[Official], ask: BillAsk, state: str, where: str) -> Official | None:
    """Who the script and e-mail address: a legislator the reader chose, or a placeholder."""
    people = {o.official_id: o for o in picked}
    people.update({o.official_id: o for o, _ in ask.chairs})
    if not people:
        st.caption("Choose your district above to address your legislators by name.")
        return None
    options = ["", *people]
    # A new choice of district starts a new picker, on the reader's own legislator.
    chosen_ids = hashlib.sha256("|".join(o.official_id for o in picked).encode()).hexdigest()
    base = f"action_to_{state}_{chosen_ids[:12]}"
    key = f"{base}_{where}"
    chosen = st.selectbox(
        "Write to",
        options,
        index=1 if picked else 0,  # the reader's own legislator first; a chair only by choice
        format_func=lambda i: addressed_as(people[i]) if i else NOBODY,
        key=key,
        on_change=_copy_to_other,
        args=(base, where),
    )
    return people.get(chosen or "")


def _show_draft(text: Draft, bill_key: str, recipient: Official | None, where: str) -> None:
    who = recipient.official_id if recipient else "nobody"
    call_tab, mail_tab = st.tabs(["Call script", "E-mail"])
    with call_tab:
        call = st.text_area(
            "Call script (edit it as you like)",
            text.call_script,
            height=260,
            max_chars=MAX_DRAFT_CHARS,
            key=f"action_call_{bill_key}_{who}_{where}",
        )
    with mail_tab:
        subject = st.text_input(
            "Subject",
            text.subject,
            max_chars=300,
            key=f"action_subject_{bill_key}_{who}_{where}",
        )
        body = st.text_area(
            "E-mail (edit it as you like)",
            text.email,
            height=360,
            max_chars=MAX_DRAFT_CHARS,
            key=f"action_mail_{bill_key}_{who}_{where}",
        )
        address = card_of(recipient).email if recipient else ""
        if recipient is not None and "@" in address:
            st.link_button(
                f"Open in your e-mail app, to {recipient.name}",
                _mailto(address, subject, body),
            )
    printable = f"CALL SCRIPT\n\n{call}\n\n\nE-MAIL\n\nSubject: {subject}\n\n{body}\n"
    st.download_button(
        "Download both, to print (text file)",
        printable.encode("utf-8"),
        file_name=f"qimap-{bill_key}-what-to-say.txt",
        mime="text/plain",
        key=f"action_download_{bill_key}_{who}_{where}",
        on_click="ignore",
    )
    with st.expander("Copy the text"):
        st.caption("The copy button is at the top right of each box.")
        st.code(call, language=None, wrap_lines=True)
        st.code(f"Subject: {subject}\n\n{body}", language=None, wrap_lines=True)


def _mailto(address: str, subject: str, body: str) -> str:
    """A mailto: link with the draft; a body too long for mail apps is cut at a line end."""
    if len(body) > MAILTO_BODY_CHARS:
        body = body[:MAILTO_BODY_CHARS].rsplit("\n", 1)[0] + "\n[…]"
    return f"mailto:{quote(address, safe='@')}?subject={quote(subject)}&body={quote(body)}"


def show_near_officials(data: Dataset, query: str) -> None:
    """Under the near-me answer, when a ZIP code was typed: who represents it in Congress,
    and a button to the state's Take action panel with the ZIP code filled in."""
    if not _ZIP.match(query):
        return
    found = loaders.officials(loaders.settings())
    if found.data.empty:
        return
    contacts = data.contacts
    answer = lookup(query, found.data, contacts, loaders.geocode_index, None, found.index)
    sentence = congress_sentence(answer.representation)
    if not sentence:
        return
    st.markdown(escape_markdown(sentence))
    for state in answer.representation.answer.states:
        if state in data.state_names:
            st.button(
                f"Contact them: take action in {state_name(state)}",
                key=f"near_action_{state}",
                on_click=_open_take_action,
                args=(data, state, query.strip()[:MAX_ZIP_CHARS]),
            )


def _open_take_action(data: Dataset, state: str, zip_code: str) -> None:
    for key in (ZIP_KEY, f"{ZIP_KEY}_{HERE}", f"{ZIP_KEY}_{ASIDE}"):
        st.session_state[key] = zip_code
    st.session_state[session.STATE] = state
    session.focus_state(data, state)
    session.announce(
        f"{state_name(state)}: Take action, for ZIP code {zip_code}.", session.TARGET_ACTION
    )
