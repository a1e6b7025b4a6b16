"""The statistical pipeline on the bundled corpus, scored against the gold file (slow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from amicall_kg.corpus import load_corpus
from amicall_kg.evaluate import load_gold, score_extraction
from amicall_kg.evaluate_gold import asdict_gold, gold_from_dict
from amicall_kg.extract import load_pipeline
from amicall_kg.graph import report_graphs
from amicall_kg.practices import practices
from amicall_kg.settings import load_settings
from amicall_kg.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus_practices() -> tuple[list[dict[str, Any]], dict[str, str]]:
    settings = load_settings(env={})
    vocab = load_vocabulary(ROOT / "ontology")
    nlp = load_pipeline(settings, vocab)
    reports = load_corpus(ROOT / "corpus")
    graphs = report_graphs(reports, nlp, vocab)
    union = next(iter(graphs.values()))
    for graph in list(graphs.values())[1:]:
        union += graph
    return practices(union), {r.id: r.text() for r in reports}


@pytest.mark.slow
def test_corpus_evidence_offsets_exact(corpus_practices: tuple[list[dict[str, Any]], dict[str, str]]) -> None:
    found, texts = corpus_practices
    assert len(found) >= 40
    for p in found:
        assert p["evidence"], p["label"]
        for e in p["evidence"]:
            assert texts[e["report"]][e["start"] : e["end"]] == e["text"]


@pytest.mark.slow
def test_corpus_against_gold(corpus_practices: tuple[list[dict[str, Any]], dict[str, str]]) -> None:
    found, texts = corpus_practices
    path = ROOT / "eval" / "extraction_gold.jsonl"
    gold = [gold_from_dict(asdict_gold(g), texts, g.id) for g in load_gold(path) if g.report in texts]
    scores = score_extraction(found, gold)
    assert scores.recall is not None and scores.recall >= 0.9
    assert scores.precision is not None and scores.precision >= 0.9
