"""Practices told with no name and no cue noun, found by a trained sentence classifier.

The rule finders (``patterns``, ``naming``, ``unnamed``) need a construction or a cue noun; "the
library began lending bilingual picture books" has neither. Every sentence of a block near a town
is scored by a logistic regression over the sentence's embedding (the package's sentence encoder)
and its shape (``practice_features``); ``extract`` turns the first sentence of a block above the
threshold, where no rule found a practice, into an unnamed practice.

The model is trained from the gold files by ``amicall-kg train`` (``train.py``) and saved as a
folder: ``config.json`` (encoder, dimension, features, threshold, training figures, weights
checksum) beside ``weights.npy``. Loading refuses a model whose checksum, shape or encoder does not
match, rather than scoring with the wrong numbers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import SentenceModelError

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

FORMAT = 2
CONFIG = "config.json"
WEIGHTS = "weights.npy"
MIN_WORDS = 5
MAX_WORDS = 40


@dataclass(frozen=True)
class SentenceModel:
    """Logistic regression over a sentence embedding and the sentence's shape (``practice_features``).

    The shape features are standardised with the training set's ``feature_mean`` and
    ``feature_scale`` before the weights apply; ``weights`` holds the embedding's weights first.
    """

    encoder: str
    dimension: int
    weights: np.ndarray  # (dimension + len(features),)
    bias: float
    threshold: float
    features: tuple[str, ...] = ()
    feature_mean: tuple[float, ...] = ()
    feature_scale: tuple[float, ...] = ()
    training: dict[str, Any] = field(default_factory=dict)

    def scores(self, vectors: np.ndarray, features: np.ndarray | None = None) -> np.ndarray:
        """Probability that each sentence introduces a practice."""
        x = self.inputs(vectors, features)
        scores: np.ndarray = 1.0 / (1.0 + np.exp(-(x @ self.weights + self.bias)))
        return scores

    def inputs(self, vectors: np.ndarray, features: np.ndarray | None) -> np.ndarray:
        """The model's input rows: each embedding followed by its standardised shape features."""
        if not self.features:
            return vectors
        if features is None or features.shape != (vectors.shape[0], len(self.features)):
            raise SentenceModelError(f"The practice-sentence model needs {len(self.features)} features per sentence.")
        return with_features(vectors, features, self.feature_mean, self.feature_scale)


def with_features(
    vectors: np.ndarray, features: np.ndarray, mean: Sequence[float], scale: Sequence[float]
) -> np.ndarray:
    """Each embedding followed by its shape features, standardised with ``mean`` and ``scale``."""
    return np.hstack([vectors, (features - np.asarray(mean)) * np.asarray(scale)])


FEATURE_WEIGHT = 0.1  # standardised features scaled down to the size of an embedding's components


