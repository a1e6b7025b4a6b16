"""Training the practice-sentence classifier (``practice_sentences.py``) from the gold files.

Every annotated corpus listed in ``eval/training.toml`` runs through the rule pipeline; its
sentences (``practice_sentences.sentences``) become samples, labelled positive when they overlap
the quote of a gold practice (optional gold items are left out). The model learns from all of them,
the practices the rules find included: what a sentence that introduces a practice looks like does
not depend on whether a rule could name it. Each sample is the sentence's embedding followed by its
shape features (``practice_features.py``). Leave-one-set-out cross-validation then counts, on the
sentences where the classifier decides (scored by extraction, no rule candidate in them), how many
positives a model that never saw a set finds in it and how many false alarms it raises, with the
one-pick-per-block rule extraction applies; the final model is fitted on every set and saved.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import SentenceModelError
from .practice_features import FEATURES, sentence_features
from .practice_sentences import (
    SentenceModel,
    encoded_text,
    fit,
    has_place,
    save_model,
    sentences,
    standardise,
    with_features,
)
from .settings import PROJECT_ROOT, Settings

TRAINING_SETS = PROJECT_ROOT / "eval" / "training.toml"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class TrainingSet:
    name: str
    corpus: Path
    gold: Path


@dataclass
class Samples:
    """One row per sentence: its set, block, text, shape features, label, and whether the classifier
    decides it (extraction scores it and no rule candidate stands in it)."""

    sets: list[str] = field(default_factory=list)
    blocks: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    features: list[list[float]] = field(default_factory=list)
    labels: list[float] = field(default_factory=list)
    scored: list[bool] = field(default_factory=list)


@dataclass
class TrainingReport:
    """What training measured and where the model went."""

    out: Path
    sets: list[str]
    samples: int
    positives: int
    threshold: float
    cross_validation: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "sets": self.sets,
            "samples": self.samples,
            "positives": self.positives,
            "threshold": self.threshold,
            "cross_validation": self.cross_validation,
        }


def training_sets(path: Path = TRAINING_SETS) -> list[TrainingSet]:
    """The annotated corpora to learn from; paths are relative to the file's project folder."""
    root = path.resolve().parent.parent
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        sets = [TrainingSet(str(s["name"]), root / s["corpus"], root / s["gold"]) for s in data["set"]]
    except FileNotFoundError:
        raise SentenceModelError(f"No training sets file at {path}. Pass --sets FILE.") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SentenceModelError(
            f"Cannot read {path}: {exc}. Each [[set]] needs name, corpus and gold (paths from the project folder)."
        ) from None
    missing = [str(p) for s in sets for p in (s.corpus, s.gold) if not p.exists()]
    if missing:
        raise SentenceModelError(f"Training sets in {path} name missing paths: {', '.join(missing)}.")
    return sets


def gold_checksums(sets: Sequence[TrainingSet]) -> dict[str, str]:
    """Each set's gold file checksum: a model records what it learnt from, so a stale one shows."""
    return {s.name: hashlib.sha256(s.gold.read_bytes()).hexdigest() for s in sets}


