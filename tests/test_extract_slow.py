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


HOLDOUTS = sorted((ROOT / "tests" / "fixtures" / "reports").glob("holdout*"))


@pytest.fixture(scope="module")
def real_nlp() -> tuple[Any, Any]:
    vocab = load_vocabulary(ROOT / "ontology")
    return load_pipeline(load_settings(env={}), vocab), vocab


def _extracted(folder: Path, real_nlp: tuple[Any, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    nlp, vocab = real_nlp
    reports = load_corpus(folder)
    graphs = report_graphs(reports, nlp, vocab)
    union = next(iter(graphs.values()))
    for graph in list(graphs.values())[1:]:
        union += graph
    return practices(union), {r.id: r.text() for r in reports}


@pytest.fixture(scope="module")
def corpus_practices(real_nlp: tuple[Any, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    return _extracted(ROOT / "corpus", real_nlp)


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


@pytest.mark.slow
def test_held_out_reports_generalise(real_nlp: tuple[Any, Any]) -> None:
    """Reports written after the extractor, about places the corpus never mentions (docs/EVALUATION.md).

    A regression guard, not the generalisation measure: every report here has been scored once and
    then tuned on (rules and the sentence classifier's training), so figures run above a fresh report's.
    Measured 2026-11-24 ~07:21 on 137 reports: pooled recall 0.868 (1849/2130), precision 0.697; lowest
    reports 0.562 (holdout137, a project database export), 0.600 (holdout126, poster abstracts;
    holdout131, a tenants' newsletter), then 0.625 (holdout104, 112, 132, 133). Held-out 130-137 are in
    the classifier's training but no rule was fitted to them (they score 0.738 pooled, as at first sight),
    which is why the pooled floor is 0.86 where it was 0.87 over the 113 reports before them.
    """
    assert len(HOLDOUTS) >= 137
    tp = fp = gold_total = 0
    for folder in HOLDOUTS:
        found, texts = _extracted(folder, real_nlp)
        scores = score_extraction(found, load_gold(folder / "gold.jsonl", texts))
        assert scores.recall is not None and scores.recall >= 0.5, (folder.name, scores.recall)
        tp, fp, gold_total = tp + scores.true_positives, fp + scores.false_positives, gold_total + scores.gold_total
    assert tp / gold_total >= 0.86, tp / gold_total  # pooled recall
    assert tp / (tp + fp) >= 0.68, tp / (tp + fp)  # pooled precision


@pytest.mark.slow
def test_the_sentence_classifier_finds_a_practice_told_without_a_name(real_nlp: tuple[Any, Any]) -> None:
    """The real pipeline carries the trained classifier; a practice with no name and no cue noun, in a
    paragraph written for this test, becomes an unnamed practice placed in the town of the paragraph.

    A seam test, not a measure: the model trained on 139 sets (2026-11-24) scores this sentence 0.88
    against a threshold of 0.8. Retraining moves such scores (the sentence used before, with "When ...
    began lending", fell from above 0.8 to 0.79); if it falls below, pick a plainer sentence.
    """
    from amicall_kg.extract import extract_text

    nlp, vocab = real_nlp
    assert "amicall_sentences" in nlp.pipe_names
    text = (
        "Keswick is a small market town in the north of England.\n\n"
        "Since the first Afghan families arrived, the town library has lent bilingual picture books "
        "and opened its reading room on Saturday mornings for newcomer parents.\n"
    )
    _town_doc, told_doc = nlp.pipe(text.split("\n\n"))
    assert list(told_doc._.amc_practice_sentences) == [0], "the classifier picked no sentence"
    told = [m for m in extract_text("t", text, nlp, vocab) if m.cue == "described"]
    assert told[0].place is not None and told[0].place.name == "Keswick"
    assert told[0].passage.text.startswith("Since the first Afghan families arrived")


@pytest.mark.slow
def test_a_town_is_not_a_practice_named_after_itself(real_nlp: tuple[Any, Any]) -> None:
    """The real tagger reads "Ludvika ... has something similar" as a deed whose object is the town."""
    from amicall_kg.extract import extract_text

    nlp, vocab = real_nlp
    text = "Ludvika, in the Swedish province of Dalarna, has something similar but more local.\n"
    assert [m.name for m in extract_text("t", text, nlp, vocab)] == []
