"""The app's pure helpers: escaping, highlighting, Graphviz labels, facet SPARQL, and the launch command."""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path
from typing import Any

import pytest

from amicall_kg.settings import load_settings

APP = Path(__file__).resolve().parents[1] / "app"
if str(APP) not in sys.path:
    sys.path.insert(0, str(APP))

from app_sparql import facet_query, iri, literal, practice_facts_query  # noqa: E402
from app_text import citation, dot_quote, highlight, md, query_terms  # noqa: E402
from app_views import apply_facets, compare_table, neighbourhood_dot  # noqa: E402

HOSTILE = "<b>x</b> *y* _z_ `c` [l](javascript:1) ![i](u) # h :red[r] $m$ &amp; | t | \\ ~s~ {a}"


def unescape(markdown: str) -> str:
    """What CommonMark displays for text made of backslash escapes only."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_md_escapes_every_punctuation_and_round_trips() -> None:
    out = md(HOSTILE)
    assert unescape(out) == HOSTILE
    # Every ASCII punctuation character is preceded by a backslash.
    for match in re.finditer("[" + re.escape(string.punctuation) + "]", out):
        i = match.start()
        preceding = len(out[:i]) - len(out[:i].rstrip("\\"))
        assert preceding % 2 == 1 or out[i] == "\\", (out, i)


def test_md_collapses_whitespace_so_indentation_cannot_make_code_blocks() -> None:
    assert md("a\n\n    indented\tcode\n") == "a indented code"


def test_highlight_bolds_matches_and_escapes_the_rest() -> None:
    text = "Festivals in <the> park; a *festival* of rumours."
    out = highlight(text, "Which festival fought rumours?")
    assert out == "**Festivals** in \\<the\\> park\\; a \\***festival**\\* of **rumours**\\."
    # Stopwords and short words are never highlighted.
    assert query_terms("What is it in the park?") == {"park"}
    assert highlight("<x>", "") == "\\<x\\>"


def test_highlight_of_hostile_text_keeps_only_our_bold() -> None:
    out = highlight(HOSTILE, "javascript red")
    assert unescape(out.replace("**", "")) == HOSTILE
    assert out.count("**") == 4  # two matched words


def test_dot_labels_are_quoted_and_escaped() -> None:
    assert dot_quote('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    dot = neighbourhood_dot({"label": 'x"] ; evil [label="', "actors": ["a\nb"], "country": "C"})
    # Every label is one double-quoted string whose inner quotes are escaped.
    for line in dot.splitlines()[3:-1]:
        labels = re.findall(r'label=("(?:[^"\\]|\\.)*")', line)
        assert labels, line
    assert 'x\\"] ; evil [label=\\"' in dot


def test_citation() -> None:
    assert citation({"report": "r", "page": 3, "start": 1, "end": 9}) == "r, p. 3, chars 1–9"
    assert citation({"report": "r", "page": None}) == "r"


def test_compare_table_has_unique_columns() -> None:
    a = {"label": "Same", "country": "X", "evidence": [{"report": "r1"}]}
    b = {"label": "Same", "place": "P"}
    rows = compare_table([a, b])
    assert list(rows[0]) == ["fact", "1. Same", "2. Same"]
    by_fact = {r["fact"]: r for r in rows}
    assert by_fact["Country"]["1. Same"] == "X" and by_fact["Country"]["2. Same"] == "—"
    assert by_fact["Evidence passages"]["1. Same"] == "1 in r1"


def test_sparql_literals_and_iris() -> None:
    assert literal('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert iri("https://w3id.org/amicall/id/x") == "<https://w3id.org/amicall/id/x>"
    with pytest.raises(ValueError):
        iri("https://x> } DROP ALL {")


AMC = "https://w3id.org/amicall/ontology#"
ID = "https://w3id.org/amicall/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
CONCEPT = "https://w3id.org/amicall/vocab/"


def _store(practices: list[dict[str, Any]]) -> Any:
    """A small in-memory graph in the DESIGN.md 3.2 shape for the given practice dicts."""
    import pyoxigraph as ox

    store = ox.Store()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label = ox.NamedNode(RDFS_LABEL)

    def add(s: Any, p: str, o: Any) -> None:
        store.add(ox.Quad(s, ox.NamedNode(p), o))

    for n, p in enumerate(practices):
        node = ox.NamedNode(p["iri"])
        store.add(ox.Quad(node, rdf_type, ox.NamedNode(AMC + "Practice")))
        store.add(ox.Quad(node, label, ox.Literal(p["label"])))
        place = ox.NamedNode(f"{ID}place/{n}")
        country = ox.NamedNode(f"{ID}country/{p['country'].lower()}")
        add(node, AMC + "locatedIn", place)
        add(place, AMC + "country", country)
        store.add(ox.Quad(country, label, ox.Literal(p["country"], language="en")))
        for t in p["activity_types"]:
            concept = ox.NamedNode(CONCEPT + t.replace(" ", "-"))
            add(node, AMC + "activityType", concept)
        for i, c in enumerate(p["catalysts"]):
            catalyst = ox.NamedNode(f"{ID}catalyst/{n}-{i}")
            add(node, AMC + "catalyst", catalyst)
            store.add(ox.Quad(catalyst, label, ox.Literal(c)))
    return store


def test_facet_query_selects_what_the_facet_filter_shows() -> None:
    """The SPARQL shown behind a facet view returns the same practices the view lists."""
    from amicall_kg.sparql import run_query

    practices = [
        {"iri": f"{ID}practice/{i}", "label": f"P{i}", "country": c, "activity_types": t, "catalysts": k}
        for i, (c, t, k) in enumerate(
            [
                ("Examplia", ["dialogue processes"], ['violent "incident"']),
                ("Examplia", ["city branding"], ["rumours"]),
                ("Otherland", ["dialogue processes", "city branding"], ["rumours"]),
            ]
        )
    ]
    store = _store(practices)
    concepts = {t: CONCEPT + t.replace(" ", "-") for t in ("dialogue processes", "city branding")}
    choices: list[dict[str, list[str]]] = [
        {},
        {"country": ["Examplia"]},
        {"activity_types": ["dialogue processes"]},
        {"country": ["Examplia", "Otherland"], "catalysts": ["rumours"]},
        {"catalysts": ['violent "incident"']},
        {"country": ["Otherland"], "activity_types": ["dialogue processes"], "catalysts": ['violent "incident"']},
    ]
    for chosen in choices:
        result = run_query(store, facet_query(chosen, concepts))
        got = [row["label"]["value"] for row in result.rows]
        assert got == [p["label"] for p in apply_facets(practices, chosen)], chosen


def test_practice_facts_query_lists_every_statement() -> None:
    from amicall_kg.sparql import run_query

    practices = [{"iri": f"{ID}practice/a", "label": "A", "country": "X", "activity_types": ["t"], "catalysts": ["c"]}]
    result = run_query(_store(practices), practice_facts_query(practices[0]["iri"]))
    properties = {row["property"]["value"] for row in result.rows}
    assert {AMC + "locatedIn", AMC + "activityType", AMC + "catalyst", RDFS_LABEL} <= properties
    labels = {row["valueLabel"]["value"] for row in result.rows if "valueLabel" in row}
    assert "c" in labels


def test_launch_command_binds_localhost_and_keeps_xsrf(clean_env: None) -> None:
    from amicall_kg.cli.webapp import app_environment, streamlit_command

    settings = load_settings(env={}, overrides={"app_port": 8642, "app_maintain": True, "max_file_mb": 2.5})
    command = streamlit_command(settings)
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("app/main.py")
    assert "--server.address=127.0.0.1" in command and "--server.port=8642" in command
    assert "--server.enableXsrfProtection=true" in command
    assert "--server.maxUploadSize=3" in command
    env = app_environment(settings, {"PATH": "/bin"})
    assert env["PATH"] == "/bin" and env["AMICALL_APP_MAINTAIN"] == "true"
    # The app reads back exactly the settings the command resolved.
    assert load_settings(env=env).values == settings.values


def test_result_rows_plain_and_compact() -> None:
    from types import SimpleNamespace

    from app_core import result_rows

    uri = {"type": "uri", "value": AMC + "activityType"}
    result = SimpleNamespace(variables=["p", "o"], rows=[{"p": uri}], triples=[], boolean=None)
    assert result_rows(result) == [{"p": AMC + "activityType", "o": ""}]
    assert result_rows(result, compact=True) == [{"p": "amc:activityType", "o": ""}]
    asked = SimpleNamespace(variables=[], rows=[], triples=[], boolean=False)
    assert result_rows(asked) == [{"answer": "no"}]
