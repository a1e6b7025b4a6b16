"""``amicall-kg eval ...``: score the toolkit against gold and development sets.

One ``eval`` command group; each scorer adds its own sub-command to ``eval_app``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from . import app
from .options import CorpusOpt, IndexesOpt, JsonOpt, settings_from

eval_app = typer.Typer(name="eval", help="Score extraction and search against gold and dev sets.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


# -- eval extraction (GOLD) ----------------------------------------------------------------------------------
def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@eval_app.command("extraction")
def eval_extraction_cli(
    gold: Annotated[
        Path | None,
        typer.Option("--gold", help="Gold JSON-lines file (default: eval/extraction_gold.jsonl).", show_default=False),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            help="Extract this corpus folder afresh (no build needed) instead of reading the version in service.",
            show_default=False,
        ),
    ] = None,
    indexes: IndexesOpt = None,
    fixture: Annotated[
        bool, typer.Option("--fixture", help="Score the bundled fixture report (tests/fixtures/reports) afresh.")
    ] = False,
    blank: Annotated[
        bool, typer.Option("--blank", help="With --corpus/--fixture: rule-based pipeline only (fast, no NER model).")
    ] = False,
    show: Annotated[int, typer.Option("--show", help="How many unmatched items to list.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Score extracted practices against the gold file: precision, recall and per-field quality."""
    from ..evaluate import DEFAULT_GOLD, FIXTURE_CORPUS, evaluate_extraction

    if fixture:
        corpus = corpus or FIXTURE_CORPUS
        gold = gold or FIXTURE_CORPUS / "gold.jsonl"
    gold = gold or DEFAULT_GOLD
    scores = evaluate_extraction(settings_from(None, indexes), gold, corpus=corpus, blank=blank)
    if as_json:
        typer.echo(json.dumps(scores.as_dict(), indent=2, ensure_ascii=False))
        return
    source = f"corpus {corpus} extracted afresh" if corpus else "version in service"
    typer.echo(f"Extraction vs {gold} ({source})")
    typer.echo(
        f"Practices  P {_fmt(scores.precision)}  R {_fmt(scores.recall)}  F1 {_fmt(scores.f1)}   "
        f"(gold {scores.gold_total}, predicted {scores.predicted_total}: {scores.true_positives} matched, "
        f"{scores.false_positives} false positives, {scores.false_negatives} missed, {scores.ignored} optional)"
    )
    typer.echo(f"\n{'field':<16}{'precision':>10}{'recall':>10}{'accuracy':>10}{'coverage':>10}{'judged':>8}")
    for name, f in scores.fields.items():
        typer.echo(
            f"{name:<16}{_fmt(f.precision):>10}{_fmt(f.recall):>10}{_fmt(f.accuracy):>10}"
            f"{_fmt(f.coverage):>10}{f.judged:>8}"
        )
    typer.echo(f"\n{'report':<40}{'gold':>6}{'matched':>9}{'FP':>6}{'P':>8}{'R':>8}")
    for report, r in scores.per_report.items():
        typer.echo(
            f"{report:<40}{r['gold']:>6}{r['matched']:>9}{r['false_positives']:>6}"
            f"{_fmt(r['precision']):>8}{_fmt(r['recall']):>8}"
        )
    if scores.unmatched_gold and show:
        typer.echo(f"\nMissed gold practices ({len(scores.unmatched_gold)}):")
        for g in scores.unmatched_gold[:show]:
            typer.echo(f"  {g['id']:<14} {g['label']}")
    for name in ("place", "country"):
        wrong = scores.fields[name].wrong if name in scores.fields else []
        if wrong and show:
            typer.echo(f"\nWrong or missing {name} ({len(wrong)}):")
            for w in wrong[:show]:
                typer.echo(
                    f"  {w['gold_id']:<14} {w['label']!s:<42} expected {w['expected']}, got {w['predicted'] or '-'}"
                )
    if scores.unmatched_predicted and show:
        typer.echo(f"\nPredictions matching no gold practice ({len(scores.unmatched_predicted)}):")
        for p in scores.unmatched_predicted[:show]:
            typer.echo(f"  {p['label']!s:<50} {p['place'] or '-'}, {p['country'] or '-'}")


# -- eval search (SEARCH) ------------------------------------------------------------------------------------
@eval_app.command("search")
def eval_search_cli(
    eval_dir: Annotated[
        Path | None,
        typer.Option("--eval-dir", help="Folder with dev_situations.jsonl / dev_questions.jsonl (default: setting)."),
    ] = None,
    corpus: CorpusOpt = None,
    indexes: IndexesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Score `similar` (hit@1, hit@3, MRR@10) and `ask` (hit@5) beside BM25 and dense passage baselines."""
    from ..evaluate_search import evaluate_search

    result = evaluate_search(settings_from(corpus, indexes, search_eval_dir=eval_dir))
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    typer.echo(f"Search evaluation on {result['eval_dir']} (version {result['version']}, model {result['model']})")
    for task in ("similar", "ask"):
        part: dict[str, Any] | None = result.get(task)
        if not part:
            continue
        typer.echo(f"\n{task} ({part['n']} queries)")
        for method, scores in part["scores"].items():
            figures = "  ".join(f"{name} {value:.3f}" for name, value in scores.items())
            typer.echo(f"  {method:<16} {figures}")
        missed = [q["id"] for q in part["queries"] if q["hybrid"] is None]
        if missed:
            typer.echo(f"  hybrid missed: {', '.join(str(m) for m in missed)}")


# -- train (the practice-sentence classifier) ---------------------------------------------------------------
@app.command("train")
def train_cli(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Model folder to write (default: the sentence_model setting).", show_default=False),
    ] = None,
    sets: Annotated[
        Path | None,
        typer.Option("--sets", help="Training sets file (default: eval/training.toml).", show_default=False),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Probability above which a sentence is taken as a practice.")
    ] = 0.8,
    as_json: JsonOpt = False,
) -> None:
    """Train the practice-sentence classifier from the gold files; print its cross-validation."""
    from ..train import TRAINING_SETS, train_sentence_model

    settings = settings_from(None, None)
    folder = out or Path(str(settings.sentence_model))
    report = train_sentence_model(settings, folder, sets or TRAINING_SETS, threshold)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    typer.echo(f"Trained on {report.samples} sentences ({report.positives} introduce a gold practice) from "
               f"{len(report.sets)} sets; saved to {report.out} (threshold {report.threshold}).")  # fmt: skip
    typer.echo("\nLeave one set out, one pick per block:")
    typer.echo(f"{'threshold':>10}{'found':>8}{'false alarms':>14}   per set (found/positives, false alarms)")
    for row in report.cross_validation:
        per_set = "  ".join(f"{k} {v['found']}/{v['positives']},{v['false_alarms']}" for k, v in row["per_set"].items())
        typer.echo(f"{row['threshold']:>10}{row['found']:>8}{row['false_alarms']:>14}   {per_set}")
