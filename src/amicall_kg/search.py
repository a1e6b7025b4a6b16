"""Queries over the version in service: ``ask`` (passages) and ``similar`` (practices).

Both are hybrid: dense (FAISS over sentence embeddings) and lexical (BM25) rankings
fused by reciprocal rank fusion. ``similar`` adds passage hits mapped to the practices
they state, then re-ranks the candidates by how well each practice's facts match the
situation's context (catalyst type, place size, goal, target group, country, place type).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from .context import Context, context_from, match, passes, practice_context
from .encoder import Encoder, load_encoder
from .errors import QueryError
from .index import load_indexes
from .manifest import check_version
from .search_text import STOPWORDS, fold, stem, tokenize
from .settings import Settings
from .versions import require_version
from .vocab import Vocabulary, load_vocabulary

RRF_K = 60
CANDIDATES = 100  # rows taken from each ranking before fusion
CONTEXT_WEIGHT = 0.12  # share of the final score per unit of context match
SIMILAR_WEIGHTS = (1.0, 1.0, 0.25)  # RRF: practice dense, practice BM25, passages mapped to practices (a tie-breaker:
# practices with many evidence passages would otherwise crowd the top; measured on dev and held-out queries)
MAX_EVIDENCE = 3
SECTION_MAX_PRACTICES = 3  # a passage naming no practice leads to those of its section, if this few
MEANING_SCHEMES = {"catalysts": "catalyst-type"}  # context fields also recognised by meaning
MEANING_MIN_SIMILARITY = 0.45  # cosine to a concept's label + definition; below it nothing is assumed
MEANING_MIN_MARGIN = 0.05  # over the second-closest concept, so near ties assume nothing
_WORD = re.compile(r"[a-z0-9]+")
PASSAGE_FIELDS = ("report", "passage", "text", "score", "start", "end", "page", "practices")


def rrf(rankings: Iterable[list[int]], k: int = RRF_K, weights: Iterable[float] | None = None) -> dict[int, float]:
    """Reciprocal rank fusion: each ranking adds ``weight / (k + rank)`` (rank from 1) to its items."""
    scores: dict[int, float] = {}
    rankings = list(rankings)
    weight_list = list(weights) if weights is not None else [1.0] * len(rankings)
    for ranking, weight in zip(rankings, weight_list, strict=True):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


def _ranked(scores: Mapping[int, float]) -> list[int]:
    return sorted(scores, key=lambda i: (-scores[i], i))


class Searcher:
    """The indexes of one version, loaded once, answering ``ask`` and ``similar``."""

    def __init__(
        self, version: Path, settings: Settings, encoder: Encoder | None = None, vocab: Vocabulary | None = None
    ) -> None:
        self.version = version
        self.settings = settings
        self.encoder = encoder or load_encoder(settings)
        self.vocab = vocab or load_vocabulary(settings.ontology)
        self.passages, self.practices = load_indexes(version, settings, self.encoder)
        self.contexts: list[Context] = [practice_context(r, self.vocab) for r in self.practices.records]
        row_of = {str(r["iri"]): i for i, r in enumerate(self.practices.records)}
        self._concepts: dict[str, tuple[list[str], np.ndarray]] = {}
        self._tokens: dict[int, set[str]] = {}  # practice row -> its BM25 tokens, for "shares your words"
        self.passage_rows: list[list[int]] = [
            [row_of[iri] for iri in p.get("practices", []) if iri in row_of] for p in self.passages.records
        ]
        self.context_rows = section_rows(self.passages.records, self.passage_rows)

    # -- shared steps -------------------------------------------------------------------------------------
    def _query(self, text: str) -> tuple[np.ndarray, list[str]]:
        if not text.strip():
            raise QueryError("The query is empty. Describe the question or situation in a few words.")
        return self.encoder.encode([text])[0], tokenize(text)

    def _allowed_practices(self, filters: Mapping[str, Any] | None) -> set[int] | None:
        if not filters or not any(filters.values()):
            return None
        try:
            return {i for i, c in enumerate(self.contexts) if passes(c, filters, self.vocab)}
        except KeyError as exc:
            raise QueryError(
                f"Unknown filter {exc.args[0]!r}; use country, activity_type, catalyst_type, target_group or size."
            ) from None

    def _passage_ranking(
        self, vector: np.ndarray, tokens: list[str], allowed: set[int] | None, pool: int
    ) -> tuple[list[int], dict[int, float]]:
        index = self.passages
        pool = len(index) if allowed is not None else pool
        dense = [i for i, _ in index.dense(vector, pool)]
        lexical = [i for i, _ in index.lexical(tokens, pool)]
        if allowed is not None:
            keep = {i for i, rows in enumerate(self.passage_rows) if allowed.intersection(rows)}
            dense = [i for i in dense if i in keep]
            lexical = [i for i in lexical if i in keep]
        fused = rrf([dense, lexical])
        return _ranked(fused), fused

    def _by_meaning(self, wanted: Context, vector: np.ndarray, explicit: Mapping[str, Any] | None) -> Context:
        """Add the closest concept of a scheme when neither the text's words nor the caller named one."""
        updates: dict[str, Any] = {}
        for name, scheme in MEANING_SCHEMES.items():
            if getattr(wanted, name) or (explicit and any(explicit.get(k) for k in (name, name.rstrip("s")))):
                continue
            if scheme not in self._concepts:
                concepts = self.vocab.scheme(scheme)
                texts = [f"{c.pref_label}: {c.definition}" for c in concepts]
                self._concepts[scheme] = ([c.pref_label for c in concepts], self.encoder.encode(texts))
            labels, matrix = self._concepts[scheme]
            if not labels:
                continue
            similarity = matrix @ vector
            order = np.argsort(-similarity)
            best = int(order[0])
            margin = similarity[best] - (similarity[order[1]] if len(order) > 1 else 0.0)
            if similarity[best] >= MEANING_MIN_SIMILARITY and margin >= MEANING_MIN_MARGIN:
                updates[name] = (labels[best],)
        return replace(wanted, **updates) if updates else wanted

    # -- ask -------------------------------------------------------------------------------------------------
    def ask(
        self, question: str, top_k: int | None = None, filters: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Passages answering ``question``, best first, with report, offsets, page and practices."""
        top_k = _top(top_k, self.settings)
        vector, tokens = self._query(question)
        allowed = self._allowed_practices(filters)
        ranking, fused = self._passage_ranking(vector, tokens, allowed, max(CANDIDATES, top_k * 4))
        out = []
        for i in ranking[:top_k]:
            record = self.passages.records[i]
            out.append({**{k: record.get(k) for k in PASSAGE_FIELDS}, "score": round(fused[i], 6)})
        return out

    # -- similar ---------------------------------------------------------------------------------------------
    def similar(
        self,
        situation: str,
        top_k: int | None = None,
        context: Mapping[str, Any] | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Practices fitting ``situation``, best first, each with ``score``, ``why`` and ``evidence``."""
        top_k = _top(top_k, self.settings)
        wanted = context_from(context, situation, self.vocab)
        vector, tokens = self._query(situation)
        wanted = self._by_meaning(wanted, vector, context)
        allowed = self._allowed_practices(filters)
        practices = self.practices
        pool = len(practices) if allowed is not None else CANDIDATES
        dense = [i for i, _ in practices.dense(vector, pool)]
        lexical = [i for i, _ in practices.lexical(tokens, pool)]
        passage_order, _ = self._passage_ranking(vector, tokens, allowed, CANDIDATES)
        via_passages: list[int] = []
        best_passage: dict[int, int] = {}
        for p in passage_order:
            for row in self.context_rows[p]:
                if row not in best_passage:
                    best_passage[row] = p
                    via_passages.append(row)
        if allowed is not None:
            dense, lexical, via_passages = ([i for i in r if i in allowed] for r in (dense, lexical, via_passages))
        semantic = rrf([dense, lexical, via_passages], weights=SIMILAR_WEIGHTS)
        if not semantic:
            return []
        top = max(semantic.values())
        scored: dict[int, tuple[float, list[tuple[float, str]]]] = {}
        for row, value in semantic.items():
            factors = match(wanted, self.contexts[row])
            scored[row] = (value / top + CONTEXT_WEIGHT * sum(w for w, _ in factors), factors)
        order = sorted(scored, key=lambda r: (-scored[r][0], r))[:top_k]
        ranks = {
            name: {r: n for n, r in enumerate(ranking, 1)}
            for name, ranking in (("dense", dense), ("lexical", lexical), ("passages", via_passages))
        }
        return [self._practice_result(r, scored[r], ranks, best_passage.get(r), situation) for r in order]

    def _practice_result(
        self,
        row: int,
        scored: tuple[float, list[tuple[float, str]]],
        ranks: dict[str, dict[int, int]],
        passage: int | None,
        query: str,
    ) -> dict[str, Any]:
        record = self.practices.records[row]
        score, factors = scored
        why = [reason for _, reason in factors]
        if ranks["dense"].get(row, CANDIDATES + 1) <= 3:
            why.append("close in meaning to your description")
        if row not in self._tokens:
            self._tokens[row] = set(tokenize(str(record.get("text", ""))))
        shared = _shared_words(query, self._tokens[row])
        if shared:
            why.append("shares your words: " + ", ".join(shared[:6]))
        evidence = [e for e in record.get("evidence") or [] if isinstance(e, dict)]
        if passage is not None:
            hit = self.passages.records[passage]
            if ranks["passages"].get(row, CANDIDATES + 1) <= 3:
                why.append(f"a passage in {hit['report']} describing it matches your description")
            overlapping = [e for e in evidence if e.get("report") == hit["report"] and _overlaps(e, hit)]
            rest = [e for e in evidence if e not in overlapping]
            evidence = overlapping + rest
            if not overlapping:
                evidence.insert(0, {k: hit.get(k) for k in ("report", "passage", "text", "start", "end", "page")})
        result = {k: v for k, v in record.items() if k != "text"}
        result.update(
            score=round(score, 6), why=why or ["related to your description"], evidence=evidence[:MAX_EVIDENCE]
        )
        return result


def section_rows(records: list[dict[str, Any]], direct: list[list[int]]) -> list[list[int]]:
    """Per passage, the practices it states, or else those stated in its report section.

    A section that presents a practice often tells its setting (the place, its history, the
    trigger) in passages that name no practice; they lead ``similar`` to that practice. Sections
    naming more than ``SECTION_MAX_PRACTICES`` practices are surveys, not one case, and lead nowhere.
    """
    by_section: dict[tuple[str, str], list[int]] = {}
    for record, rows in zip(records, direct, strict=True):
        if record.get("section"):
            bucket = by_section.setdefault((str(record["report"]), str(record["section"])), [])
            bucket.extend(r for r in rows if r not in bucket)
    out = []
    for record, rows in zip(records, direct, strict=True):
        nearby = (
            by_section.get((str(record["report"]), str(record.get("section"))), []) if record.get("section") else []
        )
        out.append(rows or (nearby if len(nearby) <= SECTION_MAX_PRACTICES else []))
    return out


def _overlaps(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    try:
        return int(a["start"]) < int(b["end"]) and int(b["start"]) < int(a["end"])
    except (KeyError, TypeError, ValueError):
        return False


def _shared_words(query: str, present: set[str]) -> list[str]:
    """Query words (as the user wrote them; stemmed for matching) among a practice's tokens."""
    words = [w for w in _WORD.findall(fold(query)) if w not in STOPWORDS and len(w) > 3]
    return [w for w in dict.fromkeys(words) if stem(w) in present]


def _top(top_k: int | None, settings: Settings) -> int:
    value = int(top_k if top_k is not None else settings.top_k)
    if value < 1:
        raise QueryError(f"--top must be at least 1 (got {value}).")
    return value


_SEARCHERS: OrderedDict[tuple[str, ...], Searcher] = OrderedDict()  # least recently used first
MAX_SEARCHERS = 2  # a long-running app that re-indexes keeps the new version and the one before
_LOCK = threading.Lock()


def get_searcher(settings: Settings, encoder: Encoder | None = None) -> Searcher:
    """The searcher of the version in service, loaded once per process (versions are immutable).

    A version is checked against its manifest's checksums when first loaded (``IntegrityError``
    telling the user to rebuild when damaged); later queries only read ``CURRENT``.
    """
    version = require_version(Path(settings.indexes))
    key = (
        str(version.resolve()),
        str(settings.encoder_model),
        str(settings.faiss_index),
        str(settings.ontology),
        encoder.name if encoder else "",
    )
    with _LOCK:
        if key in _SEARCHERS:
            _SEARCHERS.move_to_end(key)
            return _SEARCHERS[key]
        check_version(version)
        _SEARCHERS[key] = Searcher(version, settings, encoder)
        while len(_SEARCHERS) > MAX_SEARCHERS:
            _SEARCHERS.popitem(last=False)
        return _SEARCHERS[key]


def ask(
    settings: Settings,
    question: str,
    top_k: int | None = None,
    filters: Mapping[str, Any] | None = None,
    encoder: Encoder | None = None,
) -> list[dict[str, Any]]:
    """Passages answering ``question`` from the version in service (DESIGN 3.1 passage shape)."""
    return get_searcher(settings, encoder).ask(question, top_k, filters)


def similar(
    settings: Settings,
    situation: str,
    top_k: int | None = None,
    context: Mapping[str, Any] | None = None,
    filters: Mapping[str, Any] | None = None,
    encoder: Encoder | None = None,
) -> list[dict[str, Any]]:
    """Practices fitting ``situation`` from the version in service (DESIGN 3.1 practice shape)."""
    return get_searcher(settings, encoder).similar(situation, top_k, context, filters)
