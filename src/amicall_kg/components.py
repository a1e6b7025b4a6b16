"""Custom spaCy components (registered factories) used by the extraction pipeline.

- ``amicall_concepts``: phrase matcher over the SKOS labels -> ``doc.spans["amc_concepts"]``
  (label = scheme, ``kb_id_`` = concept IRI).
- ``amicall_places``: gazetteer mentions with a capitalisation and context cue ->
  ``doc.spans["amc_places"]`` (label ``place``, ``country_adj`` or ``country_code``).
- ``amicall_practices``: rule patterns (``patterns.py``) per sentence ->
  ``doc.spans["amc_practices"]`` with the ``Candidate`` in ``span._.amc_candidate``.
- ``amicall_sentences`` (statistical pipeline only): the trained practice-sentence classifier
  (``practice_sentences.py``) -> ``doc._.amc_practice_sentences``: the sentences (start token ->
  probability) that score above the model's threshold.

The first three are rule based, so they behave the same in the blank and statistical pipelines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .cues import MONTHS
from .patterns import find_candidates, place_titled
from .places import DEMONYMS, STREET_WORDS, get_gazetteer, language_names
from .scope import beyond_local

if TYPE_CHECKING:
    from .vocab import Vocabulary

if not Span.has_extension("amc_candidate"):
    Span.set_extension("amc_candidate", default=None)
if not Doc.has_extension("amc_practice_sentences"):
    Doc.set_extension("amc_practice_sentences", default=None)

PLACE_PREPS = frozenset(
    [
        "in",
        "of",
        "from",
        "to",
        "at",
        "across",
        "near",
        "around",
        "throughout",
        "and",
        "like",
        "including",
        "e.g.",
        "between",
        "outside",
        "within",
        ",",
        "(",
        ";",
        "such",
        "'s",
        "’s",
    ]
)
ORG_HEADS = frozenset(["federation", "council", "association", "university", "borough", "forum", "club", "foundation"])
PLACE_NOUNS = frozenset(
    ["city", "town", "municipality", "borough", "district", "region", "village", "county", "capital"]
)
_CODE = re.compile(r"^[A-Z]{2}$")
# "the parish of San Juan", "the chapel of St Anne": a church named after its saint, not the town of that name.
_CHURCHES = frozenset(["parish", "church", "chapel", "cathedral", "basilica", "shrine", "convent", "monastery",
                       "abbey", "hermitage", "rectory", "sanctuary", "oratory", "priory"])  # fmt: skip
_SAINTS = frozenset(["san", "santa", "santo", "sant", "saint", "sainte", "st", "st.", "ste", "são", "sankt", "sint",
                     "sveti", "sv.", "svatý", "święty", "santi", "santos"])  # fmt: skip

# Small words inside town names: "<Town> am Main", "<Town> nad <River>", "<Town> upon <River>".
_PLACE_CONNECT = frozenset(["-", "de", "del", "am", "an", "der", "nad", "pod", "upon", "on", "sur", "en", "im", "bei",
                            "di", "sul", "aan", "op", "la", "le", "sobre"])  # fmt: skip


class ConceptMatcher:
    """Marks every mention of a SKOS label (any case) with its concept."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.concepts: dict[str, tuple[str, str]] = {}

    def set_vocabulary(self, vocab: Vocabulary) -> None:
        """(Re)build the patterns from a vocabulary's preferred and alternative labels."""
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for concept in vocab.concepts:
            if concept.scheme == "place-size":
                continue
            key = concept.iri
            self.concepts[key] = (concept.scheme, concept.iri)
            patterns = [self.nlp.make_doc(label) for label in concept.labels if label.strip()]
            self.matcher.add(key, patterns)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            key = self.nlp.vocab.strings[match_id]
            scheme, iri = self.concepts[key]
            spans.append(Span(doc, start, end, label=scheme, kb_id=iri))
        doc.spans["amc_concepts"] = spans
        return doc


_DATE_PART = re.compile(r"\d{1,4}(?:[/.\-]\d{1,4}){0,2}\.?")  # "03/03", "2025-04-18", "18."


