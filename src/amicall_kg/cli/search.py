"""``amicall-kg ask`` and ``amicall-kg similar``: search with citations, one query or a JSONL batch."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import QueryError
from . import app
from .options import CorpusOpt, IndexesOpt, JsonOpt, settings_from

TopOpt = Annotated[int | None, typer.Option("--top", "-k", help="Number of results (default: the top_k setting).")]
QueriesOpt = Annotated[
    Path | None,
    typer.Option("--queries", help="JSONL file of queries answered in one process; prints one JSON line per query."),
]
OnlyCountry = Annotated[list[str] | None, typer.Option("--only-country", help="Facet filter: country (repeatable).")]
OnlyActivity = Annotated[
    list[str] | None, typer.Option("--only-activity-type", help="Facet filter: activity type (repeatable).")
]
OnlyCatalyst = Annotated[
    list[str] | None, typer.Option("--only-catalyst-type", help="Facet filter: catalyst type (repeatable).")
]
OnlyTarget = Annotated[
    list[str] | None, typer.Option("--only-target-group", help="Facet filter: target group (repeatable).")
]
OnlySize = Annotated[list[str] | None, typer.Option("--only-size", help="Facet filter: place-size class (repeatable).")]
CONTEXT_FIELDS = ("country", "population", "size", "catalyst", "goal", "target_group", "place_type")


def _filters(**values: list[str] | None) -> dict[str, list[str]]:
    return {key: list(v) for key, v in values.items() if v}


def _read_queries(path: Path, field: str) -> list[dict[str, Any]]:
    """Parse a JSONL batch; each line needs ``id`` and ``field``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QueryError(f"Cannot read {path} ({exc.strerror}). Pass an existing JSONL file to --queries.") from None
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise QueryError(f"{path}, line {number}: not valid JSON ({exc}). Fix the line and retry.") from None
        if not isinstance(item, dict) or "id" not in item or not isinstance(item.get(field), str):
            raise QueryError(f'{path}, line {number}: each line needs an "id" and a "{field}" string.')
        out.append(item)
    return out


def _batch(path: Path, field: str, answer: Callable[[dict[str, Any]], list[dict[str, Any]]]) -> None:
    for item in _read_queries(path, field):
        typer.echo(json.dumps({"id": item["id"], "results": answer(item)}, ensure_ascii=False))


def _cite(item: dict[str, Any]) -> str:
    page = f", p. {item['page']}" if item.get("page") else ""
    return f"[{item.get('report')}{page}, chars {item.get('start')}-{item.get('end')}]"


def _wrap(text: str, indent: str = "    ", width: int = 100) -> str:
    flat = " ".join(str(text).split())
    return textwrap.fill(flat, width=width, initial_indent=indent, subsequent_indent=indent)


@app.command("ask")
def ask_cli(
    question: Annotated[str | None, typer.Argument(help="The question, in your own words.")] = None,
    top: TopOpt = None,
    queries: QueriesOpt = None,
    only_country: OnlyCountry = None,
    only_activity_type: OnlyActivity = None,
    only_catalyst_type: OnlyCatalyst = None,
    only_target_group: OnlyTarget = None,
    only_size: OnlySize = None,
    corpus: CorpusOpt = None,
    indexes: IndexesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Passages from the reports that answer QUESTION, with citations (report, page, character offsets)."""
    from ..search import ask

    settings = settings_from(corpus, indexes)
    filters = _filters(
        country=only_country,
        activity_type=only_activity_type,
        catalyst_type=only_catalyst_type,
        target_group=only_target_group,
        size=only_size,
    )
    if queries is not None:
        _batch(
            queries,
            "question",
            lambda q: ask(settings, q["question"], q.get("top", top), {**filters, **(q.get("filters") or {})}),
        )
        return
    if not question:
        raise QueryError('Give a QUESTION (amicall-kg ask "...") or a --queries FILE.jsonl.')
    results = ask(settings, question, top, filters)
    if as_json:
        typer.echo(json.dumps(results, indent=2, ensure_ascii=False))
        return
    if not results:
        typer.echo("No passage matches. Try other words or fewer filters.")
    for n, hit in enumerate(results, 1):
        typer.echo(f"{n}. {_cite(hit)}  score {hit['score']:.4f}")
        typer.echo(_wrap(hit["text"]))
        if hit.get("practices"):
            typer.echo(f"    practices: {', '.join(hit['practices'])}")
        typer.echo("")


@app.command("similar")
def similar_cli(
    situation: Annotated[str | None, typer.Argument(help="Your situation, in your own words.")] = None,
    top: TopOpt = None,
    queries: QueriesOpt = None,
    country: Annotated[str | None, typer.Option(help="Your country.")] = None,
    population: Annotated[int | None, typer.Option(help="Your place's population.")] = None,
    size: Annotated[str | None, typer.Option(help="Your place-size class, e.g. 'small town'.")] = None,
    catalyst: Annotated[list[str] | None, typer.Option(help="What triggered it: a catalyst type.")] = None,
    goal: Annotated[list[str] | None, typer.Option(help="What you want to achieve: a goal.")] = None,
    target_group: Annotated[list[str] | None, typer.Option(help="Whom you want to reach: a target group.")] = None,
    only_country: OnlyCountry = None,
    only_activity_type: OnlyActivity = None,
    only_catalyst_type: OnlyCatalyst = None,
    only_target_group: OnlyTarget = None,
    only_size: OnlySize = None,
    corpus: CorpusOpt = None,
    indexes: IndexesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Practices that fit SITUATION, ranked by meaning and by context match, with reasons and evidence."""
    from ..search import similar

    settings = settings_from(corpus, indexes)
    context = {
        "country": country,
        "population": population,
        "size": size,
        "catalyst": catalyst,
        "goal": goal,
        "target_group": target_group,
    }
    filters = _filters(
        country=only_country,
        activity_type=only_activity_type,
        catalyst_type=only_catalyst_type,
        target_group=only_target_group,
        size=only_size,
    )
    if queries is not None:

        def answer(q: dict[str, Any]) -> list[dict[str, Any]]:
            line_context = {**context, **{k: q[k] for k in CONTEXT_FIELDS if q.get(k) is not None}}
            return similar(
                settings, q["situation"], q.get("top", top), line_context, {**filters, **(q.get("filters") or {})}
            )

        _batch(queries, "situation", answer)
        return
    if not situation:
        raise QueryError('Give a SITUATION (amicall-kg similar "...") or a --queries FILE.jsonl.')
    results = similar(settings, situation, top, context, filters)
    if as_json:
        typer.echo(json.dumps(results, indent=2, ensure_ascii=False))
        return
    if not results:
        typer.echo("No practice matches. Try other words or fewer filters.")
    for n, practice in enumerate(results, 1):
        where = ", ".join(dict.fromkeys(str(x) for x in (practice.get("place"), practice.get("country")) if x))
        typer.echo(
            f"{n}. {practice.get('label')}" + (f" ({where})" if where else "") + f"  score {practice['score']:.3f}"
        )
        types = ", ".join(str(t) for t in practice.get("activity_types") or [])
        if types:
            typer.echo(f"    activity: {types}")
        for reason in practice.get("why") or []:
            typer.echo(f"    - {reason}")
        for evidence in practice.get("evidence") or []:
            typer.echo(f"    evidence {_cite(evidence)}")
            typer.echo(_wrap(evidence.get("text", ""), indent="      "))
        typer.echo("")
