"""Compare: two to four practices side by side, fact by fact."""

from __future__ import annotations

import streamlit as st

import app_core as core
from app_text import md
from app_views import compare_table, evidence_block, show_error

st.title("Compare practices")

try:
    practices = core.all_practices()
except Exception as exc:
    show_error(exc)
    st.stop()

by_iri = {str(p["iri"]): p for p in practices if p.get("iri")}
if len(by_iri) < 2:
    st.info("Comparing needs at least two practices in the graph.")
    st.stop()

if "compare-picked" not in st.session_state:  # a link may name the practices: ?practice=IRI&practice=IRI
    st.session_state["compare-picked"] = [i for i in st.query_params.get_all("practice") if i in by_iri][:4]
picked = st.multiselect(
    "Choose two to four practices",
    list(by_iri),
    format_func=lambda i: str(by_iri[i].get("label") or i),
    max_selections=4,
    key="compare-picked",
)
if len(picked) < 2:
    st.caption("Pick at least two practices.")
    st.stop()

chosen = [by_iri[i] for i in picked]
st.dataframe(compare_table(chosen), hide_index=True, height="content")

st.subheader("Evidence")
for column, practice in zip(st.columns(len(chosen)), chosen, strict=True):
    with column:
        st.markdown(f"**{md(practice.get('label') or practice['iri'])}**")
        evidence_block(list(practice.get("evidence") or []), limit=2)
