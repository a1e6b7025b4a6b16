"""Scores ``similar`` and ``ask`` on development sets, beside two plain baselines.

Files (JSONL) in the eval folder:

* ``dev_situations.jsonl``: ``{"id", "situation", "targets": [{"label_any": [...], "place_any": [...]}]}``;
  a practice matches a target when a ``label_any`` string occurs in its label or an alternative
  label, or a ``place_any`` string in its place (case-insensitive). Scored: hit@1, hit@3, MRR@10.
* ``dev_questions.jsonl``: ``{"id", "question", "answer_any": [...]}``; a passage matches when
  its text contains an ``answer_any`` string (case and whitespace insensitive). Scored: hit@5.

Baselines a user would otherwise reach for: plain BM25 and plain dense search over passages;
for situations their passages are mapped to practices through the passages' ``practices`` IRIs.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .encoder import Encoder
from .errors import QueryError
from .search import Searcher, get_searcher
from .search_text import fold, tokenize
from .settings import Settings

SITUATIONS = "dev_situations.jsonl"
QUESTIONS = "dev_questions.jsonl"
METHODS = ("hybrid", "bm25_passages", "dense_passages")
POOL = 200


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Lines of a JSONL file; a bad line is named with its number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QueryError(f"Cannot read {path} ({exc.strerror}). Pass --eval-dir to the folder of dev sets.") from None
    out = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except ValueError as exc:
                raise QueryError(f"{path}, line {number}: not valid JSON ({exc}).") from None
    return out


def _norm(text: Any) -> str:
    return " ".join(fold(str(text or "")).split())


def practice_matches(practice: Mapping[str, Any], targets: list[dict[str, Any]]) -> bool:
    """Whether a practice's label, alternative labels or place names any target."""
    names = [_norm(practice.get("label"))] + [_norm(a) for a in practice.get("alt_labels") or []]
    place = _norm(practice.get("place"))
    for target in targets:
        if any(_norm(s) and _norm(s) in name for s in target.get("label_any", []) for name in names):
            return True
        if place and any(_norm(s) and _norm(s) in place for s in target.get("place_any", [])):
            return True
    return False


def passage_answers(passage: Mapping[str, Any], answers: list[str]) -> bool:
    text = _norm(passage.get("text"))
    return any(_norm(a) and _norm(a) in text for a in answers)


def first_hit(results: list[dict[str, Any]], is_hit: Callable[[dict[str, Any]], bool]) -> int | None:
    """1-based rank of the first matching result, or None."""
    return next((rank for rank, r in enumerate(results, 1) if is_hit(r)), None)


def summarise_similar(ranks: list[int | None]) -> dict[str, float]:
    n = max(len(ranks), 1)
    return {
        "hit@1": sum(1 for r in ranks if r is not None and r <= 1) / n,
        "hit@3": sum(1 for r in ranks if r is not None and r <= 3) / n,
        "mrr@10": sum(1.0 / r for r in ranks if r is not None and r <= 10) / n,
    }


def summarise_ask(ranks: list[int | None]) -> dict[str, float]:
    return {"hit@5": sum(1 for r in ranks if r is not None and r <= 5) / max(len(ranks), 1)}


def _passages_to_practices(searcher: Searcher, passage_rows: list[int], k: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for p in passage_rows:
        for row in searcher.passage_rows[p]:
            if row not in seen:
                seen.add(row)
                out.append(searcher.practices.records[row])
        if len(out) >= k:
            break
    return out[:k]


def baseline_passages(searcher: Searcher, method: str, text: str, k: int) -> list[int]:
    """Passage rows ranked by plain BM25 or plain dense search."""
    if method == "bm25_passages":
        return [i for i, _ in searcher.passages.lexical(tokenize(text), k)]
    vector = searcher.encoder.encode([text])[0]
    return [i for i, _ in searcher.passages.dense(vector, k)]


def run_similar(searcher: Searcher, items: list[dict[str, Any]]) -> dict[str, Any]:
    ranks: dict[str, list[int | None]] = {m: [] for m in METHODS}
    details = []
    for item in items:
        context: dict[str, Any] = {
            k: item[k] for k in ("country", "population", "size", "catalyst", "goal", "target_group") if k in item
        }
        lists = {"hybrid": searcher.similar(item["situation"], 10, context)}
        for method in METHODS[1:]:
            rows = baseline_passages(searcher, method, item["situation"], POOL)
            lists[method] = _passages_to_practices(searcher, rows, 10)
        row: dict[str, Any] = {"id": item.get("id")}
        for method, results in lists.items():
            targets: list[dict[str, Any]] = item["targets"]
            rank = first_hit(results, functools.partial(practice_matches, targets=targets))
            ranks[method].append(rank)
            row[method] = rank
        row["top3"] = [r.get("label") for r in lists["hybrid"][:3]]
        details.append(row)
    return {"n": len(items), "scores": {m: summarise_similar(r) for m, r in ranks.items()}, "queries": details}


def run_ask(searcher: Searcher, items: list[dict[str, Any]]) -> dict[str, Any]:
    ranks: dict[str, list[int | None]] = {m: [] for m in METHODS}
    details = []
    for item in items:
        lists = {"hybrid": searcher.ask(item["question"], 5)}
        for method in METHODS[1:]:
            lists[method] = [
                searcher.passages.records[i] for i in baseline_passages(searcher, method, item["question"], 5)
            ]
        row: dict[str, Any] = {"id": item.get("id")}
        for method, results in lists.items():
            answers: list[str] = item["answer_any"]
            rank = first_hit(results, functools.partial(passage_answers, answers=answers))
            ranks[method].append(rank)
            row[method] = rank
        details.append(row)
    return {"n": len(items), "scores": {m: summarise_ask(r) for m, r in ranks.items()}, "queries": details}


def evaluate_search(settings: Settings, eval_dir: Path | None = None, encoder: Encoder | None = None) -> dict[str, Any]:
    """Score the version in service on the dev sets in ``eval_dir`` (default: the search_eval_dir setting)."""
    folder = Path(eval_dir or settings.search_eval_dir)
    searcher = get_searcher(settings, encoder)
    out: dict[str, Any] = {"eval_dir": str(folder), "version": searcher.version.name, "model": searcher.encoder.name}
    if (folder / SITUATIONS).is_file():
        out["similar"] = run_similar(searcher, load_jsonl(folder / SITUATIONS))
    if (folder / QUESTIONS).is_file():
        out["ask"] = run_ask(searcher, load_jsonl(folder / QUESTIONS))
    if "similar" not in out and "ask" not in out:
        raise QueryError(f"No {SITUATIONS} or {QUESTIONS} in {folder}. Pass --eval-dir to the folder of dev sets.")
    return out
