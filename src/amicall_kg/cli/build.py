"""``amicall-kg build`` and ``amicall-kg practices``."""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated, Any

import typer

from . import app
from .options import CorpusOpt, IndexesOpt, JsonOpt, settings_from

ForceOpt = Annotated[bool, typer.Option("--force", help="Rebuild every report, even if nothing changed.")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="Only practices in this country.")]
ActivityOpt = Annotated[
    str | None,
    typer.Option("--activity-type", help="Only practices of this activity type (e.g. 'dialogue processes')."),
]
BAR_WIDTH = 30


class StageBar:
    """A one-line progress bar on stderr, shown only on a terminal and outside CI."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty() and not os.environ.get("CI")
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        sys.stderr.write(f"\r{stage:<9} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}   ")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * (BAR_WIDTH + 30) + "\r")
            sys.stderr.flush()


def _names(sign: str, kind: str, names: list[str], limit: int = 8) -> list[str]:
    shown = [f"      {sign} {kind}: {name}" for name in names[:limit]]
    if len(names) > limit:
        shown.append(f"      {sign} ... and {len(names) - limit} more {kind}s")
    return shown


@app.command("build")
def build_cli(
    corpus: CorpusOpt = None, indexes: IndexesOpt = None, force: ForceOpt = False, as_json: JsonOpt = False
) -> None:
    """Build the graph and search indexes incrementally; print what changed per report."""
    from ..build import build

    bar = StageBar()
    try:
        result = build(settings_from(corpus, indexes), force=force, progress=bar)
    finally:
        bar.close()
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    if result.noop:
        typer.echo(f"Nothing changed since version {result.version}; it stays in service ({result.seconds:.2f} s).")
        return
    kind = f"full rebuild ({'; '.join(result.reasons)})" if result.full else "incremental"
    typer.echo(f"Built version {result.version} in {result.seconds:.1f} s: {kind}, {len(result.extracted)} extracted.")
    for change in result.changes:
        typer.echo(
            f"  {change.id:<40} {change.status:<9} triples +{change.triples_added}/-{change.triples_removed}, "
            f"practices +{len(change.practices_added)}/-{len(change.practices_removed)}, "
            f"actors +{len(change.actors_added)}/-{len(change.actors_removed)}"
        )
        for sign, kind_name, names in (
            ("+", "practice", change.practices_added),
            ("-", "practice", change.practices_removed),
            ("+", "actor", change.actors_added),
            ("-", "actor", change.actors_removed),
        ):
            for line in _names(sign, kind_name, names):
                typer.echo(line)
    typer.echo("Counts: " + ", ".join(f"{k} {v:,}" for k, v in result.counts.items()))
    if result.index_counts:
        typer.echo("Indexes: " + ", ".join(f"{k} {v:,}" for k, v in result.index_counts.items() if isinstance(v, int)))
    for warning in result.warnings:
        typer.echo(f"Warning: {warning}", err=True)


def _join(value: Any) -> str:
    items = value if isinstance(value, list) else [value] if value else []
    return "; ".join(str(i.get("label", i) if isinstance(i, dict) else i) for i in items)


@app.command("practices")
def practices_cli(
    corpus: CorpusOpt = None,
    indexes: IndexesOpt = None,
    as_json: JsonOpt = False,
    country: CountryOpt = None,
    activity_type: ActivityOpt = None,
) -> None:
    """List every practice in the graph with its facts and evidence."""
    from ..catalogue import list_practices

    found = list_practices(settings_from(corpus, indexes), country=country, activity_type=activity_type)
    if as_json:
        typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    for practice in found:
        where = ", ".join(x for x in (_join(practice.get("place")), _join(practice.get("country"))) if x)
        typer.echo(f"{practice.get('label', practice.get('iri'))}" + (f" ({where})" if where else ""))
        for key in ("activity_types", "catalysts", "actors", "outcomes", "goals", "target_groups"):
            if practice.get(key):
                typer.echo(f"    {key.replace('_', ' ')}: {_join(practice[key])}")
        for ev in practice.get("evidence", [])[:3]:
            page = f" p.{ev['page']}" if ev.get("page") else ""
            typer.echo(f"    evidence: {ev.get('report', '')}{page} [{ev.get('start', '')}-{ev.get('end', '')}]")
    typer.echo(f"{len(found)} practice(s).")
