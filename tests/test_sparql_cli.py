"""``amicall-kg sparql``, ``serve`` and ``export`` from the command line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amicall_kg.cli import app
from amicall_kg.errors import QueryRefusedError, QuerySyntaxError

from .conftest import ROOT
from .sparql_fixture import free_port, make_version, running_oxigraph

runner = CliRunner()


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An indexes folder whose version in service is the fixture graph."""
    root = tmp_path_factory.mktemp("cli-indexes")
    make_version(root / "versions" / "v1")
    (root / "CURRENT").write_text("v1\n", encoding="utf-8")
    return root


def test_sparql_table_and_csv(indexes: Path, clean_env: None) -> None:
    text = "SELECT ?id WHERE { ?r a amc:Report ; dcterms:identifier ?id } ORDER BY ?id"
    table = runner.invoke(app, ["sparql", text, "--indexes", str(indexes)])
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0].strip() == "id" and "2 rows" in table.output
    out = runner.invoke(app, ["sparql", text, "--indexes", str(indexes), "--format", "csv"])
    assert list(csv.reader(io.StringIO(out.output))) == [["id"], ["alpha"], ["beta"]]


def test_sparql_file_from_the_library_as_json(indexes: Path, clean_env: None) -> None:
    query = ROOT / "ontology" / "queries" / "practices-in-small-places.rq"
    result = runner.invoke(app, ["sparql", "--file", str(query), "--format", "json", "--indexes", str(indexes)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    assert [r["place"]["value"] for r in rows] == ["Smalltown"]


def test_sparql_max_rows_warns_on_truncation(indexes: Path, clean_env: None) -> None:
    result = runner.invoke(
        app, ["sparql", "SELECT * { ?s ?p ?o }", "--max-rows", "3", "--format", "tsv", "--indexes", str(indexes)]
    )
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) == 4 and "truncated at 3" in result.stderr


def test_sparql_errors_reach_the_user(indexes: Path, clean_env: None) -> None:
    bad = runner.invoke(app, ["sparql", "SELECT * {\n ?s ?p", "--indexes", str(indexes)])
    assert isinstance(bad.exception, QuerySyntaxError) and "line 2" in str(bad.exception)
    update = runner.invoke(app, ["sparql", "DROP ALL", "--indexes", str(indexes)])
    assert isinstance(update.exception, QueryRefusedError)
    neither = runner.invoke(app, ["sparql", "--indexes", str(indexes)])
    assert neither.exit_code != 0
    wrong = runner.invoke(app, ["sparql", "ASK {}", "--format", "yaml", "--indexes", str(indexes)])
    assert wrong.exit_code == 2 and "--format" in wrong.output


def test_main_prints_a_message_not_a_traceback(indexes: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "amicall_kg", "sparql", "SELECT * { ?s ?p", "--indexes", str(indexes)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and proc.stderr.startswith("Error: SPARQL syntax error at line 1")
    assert "Traceback" not in proc.stderr


def test_export_to_file_and_stdout(indexes: Path, tmp_path: Path, clean_env: None) -> None:
    import rdflib

    target = tmp_path / "graph.nt"
    result = runner.invoke(app, ["export", "--format", "nt", "--output", str(target), "--indexes", str(indexes)])
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(target, format="nt")
    assert f"Wrote {len(graph)} triples" in result.stderr
    ttl = runner.invoke(app, ["export", "--indexes", str(indexes)])
    assert len(rdflib.Graph().parse(data=ttl.stdout_bytes, format="turtle")) == len(graph)


@pytest.mark.slow
def test_serve_command_answers_and_stops(indexes: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "amicall_kg", "serve", "--port", str(port), "--indexes", str(indexes)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s a amc:Practice }"})
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert json.loads(response.read())["boolean"] is True
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.2)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/sparql" in out


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    with running_oxigraph(tmp_path / "oxstore") as url:
        yield url


@pytest.mark.slow
def test_export_to_a_graph_store_then_query_it_with_endpoint(
    indexes: Path, oxigraph_server: str, clean_env: None
) -> None:
    pushed = runner.invoke(app, ["export", "--to", oxigraph_server + "/store", "--indexes", str(indexes)])
    assert pushed.exit_code == 0, pushed.output
    assert "in 3 graphs" in pushed.output
    query = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?p a amc:Practice } }"
    remote = runner.invoke(app, ["sparql", query, "--endpoint", oxigraph_server + "/query", "--format", "csv"])
    local = runner.invoke(app, ["sparql", query, "--indexes", str(indexes), "--format", "csv"])
    assert remote.exit_code == 0, remote.output
    assert remote.output == local.output and remote.output.splitlines()[1] == "3"
