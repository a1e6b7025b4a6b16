"""Home: what the app offers and which build it is serving."""

from __future__ import annotations

import streamlit as st

import app_core as core
from app_text import md
from app_views import show_error

st.title("amicall-kg")
st.markdown(
    "Practices of local and regional authorities for migrant integration, drawn from research reports: "
    "find the ones that fit your situation, ask the reports a question, explore and compare practices, "
    "or query the knowledge graph with SPARQL. Every fact links to the passage that states it."
)

try:
    status = core.corpus_status()
except Exception as exc:
    show_error(exc)
    st.stop()

if status.version is None:
    st.warning("Nothing is built yet. Run `amicall-kg build`, then reload this page.")
else:
    st.caption(md(f"Serving version {status.version}, built {status.built_at or 'at an unknown time'}."))
    if status.counts:
        cols = st.columns(min(len(status.counts), 6))
        for i, (name, count) in enumerate(status.counts.items()):
            cols[i % len(cols)].metric(md(name.replace("_", " ")), f"{count:,}")
    if status.stale:
        st.info("The corpus changed since this build; run `amicall-kg build` to bring it up to date.")

st.subheader("Reports")
st.dataframe(
    [{"report": r.id, "title": r.title, "year": r.year, "built": r.built} for r in status.reports],
    hide_index=True,
)

cols = st.columns(3)
cols[0].page_link("views/similar.py", label="Find practices for my situation", icon=":material/travel_explore:")
cols[1].page_link("views/ask.py", label="Ask the reports a question", icon=":material/question_answer:")
cols[2].page_link("views/explore.py", label="Browse all practices", icon=":material/search:")