class PlaceTagger:
    """Marks capitalised gazetteer names that have a context cue as place mentions."""

    def __init__(self, nlp: Language, name: str, min_population: int) -> None:
        self.name = name
        self.min_population = min_population

    def __call__(self, doc: Doc) -> Doc:
        gazetteer = get_gazetteer(self.min_population)
        ents = {(e.start, e.end): e.label_ for e in doc.ents} if doc.has_annotation("ENT_IOB") else {}
        ent_tokens = {i for (s, e), label in ents.items() if label in ("GPE", "LOC", "NORP") for i in range(s, e)}
        spans: list[Span] = []
        i = 0
        n = len(doc)
        while i < n:
            tok = doc[i]
            if tok.text.lower() in DEMONYMS and tok.text[:1].isupper():
                spans.append(Span(doc, i, i + 1, label="country_adj"))
                # "the Czech Republic", "the Slovak Republic": not a town called Republic
                i += 2 if i + 1 < n and doc[i + 1].text in ("Republic", "Republics") else 1
                continue
            if _CODE.match(tok.text) and 0 < i < n - 1 and doc[i - 1].text == "(" and doc[i + 1].text == ")":
                if gazetteer.country(tok.text):
                    spans.append(Span(doc, i, i + 1, label="country_code"))
                i += 1
                continue
            if not tok.text[:1].isupper():
                i += 1
                continue
            if _dedicated(doc, i):  # "the parish hall of San Andrés": a church's saint, not the town of that name
                i += 1
                while i < n and doc[i].text[:1].isupper():
                    i += 1
                continue
            found = 0
            for j in range(min(n, i + 5), i, -1):
                words = doc[i:j]
                if any(not (t.text[:1].isupper() or t.text in _PLACE_CONNECT) for t in words):
                    continue
                if not words[-1].text[:1].isupper():
                    continue
                if words.text.lower() in MONTHS:
                    break  # "in March": a date, not the town of that name
                if j - i == 1 and self._among_languages(doc, i):
                    break  # "in Arabic, Dari and Ukrainian": a language, not the town of that name
                if not (gazetteer.lookup(words.text) or gazetteer.lookup_alt(words.text)):
                    continue
                if words.text.lower() in STREET_WORDS and j < n and doc[j].text[:1].isupper():
                    break  # "Piazza Verdi", "Place du Marché": a square or street, not the town of that name
                if self._cued(doc, i, j, ent_tokens) or any(c.kind == "country" for c in gazetteer.lookup(words.text)):
                    spans.append(Span(doc, i, j, label="place"))
                    found = j
                break
            i = found or i + 1
        doc.spans["amc_places"] = spans
        return doc

    def _among_languages(self, doc: Doc, i: int) -> bool:
        """``doc[i]`` names a language, and within three words of it is another language that is no town."""
        languages = language_names()
        if doc[i].lower_ not in languages:
            return False
        near = [t for t in doc[max(0, i - 3) : i + 4] if t.i != i and t.text[:1].isupper() and t.lower_ in languages]
        return any(not get_gazetteer(self.min_population).lookup(t.text) for t in near)

    def _cued(self, doc: Doc, start: int, end: int, ent_tokens: set[int]) -> bool:
        if re.match(r",?\s*(?:et al\.?,?\s*)?(?:1[89]|20)\d\d\b", doc[end:].text[:20]):
            return False  # "(Author 2022)": a citation, not a place
        if any(i in ent_tokens for i in range(start, end)):
            return True
        lead = all(t.is_punct for t in doc[:start])
        if lead and end + 1 < len(doc) and doc[end].text == ":" and doc[end + 1].text[:1].islower():
            return True  # "- Northam: the library opened ...": a paragraph led by its town (not "Speaker: We ...")
        dated = start > 0 and all(t.is_punct or _DATE_PART.fullmatch(t.text) for t in doc[:start])
        if dated and end < len(doc) and doc[end].text in ("-", "\u2013", "\u2014"):
            return True  # "03/03 Northam - met the harbour master": a diary or notebook line led by date and town
        if doc[start].is_sent_start and end < len(doc) and doc[end].text[:1].islower():
            if end - start == 1 and doc[start].is_stop:
                return False  # "Most of the arrivals": a common word that is also a town
            cands = get_gazetteer(self.min_population).lookup(doc[start:end].text)
            if any((c.population or 0) >= 100_000 for c in cands):
                return True  # "Big City adopted ..."
            # "Northam sits on the border": the subject of a verb, and the only sizeable town of that name.
            towns = {c.geonames_id for c in cands if c.kind == "city" and (c.population or 0) >= 15_000}
            return len(towns) == 1 and doc[end].pos_ in ("VERB", "AUX", "ADP")
        prev = doc[start - 1].text.lower() if start > 0 else ""
        nxt = doc[end].text if end < len(doc) else ""
        run = [t.text.lower() for t in doc[end : end + 4]]
        upto = next((i for i, t in enumerate(doc[end : end + 4]) if not t.text[:1].isupper()), len(run))
        if upto and any(w in ORG_HEADS for w in run[:upto]):
            return True  # "X Sport Federation": an organisation named after its town
        inside = start > 0 and doc[start - 1].text[:1].isupper() and not doc[start - 1].is_sent_start
        if inside and prev not in PLACE_PREPS:
            return False  # inside a longer capitalised name (not "- In Northam", a bullet's first words)
        if prev in PLACE_PREPS or nxt in ("'s", "\u2019s", ",", "("):
            return True
        if start >= 2 and prev == "of" and doc[start - 2].text.lower() in PLACE_NOUNS:
            return True
        numbered = all(t.is_punct or t.like_num for t in doc[:start])
        return numbered and end == len(doc)  # a heading that is only a place name ("3.2 Northam")


def _dedicated(doc: Doc, i: int) -> bool:
    """``doc[i]`` opens a saint's name after "<church> of" ("the chapel of St Anne")."""
    if doc[i].lower_ not in _SAINTS or i < 2 or doc[i - 1].lower_ != "of":
        return False
    return any(t.lower_ in _CHURCHES for t in doc[max(0, i - 4) : i - 1])


