"""``amicall-kg sparql``, ``serve`` and ``export``: the graph for researchers and other tools."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import app
from .options import CorpusOpt, IndexesOpt, settings_from


def _reader_gone() -> typer.Exit:
    """The reader of standard output closed it (``| head``): stop quietly, as shell tools do."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return typer.Exit(141)


QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld")
EXPORT_FORMATS = ("ttl", "nt", "jsonld", "nq", "trig")


@app.command("sparql")
def sparql_cli(
    query: Annotated[str | None, typer.Argument(help="The SPARQL query (or use --file).", show_default=False)] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the query from this .rq file.", show_default=False)
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help=f"Output: {', '.join(QUERY_FORMATS)} (ttl/nt/jsonld for graphs).")
    ] = "table",
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", help="Query this remote SPARQL endpoint URL instead.", show_default=False),
    ] = None,
    max_rows: Annotated[
        int | None, typer.Option("--max-rows", help="Most rows returned (env AMICALL_SPARQL_MAX_ROWS).")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Seconds before the query is stopped (AMICALL_SPARQL_TIMEOUT).")
    ] = None,
    corpus: CorpusOpt = None,
    indexes: IndexesOpt = None,
) -> None:
    """Run a read-only SPARQL query on the built graph (common prefixes predeclared)."""
    from ..errors import QueryError
    from ..sparql import run_query
    from ..sparql_format import render

    if fmt not in QUERY_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(QUERY_FORMATS)}", param_hint="--format")
    if (query is None) == (file is None):
        raise QueryError("Give a query or --file F.rq (exactly one).")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"Cannot read the query file {file}: {exc}.") from None
    else:
        text = query or ""
    settings = settings_from(corpus, indexes, sparql_max_rows=max_rows, sparql_timeout=timeout)
    result = run_query(
        None if endpoint else settings, text, settings.sparql_timeout, settings.sparql_max_rows, endpoint=endpoint
    )
    try:
        sys.stdout.write(render(result, fmt))
        sys.stdout.flush()
    except BrokenPipeError:
        raise _reader_gone() from None
    if result.truncated and fmt != "table":
        typer.echo(f"Warning: result truncated at {len(result)} rows; raise --max-rows.", err=True)


@app.command("serve")
def serve_cli(
    host: Annotated[str | None, typer.Option("--host", help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default 7878; 0 picks a free one).")] = None,
    cors: Annotated[bool | None, typer.Option("--cors/--no-cors", help="Send CORS headers.")] = None,
    corpus: CorpusOpt = None,
    indexes: IndexesOpt = None,
) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 Protocol endpoint until Ctrl-C."""
    from ..manifest import serving_version
    from ..serve import make_server

    settings = settings_from(corpus, indexes, host=host, port=port, cors=cors)
    version = serving_version(settings.indexes)
    server = make_server(settings)
    typer.echo(f"SPARQL endpoint on {server.url} (version {version.name}, read-only). Ctrl-C stops it.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("Stopped.")
    finally:
        server.server_close()


@app.command("export")
def export_cli(
    fmt: Annotated[str, typer.Option("--format", help=f"One of {', '.join(EXPORT_FORMATS)}.")] = "ttl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: standard output).", show_default=False)
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Push every named graph to this Graph Store Protocol URL (e.g. http://host:7878/store).",
            show_default=False,
        ),
    ] = None,
    append: Annotated[bool, typer.Option("--append", help="With --to: POST (add) instead of PUT (replace).")] = False,
    corpus: CorpusOpt = None,
    indexes: IndexesOpt = None,
) -> None:
    """Dump the built graph (Turtle, N-Triples, JSON-LD; N-Quads/TriG keep one graph per report)."""
    from ..export import export, push

    settings = settings_from(corpus, indexes)
    if to is not None:
        result = push(settings, to, method="POST" if append else "PUT")
        for name, count in result.graphs.items():
            typer.echo(f"{count:>9,}  {name}")
        typer.echo(f"Pushed {result.count:,} triples in {len(result.graphs)} graphs to {to}.")
        return
    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    if output is None:
        try:
            result = export(settings, fmt, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            raise _reader_gone() from None
    else:
        result = export(settings, fmt, output)
        typer.echo(f"Wrote {result.count:,} {'quads' if fmt in ('nq', 'trig') else 'triples'} to {output}.", err=True)
