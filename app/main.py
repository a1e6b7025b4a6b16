"""amicall-kg Streamlit app: entry point and navigation.

Start it with ``amicall-kg app`` (settings come from AMICALL_* environment
variables). The Maintain page is listed only when ``app_maintain`` is on.
"""

from __future__ import annotations

import app_core as core
import streamlit as st
from app_views import show_error

st.set_page_config(page_title="amicall-kg", page_icon="🗺️", layout="wide")

try:
    settings = core.get_settings()
except Exception as exc:  # a bad AMICALL_* value: say which and stop
    show_error(exc)
    st.stop()

pages = [
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("pages/similar.py", title="Find similar practices", icon="🧭"),
    st.Page("pages/ask.py", title="Ask the reports", icon="❓"),
    st.Page("pages/explore.py", title="Explore practices", icon="🔎"),
    st.Page("pages/compare.py", title="Compare practices", icon="⚖️"),
    st.Page("pages/sparql.py", title="SPARQL", icon="🧩"),
]
if settings.app_maintain:
    pages.append(st.Page("pages/maintain.py", title="Maintain", icon="🛠️"))

st.navigation(pages).run()
