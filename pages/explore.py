"""Map explorer: case studies on a US map, each state's bill scorecards in the sidebar."""

import streamlit as st

from qimap.model.cases import filter_cases
from qimap.ui import controls, loaders, session
from qimap.ui.case_list import show_case_list
from qimap.ui.chrome import embedded, flag
from qimap.ui.legend import show_legend
from qimap.ui.map_panel import show_embed, show_map
from qimap.ui.presentation import show_presentation
from qimap.ui.sidebar import show_sidebar

settings = loaders.settings()
data = loaders.dataset(settings)
session.init_from_link(data)
if embedded():  # ?embed=true: only the map, for the campaign's own website
    show_embed(data, settings)
    st.stop()
if flag("present"):  # ?present=1&state=MA: slides for a meeting room
    show_presentation(data, settings)
    st.stop()

st.title("Qualified immunity where you live")
st.caption(
    "Court cases in which qualified immunity shielded, or did not shield, officials, and how "
    "each state's bills to end it score on the nine-point rubric."
)
for note in st.session_state[session.LINK_NOTES]:
    st.warning(note, icon="🔗")

place = controls.near_search()
controls.filters(data)
case_filter = session.current_filter(session.current_view(data))
visible = filter_cases(data.cases_in_list_order, case_filter)
st.markdown(f"**Showing {len(visible):,} of {len(data.cases):,} case studies**")
show_map(data, case_filter, settings, st.session_state[session.STATE] or None)
show_legend()
controls.show_nearest(place, visible)
show_sidebar(data, loaders.links(settings, data))
show_case_list(data, visible)
session.sync_link(session.current_view(data))