def collect(settings: Settings, sets: Sequence[TrainingSet]) -> Samples:
    """The sentences of every set's gold reports, labelled from the gold quotes."""
    from .corpus import load_corpus
    from .evaluate_gold import load_gold
    from .extract import load_pipeline
    from .segments import english_quotes, segment
    from .vocab import load_vocabulary

    vocab = load_vocabulary(settings.ontology)
    nlp = load_pipeline(settings.replace(sentence_model=""), vocab)
    samples = Samples()
    block_id = 0
    for tset in sets:
        gold = load_gold(tset.gold)
        for report in (r for r in load_corpus(tset.corpus) if r.id in {g.report for g in gold}):
            text = report.text()
            quotes = [(g.optional, start, start + len(g.quote)) for g in gold if g.report == report.id
                      for start in [text.find(g.quote)] if start >= 0]  # fmt: skip
            blocks = segment(text)
            after_place = False
            for doc, i in nlp.pipe(((english_quotes(b.text), i) for i, b in enumerate(blocks)), as_tuples=True):
                block_id += 1
                before, after_place = after_place, has_place(doc)
                if blocks[i].heading or blocks[i].table:
                    continue
                ruled = {s.start for s in doc.spans.get("amc_practices", [])}
                for sent, scored in sentences(doc, before):
                    start, end = blocks[i].start + sent.start_char, blocks[i].start + sent.end_char
                    hit = [optional for optional, qs, qe in quotes if qs < end and start < qe]
                    if hit and all(hit):
                        continue  # only optional items here: neither a practice nor a clear non-practice
                    samples.sets.append(tset.name)
                    samples.blocks.append(block_id)
                    samples.texts.append(encoded_text(sent))
                    samples.features.append(sentence_features(sent))
                    samples.labels.append(1.0 if hit else 0.0)
                    samples.scored.append(scored and not any(sent.start <= i < sent.end for i in ruled))
    return samples


def cross_validate(
    samples: Samples, vectors: np.ndarray, thresholds: Sequence[float] = THRESHOLDS
) -> list[dict[str, Any]]:
    """Leave one set out: per threshold, positives found and false alarms among the sentences
    the classifier decides, one pick per block."""
    sets = np.array(samples.sets)
    x = vectors
    y = np.array(samples.labels)
    scores = np.zeros(len(y))
    for name in dict.fromkeys(samples.sets):
        held = sets == name
        w, b = fit(x[~held], y[~held])
        scores[held] = 1.0 / (1.0 + np.exp(-(x[held] @ w + b)))
    rows = []
    for t in thresholds:
        per_set: dict[str, dict[str, int]] = {}
        picked_blocks: set[int] = set()
        for i, name in enumerate(samples.sets):
            entry = per_set.setdefault(name, {"positives": 0, "found": 0, "false_alarms": 0})
            if not samples.scored[i]:
                continue
            entry["positives"] += int(y[i])
            if scores[i] >= t and samples.blocks[i] not in picked_blocks:
                picked_blocks.add(samples.blocks[i])
                entry["found" if y[i] else "false_alarms"] += 1
        rows.append(
            {
                "threshold": t,
                "found": sum(e["found"] for e in per_set.values()),
                "false_alarms": sum(e["false_alarms"] for e in per_set.values()),
                "positives": sum(e["positives"] for e in per_set.values()),
                "per_set": per_set,
            }
        )
    return rows


def train_sentence_model(
    settings: Settings, out: Path, sets_file: Path = TRAINING_SETS, threshold: float = 0.8
) -> TrainingReport:
    """Collect samples, cross-validate, fit on everything and save the model to ``out``."""
    from .encoder import load_encoder

    sets = training_sets(sets_file)
    samples = collect(settings, sets)
    encoder = load_encoder(settings)
    features = np.array(samples.features, dtype=np.float64).reshape(len(samples.texts), len(FEATURES))
    mean, scale = standardise(features)
    inputs = with_features(encoder.encode(samples.texts), features, mean, scale)
    folds = cross_validate(samples, inputs)
    w, b = fit(inputs, np.array(samples.labels))
    model = SentenceModel(
        encoder=encoder.name,
        dimension=encoder.dimension,
        weights=w,
        bias=b,
        threshold=threshold,
        features=FEATURES,
        feature_mean=mean,
        feature_scale=scale,
        training={
            "sets": [s.name for s in sets],
            "gold_sha256": gold_checksums(sets),
            "samples": len(samples.labels),
            "positives": int(sum(samples.labels)),
            "cross_validation": [{k: v for k, v in row.items() if k != "per_set"} for row in folds],
        },
    )
    save_model(model, out)
    return TrainingReport(out, model.training["sets"], len(samples.labels), int(sum(samples.labels)), threshold, folds)
