"""The SPARQL 1.1 Protocol endpoint: positives, negatives, read-only, timeout, row cap, CORS."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from amicall_kg.serve import SparqlServer, make_server
from amicall_kg.settings import load_settings
from amicall_kg.sparql import run_query

from .search_fixtures import seal_version
from .sparql_fixture import count_quads, make_version

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def version(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_version(tmp_path_factory.mktemp("serve") / "v1")


def _start(version: Path, **overrides: Any) -> Iterator[SparqlServer]:
    values = {"port": 0, "indexes": version.parent, "sparql_timeout": 1.0, "sparql_max_rows": 50, **overrides}
    server = make_server(load_settings(env={}, overrides=values), version)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def server(version: Path) -> Iterator[SparqlServer]:
    yield from _start(version)


@pytest.fixture(scope="module")
def cors_server(version: Path) -> Iterator[SparqlServer]:
    yield from _start(version, cors=True)


def request(
    url: str, method: str = "GET", data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get(server: SparqlServer, query: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    url = server.url + "?" + urllib.parse.urlencode({"query": query})
    return request(url, headers={"Accept": accept} if accept else {})


def test_get_returns_sparql_json(server: SparqlServer) -> None:
    status, headers, body = get(server, "SELECT ?id WHERE { ?r a amc:Report ; dcterms:identifier ?id } ORDER BY ?id")
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    data = json.loads(body)
    assert [b["id"]["value"] for b in data["results"]["bindings"]] == ["alpha", "beta"]
    assert headers["X-Amicall-Truncated"] == "false" and data["truncated"] is False
    assert "Access-Control-Allow-Origin" not in headers


def test_post_urlencoded_and_post_sparql_query(server: SparqlServer) -> None:
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    status, _, body = request(
        server.url, "POST", form, {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"}
    )
    assert status == 200
    direct = request(server.url, "POST", COUNT.encode(), {"Content-Type": "application/sparql-query"})
    assert direct[0] == 200
    assert body.decode().splitlines()[1] == json.loads(direct[2])["results"]["bindings"][0]["n"]["value"]


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_content_negotiation_for_results(server: SparqlServer, accept: str, media: str) -> None:
    status, headers, body = get(server, "SELECT ?s WHERE { ?s a amc:Practice }", accept)
    assert status == 200 and headers["Content-Type"].startswith(media)
    assert b"practice-circle" in body


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        (None, "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_content_negotiation_for_graphs(
    server: SparqlServer, accept: str | None, media: str, rdflib_format: str
) -> None:
    import rdflib

    status, headers, body = get(server, "CONSTRUCT WHERE { ?s a amc:Practice }", accept)
    assert status == 200 and headers["Content-Type"].startswith(media)
    assert len(rdflib.Graph().parse(data=body, format=rdflib_format)) == 3


def test_negatives(server: SparqlServer) -> None:
    two = server.url + "?" + urllib.parse.urlencode([("query", COUNT), ("query", "ASK {}")])
    assert request(two)[0] == 400
    for method in ("PUT", "DELETE", "PATCH"):
        status, headers, _ = request(server.url + "?query=ASK%7B%7D", method, b"" if method != "DELETE" else None)
        assert status == 405 and "GET" in headers["Allow"]
    assert request(server.url, "POST", b"query=ASK{}", {"Content-Type": "text/plain"})[0] == 415
    assert request(server.url, "POST", b"<a> <b> <c> .", {"Content-Type": "text/turtle"})[0] == 415
    status, _, body = get(server, "SELECT * WHERE {\n ?s ?p ?o")
    assert status == 400 and b"line 2" in body
    assert get(server, COUNT, "image/png")[0] == 406
    assert request(server.url)[0] == 400  # /sparql without a query
    assert request(server.url.replace("/sparql", "/nope?query=ASK{}"))[0] == 404
    graphs = urllib.parse.urlencode({"query": COUNT, "default-graph-uri": "http://e/g"})
    assert request(f"{server.url}?{graphs}")[0] == 400


@pytest.mark.parametrize(
    ("how", "text"),
    [
        ("query", "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }"),
        ("query", "DROP ALL"),
        ("query", "CLEAR GRAPH <https://w3id.org/amicall/id/graph/alpha>"),
        ("update", "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }"),
        ("update", "DELETE WHERE { ?s ?p ?o }"),
        ("body", "DELETE WHERE { ?s ?p ?o }"),
    ],
)
def test_updates_are_refused_and_the_store_is_unchanged(
    server: SparqlServer, version: Path, how: str, text: str
) -> None:
    before = count_quads(version)
    if how == "body":
        status, _, body = request(server.url, "POST", text.encode(), {"Content-Type": "application/sparql-update"})
    else:
        form = urllib.parse.urlencode({how: text}).encode()
        status, _, body = request(server.url, "POST", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"read-only" in body
    get_status = request(server.url + "?" + urllib.parse.urlencode({how if how != "body" else "update": text}))[0]
    assert get_status == 403
    assert count_quads(version) == before
    assert json.loads(get(server, COUNT)[2])["results"]["bindings"][0]["n"]["value"] == str(before)


def test_timeout_answers_503_within_the_limit(server: SparqlServer) -> None:
    started = time.monotonic()
    status, _, body = get(server, PATHOLOGICAL)
    assert status == 503 and b"stopped" in body
    assert time.monotonic() - started < 3.0  # timeout 1 s + 2 s
    assert get(server, "ASK { ?s ?p ?o }")[0] == 200


def test_row_cap_sets_the_truncation_header_and_field(server: SparqlServer) -> None:
    status, headers, body = get(server, "SELECT * WHERE { ?s ?p ?o }")
    data = json.loads(body)
    assert status == 200 and headers["X-Amicall-Truncated"] == "true"
    assert data["truncated"] is True and len(data["results"]["bindings"]) == 50


def test_cors_only_when_enabled(cors_server: SparqlServer) -> None:
    _, headers, _ = get(cors_server, "ASK {}")
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = request(cors_server.url, "OPTIONS")
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]


def test_options_without_cors_is_not_allowed(server: SparqlServer) -> None:
    assert request(server.url, "OPTIONS")[0] == 405


def test_form_page_is_escaped_html(tmp_path: Path) -> None:
    hostile = make_version(tmp_path / 'v<script>alert("x")')
    for server in _start(hostile):
        status, headers, body = request(server.url.replace("/sparql", "/"))
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        page = body.decode()
        assert "<textarea" in page and "?practice a amc:Practice" in page
        assert "<script" not in page and "v&lt;script&gt;alert(&quot;x&quot;)" in page


def test_remote_endpoint_gives_the_same_answer_as_the_local_store(server: SparqlServer, version: Path) -> None:
    text = "SELECT ?l WHERE { ?p a amc:Practice ; rdfs:label ?l } ORDER BY ?l"
    assert run_query(None, text, endpoint=server.url).rows == run_query(version, text).rows
    graph = run_query(None, "CONSTRUCT WHERE { ?s a amc:Practice }", endpoint=server.url)
    assert graph.kind == "construct" and len(graph.triples) == 3
    assert run_query(None, "ASK { ?s a amc:Report }", endpoint=server.url).boolean is True


def test_remote_errors_are_mapped(server: SparqlServer) -> None:
    from amicall_kg.errors import QueryError, QuerySyntaxError, QueryTimeoutError

    with pytest.raises(QuerySyntaxError, match="line 1"):
        run_query(None, "SELECT * WHERE { ?s ?p", endpoint=server.url)
    with pytest.raises(QueryError, match=r"503|longer"):
        run_query(None, PATHOLOGICAL, endpoint=server.url, timeout=5)
    with pytest.raises(QueryError, match="read-only"):
        run_query(None, "DROP ALL", endpoint=server.url)  # refused before sending
    with pytest.raises(QueryError, match="http"):
        run_query(None, "ASK {}", endpoint="file:///etc/passwd")
    with pytest.raises(QueryTimeoutError):
        run_query(None, PATHOLOGICAL, endpoint=server.url, timeout=0.3)


def test_follows_the_version_in_service(tmp_path: Path) -> None:
    indexes = tmp_path / "indexes"
    for name in ("v1", "v2"):
        make_version(indexes / "versions" / name)
    import pyoxigraph as ox

    from amicall_kg.store import open_store
    from amicall_kg.versions import publish

    store = open_store(indexes / "versions" / "v2", read_only=False)
    store.add(
        ox.Quad(
            ox.NamedNode("http://e/new"), ox.NamedNode("http://e/p"), ox.Literal("v2 only"), ox.NamedNode("http://e/g")
        )
    )
    store.flush()
    del store
    for name in ("v1", "v2"):  # the endpoint verifies each version's checksums when it first serves it
        seal_version(indexes / "versions" / name)
    publish(indexes, indexes / "versions" / "v1")
    settings = load_settings(env={}, overrides={"port": 0, "indexes": indexes})
    server = make_server(settings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        ask = "ASK { <http://e/new> ?p ?o }"
        assert json.loads(get(server, ask)[2])["boolean"] is False
        publish(indexes, indexes / "versions" / "v2")
        assert json.loads(get(server, ask)[2])["boolean"] is True
    finally:
        server.shutdown()
        server.server_close()


def test_a_stuck_query_does_not_block_other_clients(server: SparqlServer) -> None:
    results: list[int] = []
    slow = threading.Thread(target=lambda: results.append(get(server, PATHOLOGICAL)[0]))
    slow.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert get(server, "ASK { ?s a amc:Practice }")[0] == 200
    assert time.monotonic() - started < 0.8  # answered while the other query still runs
    slow.join()
    assert results == [503]