class PracticeDetector:
    """Runs the practice patterns on every sentence and keeps the candidates as spans."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.title_words: frozenset[str] = frozenset()

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        title_words: frozenset[str] = doc.user_data.get("amc_title_words", self.title_words)
        # The whole block at once: a quote may straddle a sentence boundary the sentencizer drew.
        found = find_candidates(doc.text, title_words)
        gazetteer = get_gazetteer()
        for cand in place_titled(doc.text, lambda w: any(p.kind == "city" for p in gazetteer.lookup(w))):
            if not any(cand.start < c.end and c.start < cand.end for c in found):
                found.append(cand)
        for cand in sorted(found, key=lambda c: c.start):
            if beyond_local(doc.text, cand):
                continue
            span = doc.char_span(cand.start, cand.end, label=cand.kind, alignment_mode="expand")
            if span is None:
                continue
            span._.amc_candidate = cand
            spans.append(span)
        doc.spans["amc_practices"] = spans
        return doc


class SentenceScorer:
    """Scores the sentences ``practice_sentences.sentences`` marks, a batch of blocks per encoder call.

    (Encoding one batch in a worker thread while spaCy tags the next was tried: 9.25 s for the corpus
    against 8.98 s in turn, no gain on two cores, so the scorer stays sequential.)
    """

    def __init__(self, nlp: Language, name: str, model: str, batch_size: int) -> None:
        from pathlib import Path

        from .practice_sentences import load_model

        self.name = name
        self.model = load_model(Path(model))  # checked now, so a bad model fails before any extraction
        self.batch_size = batch_size
        self._encoder: Any = None

    def __call__(self, doc: Doc) -> Doc:
        docs, found = self._marked([doc], after_place=False)
        return self._apply(docs, found, self._scores(found))[0]

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Blocks in report order: whether the block before named a place carries across batches."""
        from spacy.util import minibatch

        from .practice_sentences import has_place

        after_place = False
        for batch in minibatch(stream, batch_size):  # type: ignore[no-untyped-call]
            docs, found = self._marked(batch, after_place)
            after_place = has_place(batch[-1])
            yield from self._apply(docs, found, self._scores(found))

    def _marked(self, docs: list[Doc], after_place: bool) -> tuple[list[Doc], list[tuple[Doc, Span]]]:
        """The sentences of ``docs`` to score, in order."""
        from .practice_sentences import has_place, sentences

        found: list[tuple[Doc, Span]] = []
        for doc in docs:
            found.extend((doc, sent) for sent, scored in sentences(doc, after_place) if scored)
            after_place = has_place(doc)
        return docs, found

    def _scores(self, found: list[tuple[Doc, Span]]) -> np.ndarray:
        from .encoder import encoder_named
        from .errors import SentenceModelError
        from .practice_features import feature_matrix
        from .practice_sentences import encoded_text

        if not found:
            return np.zeros(0)
        if self._encoder is None:
            self._encoder = encoder_named(self.model.encoder, self.batch_size)
            if self._encoder.dimension != self.model.dimension:
                raise SentenceModelError(
                    f"The practice-sentence model expects {self.model.dimension}-dimensional vectors from "
                    f"{self.model.encoder!r}, which gives {self._encoder.dimension}. "
                    "Retrain it with `amicall-kg train`."
                )
        vectors = self._encoder.encode([encoded_text(sent) for _doc, sent in found])
        return self.model.scores(vectors, feature_matrix([sent for _doc, sent in found]))

    def _apply(self, docs: list[Doc], found: list[tuple[Doc, Span]], scores: np.ndarray) -> list[Doc]:
        for doc in docs:
            doc._.amc_practice_sentences = {}
        for (doc, sent), score in zip(found, scores, strict=True):
            if score >= self.model.threshold:
                doc._.amc_practice_sentences[sent.start] = float(score)
        return docs


@Language.factory("amicall_concepts", default_config={})
def make_concepts(nlp: Language, name: str) -> ConceptMatcher:
    return ConceptMatcher(nlp, name)


@Language.factory("amicall_places", default_config={"min_population": 5000})
def make_places(nlp: Language, name: str, min_population: int) -> PlaceTagger:
    return PlaceTagger(nlp, name, min_population)


@Language.factory("amicall_practices", default_config={})
def make_practices(nlp: Language, name: str) -> PracticeDetector:
    return PracticeDetector(nlp, name)


@Language.factory("amicall_sentences", default_config={"model": "", "batch_size": 32})
def make_sentences(nlp: Language, name: str, model: str, batch_size: int) -> SentenceScorer:
    return SentenceScorer(nlp, name, model, batch_size)


def configure(nlp: Language, vocab: Vocabulary, **_: Any) -> None:
    """Give the concept matcher its vocabulary."""
    matcher = nlp.get_pipe("amicall_concepts")
    assert isinstance(matcher, ConceptMatcher)
    matcher.set_vocabulary(vocab)
