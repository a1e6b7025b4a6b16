"""amicall-kg Streamlit app: entry point and navigation.

Start it with ``amicall-kg app`` (settings come from AMICALL_* environment
variables). The Maintain page is listed only when ``app_maintain`` is on.
The pages live in ``views/``, not ``pages/``: a ``pages/`` folder would also make Streamlit
serve each file directly by its name (its older multipage mode), past this navigation.
"""

from __future__ import annotations

import streamlit as st

import app_core as core
from app_views import show_error

st.set_page_config(page_title="amicall-kg", page_icon=":material/hub:", layout="wide")

try:
    settings = core.get_settings()
except Exception as exc:  # a bad AMICALL_* value: say which and stop
    show_error(exc)
    st.stop()

core.warm_up()

pages = [
    st.Page("views/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("views/similar.py", title="Find similar practices", icon=":material/travel_explore:"),
    st.Page("views/ask.py", title="Ask the reports", icon=":material/question_answer:"),
    st.Page("views/explore.py", title="Explore practices", icon=":material/search:"),
    st.Page("views/compare.py", title="Compare practices", icon=":material/compare:"),
    st.Page("views/sparql.py", title="SPARQL", icon=":material/hub:"),
]
if settings.app_maintain:
    pages.append(st.Page("views/maintain.py", title="Maintain", icon=":material/build:"))

st.navigation(pages).run()
