"""What the practice-sentence classifier sees of a sentence besides its embedding.

An embedding tells what a sentence is about; whether it *introduces* a local practice shows as
much in its shape: it names a town, opens its paragraph, has a local actor do something in the past
tense, is not advice. Leave-one-set-out on the 43 annotated sets, counted on the sentences where no
rule candidate stands (where the classifier decides): at threshold 0.8 the embedding alone found 65
gold sentences with 53 false alarms, the embedding with these features 110 with 43.

Each feature is a plain number from the tagged sentence, computed the same way in training
(``train.py``) and extraction (``components.SentenceScorer``); the model records their names and
refuses to load when the code's list differs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from .actions import ACTORS, VERBS, hypothetical

if TYPE_CHECKING:
    from spacy.tokens import Span

FEATURES = (
    "names_place",
    "block_names_place",
    "opens_block",
    "verb_of_doing",
    "local_actor",
    "quoted",
    "hypothetical",
    "first_person",
    "length",
    "date",
    "past_tense",
    "participle",
    "perfect",
    "digit",
    "bullet",
)
_QUOTE = re.compile("[\"\u201c\u2018']")
_FIRST_PERSON = frozenset(["we", "our", "i", "us"])


def sentence_features(sent: Span) -> list[float]:
    """The values of ``FEATURES`` for one sentence of a doc that went through the place tagger."""
    doc = sent.doc
    places = [s for s in doc.spans.get("amc_places", []) if s.label_ == "place"]
    words = [t.lower_ for t in sent]
    tags = {t.tag_ for t in sent}
    values = (
        any(sent.start <= p.start < sent.end for p in places),
        bool(places),
        sent.start == 0,
        any(w in VERBS for w in words),
        any(w in ACTORS for w in words),
        bool(_QUOTE.search(sent.text)),
        hypothetical(sent.text),
        bool(_FIRST_PERSON & set(words)),
        min(len(sent), 60) / 60,
        any(e.label_ == "DATE" for e in sent.ents),
        "VBD" in tags,
        "VBN" in tags,
        "has" in words or "have" in words,
        any(ch.isdigit() for ch in sent.text),
        sent.text.lstrip().startswith(("-", "\u2022", "*")),
    )
    return [float(v) for v in values]


def feature_matrix(sents: list[Span]) -> np.ndarray:
    """``sentence_features`` of each sentence, one row each."""
    return np.array([sentence_features(s) for s in sents], dtype=np.float64).reshape(len(sents), len(FEATURES))
