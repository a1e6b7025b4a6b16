"""``amicall-kg ingest FILE...``: add report files (PDF, DOCX, HTML, Markdown, text) to the corpus, then build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from . import app
from .options import CorpusOpt, IndexesOpt, JsonOpt, settings_from


@app.command("ingest")
def ingest_cli(
    files: Annotated[list[Path], typer.Argument(help="Report files: PDF, DOCX, HTML, Markdown or plain text.")],
    title: Annotated[str | None, typer.Option(help="Title (one file only).", show_default=False)] = None,
    authors: Annotated[
        str | None, typer.Option(help="Authors, separated by ';' (e.g. 'A. Smith; B. Jones').", show_default=False)
    ] = None,
    year: Annotated[int | None, typer.Option(help="Year of publication.", show_default=False)] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher.", show_default=False)] = None,
    source: Annotated[
        str | None, typer.Option(help="Where the report comes from (an address).", show_default=False)
    ] = None,
    language: Annotated[str | None, typer.Option(help="Language code, e.g. 'en'.", show_default=False)] = None,
    licence: Annotated[str | None, typer.Option(help="Licence or usage note.", show_default=False)] = None,
    report_id: Annotated[
        str | None, typer.Option("--id", help="Report id (one file only).", show_default=False)
    ] = None,
    replace: Annotated[
        str | None,
        typer.Option(help="Update the report with this id from FILE instead of adding one.", show_default=False),
    ] = None,
    no_build: Annotated[bool, typer.Option("--no-build", help="Only add to the corpus; build later.")] = False,
    corpus: CorpusOpt = None,
    indexes: IndexesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Validate and convert reports into the corpus, then build. Exit code 1 if any file was refused."""
    from ..ingest import ingest

    overrides = {
        "id": report_id, "title": title, "authors": authors, "year": year, "publisher": publisher,
        "source": source, "language": language, "licence": licence,
    }  # fmt: skip
    from .build import StageBar

    settings = settings_from(corpus, indexes)
    bar = StageBar()
    try:
        result = ingest(settings, files, overrides=overrides, build=not no_build, progress=bar, replace=replace)
    finally:
        bar.close()
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        for f in result.files:
            if f.status in ("added", "replaced"):
                pages = f" {f.pages} pages," if f.pages is not None else ""
                typer.echo(
                    f"{f.status:<9} {f.path} -> {f.id} ({f.format},{pages} {f.chars:,} chars, {f.seconds:.1f} s)"
                )
                for note in f.notes:
                    typer.echo(f"          note: {note}")
            elif f.status == "duplicate":
                typer.echo(f"duplicate {f.path}: {f.reason}")
            else:
                typer.echo(f"refused   {f.reason}")
        if result.build_error:
            typer.echo(f"Build failed: {result.build_error} The files above are in the corpus.", err=True)
        elif result.build is not None:
            built = result.build
            typer.echo(f"Built version {built.version} in {built.seconds:.1f} s ({len(built.extracted)} extracted).")
            for change in (c for c in built.changes if c.status != "unchanged"):
                typer.echo(
                    f"  {change.id:<40} {change.status:<9} practices +{len(change.practices_added)}"
                    f"/-{len(change.practices_removed)}, triples +{change.triples_added}/-{change.triples_removed}"
                )
        elif result.changed and no_build:
            typer.echo("Not built (--no-build): run `amicall-kg build` to index the new reports.")
    if result.refused or result.build_error:
        raise typer.Exit(1)
