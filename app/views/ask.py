"""Ask: a question answered by passages of the reports, with citations and highlighted words."""

from __future__ import annotations

from typing import Any

import streamlit as st

import app_core as core
from app_text import citation, clip, count_matches, highlight, md
from app_views import EXPLORE_PAGE, show_error

st.title("Ask the reports")
st.markdown("Ask in plain words. Each answer is a passage of a report, cited by report and page.")

CONTEXT_CHARS = 400
ANY = "(any)"

with st.form("ask-form"):
    question = st.text_input(
        "Your question", placeholder="e.g. How did councils counter rumours about migrants?", key="ask-question"
    )
    c1, c2, c3 = st.columns([2, 2, 1])
    with c1:
        activity = st.selectbox("Only passages about practices of type", [ANY, *core.scheme_labels("activity-type")])
    with c2:
        catalyst = st.selectbox("… or with catalyst", [ANY, *core.scheme_labels("catalyst-type")])
    with c3:
        top_k = st.number_input("Passages", 1, 50, int(core.get_settings().top_k), key="ask-top-k")
    asked = st.form_submit_button("Ask", type="primary")

if asked:
    if not question.strip():
        st.warning("Type a question first.")
    else:
        filters = {"activity_type": activity, "catalyst_type": catalyst}
        filters = {k: v for k, v in filters.items() if v and v != ANY}
        try:
            with st.spinner("Searching the reports…"):
                st.session_state["ask-results"] = core.ask(question.strip(), int(top_k), filters)
                st.session_state["ask-query"] = question.strip()
        except Exception as exc:
            st.session_state.pop("ask-results", None)
            show_error(exc)


def _practice_labels() -> dict[str, str]:
    try:
        return {str(p["iri"]): str(p.get("label") or p["iri"]) for p in core.all_practices()}
    except Exception:  # links still work, with the IRI as their label
        return {}


def _in_context(passage: dict[str, Any], query: str) -> None:
    """The passage with the text around it, from the report itself."""
    start, end = passage.get("start"), passage.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        st.caption("No character offsets for this passage.")
        return
    text = core.report_text(str(passage.get("report")))
    if text is None:
        st.caption("The report is not in the corpus any more.")
        return
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    st.markdown(f"…{md(before)} ⟦{highlight(text[start:end], query)}⟧ {md(after)}…")


results: list[dict[str, Any]] | None = st.session_state.get("ask-results")
if results is not None:
    query = str(st.session_state.get("ask-query", ""))
    if not results:
        st.info("No passage matched. Try other words.")
    labels = _practice_labels() if any(p.get("practices") for p in results) else {}
    for n, passage in enumerate(results, 1):
        with st.container(border=True):
            score = passage.get("score")
            score_text = f" — score {score:.3f}" if isinstance(score, int | float) else ""
            st.markdown(f"**{n}\\.** {md(citation(passage))}{score_text}")
            text = str(passage.get("text", ""))
            st.markdown(highlight(text, query))
            st.caption(f"{count_matches(text, query)} matching word(s)")
            with st.expander("Show in context"):
                _in_context(passage, query)
            for iri in passage.get("practices") or []:
                st.page_link(
                    EXPLORE_PAGE,
                    label=md("Practice: " + clip(labels.get(str(iri), str(iri)), 80)),
                    icon=":material/search:",
                    query_params={"practice": str(iri)},
                )
