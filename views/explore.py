"""Map explorer: case studies on a US map, each state's bill scorecards beside it (the sidebar)
or, where the sidebar is closed (phones), under the map."""

import streamlit as st

from qimap.model.cases import filter_cases
from qimap.ui import controls, loaders, session
from qimap.ui.announce import show_announcer, show_layout_css
from qimap.ui.case_list import show_case_list
from qimap.ui.chrome import embedded, flag
from qimap.ui.intro import show_how_scored, show_intro
from qimap.ui.legend import show_legend
from qimap.ui.map_panel import show_embed, show_map
from qimap.ui.presentation import show_presentation
from qimap.ui.sidebar import show_here, show_sidebar

settings = loaders.settings()
data = loaders.dataset(settings)
session.init_from_link(data)
if embedded():  # ?embed=true: only the map, for the campaign's own website
    show_embed(data, settings)
    st.stop()
if flag("present"):  # ?present=1&state=MA: slides for a meeting room
    show_presentation(data, settings)
    st.stop()

show_layout_css()
# The map is drawn first, in its place under the intro and the controls: the browser starts
# loading it while the rest of the page arrives (docs/performance.md, issue 14).
intro, above_map = st.container(), st.container()

# The map shows every case the filters keep; a chosen state is outlined and zoomed to. Near-me
# looks past borders too: the filters apply to it, a chosen state does not.
on_map = session.current_filter(session.current_view(data), with_state=False)
place = controls.searched_place()
picked = show_map(data, on_map, settings, st.session_state[session.STATE] or None, place=place)
session.follow_map_pick(data, picked)

with intro:
    show_intro()
    for note in st.session_state[session.LINK_NOTES]:
        st.warning(note, icon="🔗")
with above_map:
    kept = filter_cases(data.cases_in_list_order, on_map)
    search, more = st.columns(2)  # side by side on a wide screen, so the map starts higher
    with search:
        controls.near_search(data, kept, place)
    with more:
        controls.filters(data, len(kept))
        show_how_scored(data, settings)
    controls.show_skip_link()
# After the map: a click on it may have chosen a state, which the list then follows.
view = session.current_view(data)
links = loaders.links(settings, data)
show_here(data, links)
show_legend()
show_sidebar(data, links)
listed = session.current_filter(view)
show_case_list(data, filter_cases(data.cases_in_list_order, listed), view.state, scope=listed)
session.sync_link(view)
show_announcer()
