"""Find similar practices: a situation in plain words plus optional structured fields."""

from __future__ import annotations

from typing import Any

import streamlit as st

import app_core as core
from app_views import apply_facets, facet_filters, practice_card, show_error

st.title("Find similar practices")
st.markdown(
    "Describe your town or region and the challenge you face. Optional fields sharpen the ranking; "
    "each result says why it matched and shows the passages that support it."
)

ANY = "(any)"


def _choice(label: str, scheme: str, key: str) -> str | None:
    """A selectbox over one concept scheme; free text when the vocabulary is unavailable."""
    options = core.scheme_labels(scheme)
    if options:
        picked = st.selectbox(label, [ANY, *options], key=key)
        return None if picked == ANY else str(picked)
    text = st.text_input(label, key=key).strip()
    return text or None


with st.form("similar-form"):
    situation = st.text_area(
        "Your situation",
        placeholder="e.g. A small town where a violent incident raised tensions between residents and "
        "newly arrived refugees; we want to bring people together.",
        key="similar-situation",
    )
    with st.expander("More about your place (optional)"):
        c1, c2, c3 = st.columns(3)
        with c1:
            country = st.text_input("Country", key="similar-country").strip() or None
            population = st.number_input(
                "Population (0 = not given)", min_value=0, step=1000, value=0, key="similar-population"
            )
            size = _choice("… or size of place", "place-size", "similar-size")
        with c2:
            place_type = _choice("Kind of place", "place-type", "similar-place-type")
            catalyst = _choice("Challenge or catalyst", "catalyst-type", "similar-catalyst")
        with c3:
            goal = _choice("Goal", "goal", "similar-goal")
            target_group = _choice("Target group", "target-group", "similar-target-group")
    top_k = st.slider("How many practices", 1, 30, int(core.get_settings().top_k), key="similar-top-k")
    submitted = st.form_submit_button("Find practices", type="primary")

if submitted:
    if not situation.strip():
        st.warning("Describe your situation in a few words first.")
    else:
        context: dict[str, Any] = {
            "country": country,
            "population": int(population) or None,
            "size": size,
            "place_type": place_type,
            "catalyst": catalyst,
            "goal": goal,
            "target_group": target_group,
        }
        context = {k: v for k, v in context.items() if v is not None}
        try:
            with st.spinner("Ranking practices…"):
                st.session_state["similar-results"] = core.similar(situation.strip(), int(top_k), context)
                st.session_state["similar-query"] = situation.strip()
        except Exception as exc:
            st.session_state.pop("similar-results", None)
            show_error(exc)

results: list[dict[str, Any]] | None = st.session_state.get("similar-results")
if results is not None:
    if not results:
        st.info("No practice matched. Try describing the situation differently or remove optional fields.")
    else:
        st.subheader("Filter the results")
        chosen = facet_filters(results, "similar-facet")
        shown = apply_facets(results, chosen)
        st.caption(f"{len(shown)} of {len(results)} practice(s)")
        query = str(st.session_state.get("similar-query", ""))
        for rank, practice in enumerate(shown, 1):
            practice_card(practice, rank=rank, query=query)
        iris = [str(p["iri"]) for p in shown if p.get("iri")][:4]
        if len(iris) >= 2:
            st.page_link(
                "views/compare.py",
                label=f"Compare these {len(iris)} side by side",
                icon=":material/compare:",
                query_params={"practice": iris},
            )
