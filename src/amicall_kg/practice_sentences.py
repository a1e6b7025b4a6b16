"""Practices told with no name and no cue noun, found by a trained sentence classifier.

The rule finders (``patterns``, ``naming``, ``unnamed``) need a construction or a cue noun; "the
library began lending bilingual picture books" has neither. Every sentence of a block that comes
before the block's first rule candidate is scored by a logistic regression over the sentence's
embedding (the package's sentence encoder); ``extract`` turns the first sentence of a block above
the threshold into an unnamed practice.

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

FORMAT = 1
CONFIG = "config.json"
WEIGHTS = "weights.npy"
MIN_WORDS = 5
MAX_WORDS = 40


@dataclass(frozen=True)
class SentenceModel:
    """Logistic regression weights over a sentence embedding."""

    encoder: str
    dimension: int
    weights: np.ndarray  # (dimension,)
    bias: float
    threshold: float
    training: dict[str, Any] = field(default_factory=dict)

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Probability that each sentence introduces a practice."""
        scores: np.ndarray = 1.0 / (1.0 + np.exp(-(vectors @ self.weights + self.bias)))
        return scores


def sentences(doc: Doc, after_place: bool) -> list[tuple[Span, bool]]:
    """The block's sentences of at least ``MIN_WORDS`` words, each with whether it is scored.

    Scored are those before the block's first rule candidate (a later one usually goes on about that
    practice), in a block that names a place or follows one that does (``after_place``): a practice
    needs a town, and skipping the rest cuts the sentences encoded on the bundled reports by about 40 %.
    """
    first_candidate = min((s.start for s in doc.spans.get("amc_practices", [])), default=len(doc))
    if not (after_place or has_place(doc)):
        first_candidate = -1  # no town in sight: nothing is scored
    return [(sent, sent.end <= first_candidate) for sent in doc.sents if len(sent.text.split()) >= MIN_WORDS]


def has_place(doc: Doc) -> bool:
    return any(s.label_ == "place" for s in doc.spans.get("amc_places", []))


def encoded_text(sent: Span) -> str:
    """What the encoder sees of a sentence: its first ``MAX_WORDS`` words (the practice is told early)."""
    return " ".join(sent.text.split()[:MAX_WORDS])


def described_phrase(sent: Span) -> str | None:
    """A short label for a practice told in a sentence: the noun phrase after its first full verb.

    "Northam Library began lending bilingual picture books in Polish" -> "lending bilingual picture
    books"; falls back to the sentence's first noun phrase.
    """
    tokens = list(sent)
    for i, tok in enumerate(tokens):
        if tok.pos_ == "VERB" and tok.tag_ != "VBG":
            phrase = noun_phrase(tokens[i + 1 :])
            if phrase:
                return phrase
    return noun_phrase(tokens)


def noun_phrase(tokens: Sequence[Any]) -> str | None:
    """The first run of adjectives, nouns and gerunds (with "of" + noun) that holds a noun."""
    words: list[str] = []
    has_noun = False
    for tok in tokens:
        nominal = tok.pos_ in ("ADJ", "NOUN", "PROPN", "NUM") or tok.tag_ == "VBG" or (tok.text == "-" and words)
        linking = tok.lower_ == "of" and has_noun and len(words) < 6
        if nominal or linking:
            words.append(tok.text)
            has_noun = has_noun or tok.pos_ in ("NOUN", "PROPN")
            continue
        if has_noun:
            break
        words, has_noun = [], False
    while words and words[-1] in ("of", "-"):
        words.pop()
    if not has_noun or len(words) > 8:
        return None
    return " ".join(words).replace(" - ", "-")


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
        "weights": {"file": WEIGHTS, "sha256": _sha256(weights_path), "length": int(model.weights.shape[0])},
        "training": model.training,
    }
    (folder / CONFIG).write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load_model(folder: Path) -> SentenceModel:
    """The model saved in ``folder``, checked against its config."""
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
        if weights.shape != (dimension,):
            raise ValueError(f"weights of shape {weights.shape}, expected ({dimension},)")
        return SentenceModel(
            encoder=str(config["encoder"]),
            dimension=dimension,
            weights=weights,
            bias=float(config["bias"]),
            threshold=float(config["threshold"]),
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
