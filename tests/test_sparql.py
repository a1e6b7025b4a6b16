"""Read-only SPARQL over a built version: results, refusals, errors, timeout, row cap."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from amicall_kg.errors import AmicallError, QueryError, QueryRefusedError, QuerySyntaxError, QueryTimeoutError
from amicall_kg.sparql import check_query, run_query, with_prefixes

from .sparql_fixture import count_quads, make_version

PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def version(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_version(tmp_path_factory.mktemp("sparql") / "v1")


def _values(result: object, var: str) -> list[str]:
    return [row[var]["value"] for row in result.rows if var in row]  # type: ignore[attr-defined]


def test_default_graph_is_union_of_report_graphs(version: Path) -> None:
    result = run_query(version, "SELECT ?id WHERE { ?r a amc:Report ; dcterms:identifier ?id } ORDER BY ?id")
    assert result.kind == "select" and result.variables == ["id"]
    assert _values(result, "id") == ["alpha", "beta"]
    graphs = run_query(version, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert len(graphs.rows) == 3


def test_accepts_a_version_folder_a_store_folder_and_an_open_store(version: Path) -> None:
    import pyoxigraph as ox

    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a amc:Practice }"
    by_version = run_query(version, text).rows
    assert by_version == run_query(version / "graph" / "store", text).rows
    store = ox.Store()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    practice = ox.NamedNode("https://w3id.org/amicall/ontology#Practice")
    store.add(ox.Quad(ox.NamedNode("https://w3id.org/amicall/id/x"), rdf_type, practice, ox.NamedNode("urn:x:g")))
    assert run_query(store, text).rows[0]["n"]["value"] == "1"


def test_ask_and_construct(version: Path) -> None:
    assert run_query(version, "ASK { ?p amc:catalyst/amc:catalystType ?t }").boolean is True
    assert run_query(version, "ASK { ?p amc:population 1 }").boolean is False
    graph = run_query(version, "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a amc:Practice ; rdfs:label ?l }")
    assert graph.kind == "construct" and len(graph.triples) == 3
    described = run_query(version, "DESCRIBE id:place-smalltown")
    assert described.kind == "describe"
    assert {t[1]["value"].rsplit("#", 1)[-1] for t in described.triples} >= {"population", "geonamesId"}


def test_own_prefix_declaration_wins_over_the_predeclared_one(version: Path) -> None:
    text = "PREFIX amc: <http://example.org/other#>\nSELECT * WHERE { ?p a amc:Practice }"
    assert run_query(version, text).rows == []
    checked = check_query(text)
    assert "amc" in checked.declared_prefixes
    remote = with_prefixes(checked)
    assert "PREFIX amc: <https://w3id.org" not in remote and "PREFIX rdfs:" in remote
    assert remote.count("\n") == text.count("\n"), "prepended prefixes must not shift line numbers"


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://e/s> <http://e/p> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "PREFIX x: <http://e/> WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "clear default",
        "DROP GRAPH <https://w3id.org/amicall/id/graph/alpha>",
        "CREATE GRAPH <http://e/new>",
        "ADD DEFAULT TO <http://e/g>",
        "MOVE <https://w3id.org/amicall/id/graph/alpha> TO DEFAULT",
        "COPY <https://w3id.org/amicall/id/graph/alpha> TO <http://e/g>",
        "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
        "# a comment\nINSERT { ?s a <http://e/C> } WHERE { ?s ?p ?o }",
    ],
)
def test_every_update_form_is_refused_and_the_store_is_unchanged(version: Path, text: str) -> None:
    before = count_quads(version)
    with pytest.raises(QueryRefusedError, match="read-only"):
        run_query(version, text)
    assert count_quads(version) == before


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "file:"),
        ("PREFIX f: <FILE:///etc/> SELECT * WHERE { ?s ?p f:x }", "file:"),
        ("BASE <file:///tmp/> SELECT * WHERE { ?s ?p <x> }", "file:"),
        ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <\\u0066ile:///etc/passwd> WHERE { ?s ?p ?o }", "file:"),
        ("\\u0049NSERT DATA { <http://e/s> <http://e/p> 1 }", "read-only"),
    ],
)
def test_service_and_file_iris_are_refused(version: Path, text: str, match: str) -> None:
    with pytest.raises(QueryRefusedError, match=match):
        run_query(version, text)


def test_keywords_inside_strings_iris_comments_and_names_are_not_refused(version: Path) -> None:
    text = (
        "# INSERT DATA and SERVICE in a comment\n"
        "SELECT ?service ?delete WHERE {\n"
        '  BIND("DROP ALL; LOAD <file:///x>" AS ?service)\n'
        "  BIND(<http://example.org/insert/copy> AS ?delete)\n"
        "}"
    )
    result = run_query(version, text)
    assert _values(result, "service") == ["DROP ALL; LOAD <file:///x>"]


def test_syntax_error_reports_line_and_column(version: Path) -> None:
    text = "SELECT ?p\nWHERE {\n  ?p a amc:Practice .\n  BIND(1 AS 2)\n}"
    with pytest.raises(QuerySyntaxError) as info:
        run_query(version, text)
    assert (info.value.line, info.value.column) == (4, 13)
    message = str(info.value)
    assert "line 4, column 13" in message and "BIND(1 AS 2)" in message
    source, pointer = message.splitlines()[-2:]
    assert source[pointer.index("^")] == "2"


def test_unknown_prefix_and_empty_query_are_clear_errors(version: Path) -> None:
    with pytest.raises(QuerySyntaxError, match="line 1"):
        run_query(version, "SELECT * WHERE { ?s nope:x ?o }")
    with pytest.raises(QuerySyntaxError, match="empty"):
        run_query(version, "  \n ")


def test_row_cap_sets_the_truncation_flag(version: Path) -> None:
    capped = run_query(version, "SELECT * WHERE { ?s ?p ?o }", max_rows=5)
    assert len(capped.rows) == 5 and capped.truncated is True
    exact = run_query(version, "SELECT ?id WHERE { ?r dcterms:identifier ?id }", max_rows=2)
    assert len(exact.rows) == 2 and exact.truncated is False
    graph = run_query(version, "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=4)
    assert len(graph.triples) == 4 and graph.truncated is True


def _worker_cpu_seconds() -> dict[int, float]:
    """CPU time of each running query worker that is a child of this process."""
    ticks = os.sysconf("SC_CLK_TCK")
    out: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if b"amicall_kg.sparql_worker" in cmdline and int(stat[1]) == os.getpid():
            out[int(entry.name)] = (int(stat[11]) + int(stat[12])) / ticks
    return out


def test_pathological_query_times_out_and_frees_the_cpu(version: Path) -> None:
    run_query(version, "ASK { ?s ?p ?o }")  # warm a worker
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="1 s"):
        run_query(version, PATHOLOGICAL, timeout=1)
    elapsed = time.monotonic() - started
    assert elapsed < 3.0
    time.sleep(1.0)  # let the replacement worker finish starting
    before = _worker_cpu_seconds()
    time.sleep(1.0)
    after = _worker_cpu_seconds()
    busy = [pid for pid in after if after[pid] - before.get(pid, 0.0) > 0.5]
    assert busy == [], "a killed query must not keep burning CPU"
    quick = time.monotonic()
    assert run_query(version, "ASK { ?s a amc:Practice }").boolean is True
    assert time.monotonic() - quick < 2.0


def test_bad_limits_and_missing_store_are_errors(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="timeout"):
        run_query(tmp_path, "ASK {}", timeout=0)
    with pytest.raises(AmicallError, match="amicall-kg build"):
        run_query(tmp_path, "ASK {}")


def test_small_stores_are_copied_into_memory_with_identical_answers(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from amicall_kg.settings import load_settings
    from amicall_kg.sparql_worker import StoreHolder

    version = make_version(tmp_path / "versions" / "v1")
    (tmp_path / "CURRENT").write_text("v1\n", encoding="utf-8")
    store = str(version / "graph" / "store")
    quad = ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("in memory only"))
    holder = StoreHolder(ox, store, 200)  # copied by a background thread
    assert holder.ready.wait(10)
    holder.current.add(quad)  # a writable in-memory copy
    assert len(holder.current) == count_quads(version) + 1
    for memory_mb in (0, 0.001):  # disabled, or the store is bigger than the limit: the store itself
        kept = StoreHolder(ox, store, memory_mb, background=False)
        assert not kept.ready.is_set()
        with pytest.raises((OSError, RuntimeError)):
            kept.current.add(quad)
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    answers = []
    for memory_mb in (0.0, 200.0):
        settings = load_settings(env={}, overrides={"indexes": tmp_path, "sparql_memory_mb": memory_mb})
        answers.append(run_query(settings, text).rows)
    assert answers[0] == answers[1] and len(answers[0]) > 100
    assert count_quads(version) == len(run_query(version, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows)