def standardise(features: np.ndarray) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(mean, scale) that bring each feature column to mean 0 and spread ``FEATURE_WEIGHT``."""
    mean = features.mean(axis=0)
    scale = FEATURE_WEIGHT / (features.std(axis=0) + 1e-9)
    return tuple(float(m) for m in mean), tuple(float(s) for s in scale)


def sentences(doc: Doc, after_place: bool) -> list[tuple[Span, bool]]:
    """The block's sentences of at least ``MIN_WORDS`` words, each with whether it is scored.

    Scored are all of them in a block that names a place or follows one that does (``after_place``):
    a practice needs a town. A sentence after a rule candidate is scored too, since the candidate may
    not survive (scoring only those before the first candidate lost 6 of 636 held-out practices and
    saved about 160 of 685 encoded sentences on the bundled reports); ``extract`` still takes at
    most one classifier pick per block, and none in a block where a rule found a practice first.
    """
    scored = after_place or has_place(doc)
    return [(sent, scored) for sent in doc.sents if len(sent.text.split()) >= MIN_WORDS]


def has_place(doc: Doc) -> bool:
    return any(s.label_ == "place" for s in doc.spans.get("amc_places", []))


def encoded_text(sent: Span) -> str:
    """What the encoder sees of a sentence: its first ``MAX_WORDS`` words (the practice is told early)."""
    return " ".join(sent.text.split()[:MAX_WORDS])


def described_phrase(sent: Span) -> str | None:
    """A short label for a practice told in a sentence: the noun phrase after its first full verb.

    "Northam Library began lending bilingual picture books in Polish" -> "lending bilingual picture
    books"; falls back to the sentence's first noun phrase. A phrase that is only a place, a person,
    a date or an amount ("referred to Eastwick", "reopened this season") is passed over for the next.
    """
    tokens = list(sent)
    for i, tok in enumerate(tokens):
        if tok.pos_ == "VERB" and tok.tag_ != "VBG":
            found = _noun_phrase_tokens(tokens[i + 1 :])
            if found and not _only_entities(found):
                return _joined(found)
    found = _noun_phrase_tokens(tokens)
    return _joined(found) if found and not _only_entities(found) else None


_NOT_PRACTICE_ENTITIES = frozenset(
    {"GPE", "LOC", "PERSON", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}
)


def _only_entities(tokens: Sequence[Any]) -> bool:
    """Every token lies in a place span or in a named entity that cannot be a practice."""
    doc = tokens[0].doc
    places = [s for s in doc.spans.get("amc_places", []) if s.label_ == "place"]
    inside = {t.i for s in places for t in s}
    inside |= {t.i for e in doc.ents if e.label_ in _NOT_PRACTICE_ENTITIES for t in e}
    return all(t.i in inside or t.is_punct for t in tokens)


def noun_phrase(tokens: Sequence[Any]) -> str | None:
    """The first run of adjectives, nouns and gerunds (with "of" + noun) that holds a noun."""
    found = _noun_phrase_tokens(tokens)
    return _joined(found) if found else None


def _noun_phrase_tokens(tokens: Sequence[Any]) -> list[Any] | None:
    words: list[Any] = []
    has_noun = False
    for tok in tokens:
        nominal = tok.pos_ in ("ADJ", "NOUN", "PROPN", "NUM") or tok.tag_ == "VBG" or (tok.text == "-" and words)
        linking = tok.lower_ == "of" and has_noun and len(words) < 6
        if nominal or linking:
            words.append(tok)
            has_noun = has_noun or tok.pos_ in ("NOUN", "PROPN")
            continue
        if has_noun:
            break
        words, has_noun = [], False
    while words and words[-1].text in ("of", "-"):
        words.pop()
    if not has_noun or len(words) > 8:
        return None
    return words


def _joined(tokens: Sequence[Any]) -> str:
    return " ".join(t.text for t in tokens).replace(" - ", "-")


# --- training --------------------------------------------------------------------------------


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 300, rate: float = 5.0) -> tuple[np.ndarray, float]:
    """Class-balanced, L2-regularised logistic regression by gradient descent (deterministic)."""
    n, d = x.shape
    if n == 0 or y.min() == y.max():
        raise SentenceModelError("Training needs both sentences that introduce practices and sentences that do not.")
    pos = float(y.mean())
    sample_weight = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos))
    w = np.zeros(d)
    b = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        err = (p - y) * sample_weight
        w -= rate * (x.T @ err + l2 * w) / n
        b -= rate * float(err.sum()) / n
    return w, b


# --- saving and loading ------------------------------------------------------------------------


def save_model(model: SentenceModel, folder: Path) -> None:
    """Write ``weights.npy`` and ``config.json`` (config last, so a half-written model fails its check)."""
    folder.mkdir(parents=True, exist_ok=True)
    weights_path = folder / WEIGHTS
    np.save(weights_path, model.weights.astype(np.float64), allow_pickle=False)
    config = {
        "format": FORMAT,
        "kind": "practice-sentence logistic regression",
        "encoder": model.encoder,
        "dimension": model.dimension,
        "bias": model.bias,
        "threshold": model.threshold,
        "features": {
            "names": list(model.features),
            "mean": list(model.feature_mean),
            "scale": list(model.feature_scale),
        },
        "weights": {"file": WEIGHTS, "sha256": _sha256(weights_path), "length": int(model.weights.shape[0])},
        "training": model.training,
    }
    (folder / CONFIG).write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load_model(folder: Path) -> SentenceModel:
    """The model saved in ``folder``, checked against its config."""
    from .practice_features import FEATURES  # it reads actions, which reads this module

    retrain = "Retrain it with `amicall-kg train`, or set AMICALL_SENTENCE_MODEL='' to extract with rules only."
    try:
        config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SentenceModelError(f"No practice-sentence model at {folder} ({CONFIG} missing). {retrain}") from None
    except (OSError, ValueError) as exc:
        raise SentenceModelError(f"Cannot read {folder / CONFIG}: {exc}. {retrain}") from None
    try:
        if config.get("format") != FORMAT:
            raise ValueError(f"format {config.get('format')!r}, expected {FORMAT}")
        weights_path = folder / config["weights"]["file"]
        if _sha256(weights_path) != config["weights"]["sha256"]:
            raise ValueError(f"{weights_path.name} does not match the checksum in {CONFIG}")
        weights = np.load(weights_path, allow_pickle=False)
        dimension = int(config["dimension"])
        names = tuple(str(n) for n in config["features"]["names"])
        if names != FEATURES:
            raise ValueError(f"features {list(names)}, but this version computes {list(FEATURES)}")
        mean = tuple(float(v) for v in config["features"]["mean"])
        scale = tuple(float(v) for v in config["features"]["scale"])
        if len(mean) != len(names) or len(scale) != len(names):
            raise ValueError("feature mean or scale of the wrong length")
        if weights.shape != (dimension + len(names),):
            raise ValueError(f"weights of shape {weights.shape}, expected ({dimension + len(names)},)")
        return SentenceModel(
            encoder=str(config["encoder"]),
            dimension=dimension,
            weights=weights,
            bias=float(config["bias"]),
            threshold=float(config["threshold"]),
            features=names,
            feature_mean=mean,
            feature_scale=scale,
            training=dict(config.get("training") or {}),
        )
    except (KeyError, TypeError, ValueError, OSError) as exc:
        raise SentenceModelError(f"The practice-sentence model at {folder} is not usable: {exc}. {retrain}") from None


def model_checksum(folder: Path) -> str | None:
    """The weights checksum a model's config records (for the build manifest), or None."""
    try:
        return str(json.loads((folder / CONFIG).read_text(encoding="utf-8"))["weights"]["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise SentenceModelError(f"Cannot read {path}: {exc}.") from None
