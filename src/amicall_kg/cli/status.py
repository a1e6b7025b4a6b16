"""``amicall-kg status``: reports in the corpus and the build in service."""

from __future__ import annotations

import json

import typer

from . import app
from .options import CorpusOpt, IndexesOpt, JsonOpt, settings_from


@app.command("status")
def status_cli(corpus: CorpusOpt = None, indexes: IndexesOpt = None, as_json: JsonOpt = False) -> None:
    """Show the corpus' reports, the version in service and whether a rebuild is due."""
    from ..status import corpus_status

    status = corpus_status(settings_from(corpus, indexes))
    if as_json:
        typer.echo(json.dumps(status.as_dict(), indent=2, ensure_ascii=False))
        return
    typer.echo(f"Corpus:  {status.corpus} ({len(status.reports)} reports)")
    for r in status.reports:
        mark = "built" if r.built else "not built"
        typer.echo(f"  {r.id:<40} {r.year}  {r.chars:>9,} chars  [{mark}]  {r.title[:60]}")
    typer.echo(f"Indexes: {status.indexes}")
    if status.version is None:
        typer.echo("Build:   none yet; run `amicall-kg build`.")
        return
    typer.echo(f"Build:   version {status.version}, built {status.built_at}")
    for name, count in status.counts.items():
        typer.echo(f"  {name:<12} {count:>8,}")
    if status.stale:
        typer.echo("The corpus changed since this build; run `amicall-kg build`.")
