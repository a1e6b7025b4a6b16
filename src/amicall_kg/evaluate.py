"""Extraction quality: predicted practices scored against a hand-annotated gold file.

The gold file (JSON lines) holds one practice per line: ``id``, ``report``, ``label``,
``aliases``, ``place``, ``country``, ``activity_types``, ``catalysts``, ``quote`` (an exact
substring of the report) and optionally ``"optional": true`` for borderline items
(European networks, research projects, national funds) that an extractor may or may not
call a practice: a prediction matching one is *ignored*, neither rewarded nor punished,
and an unmatched optional item costs no recall. Gold data is for evaluation only;
extraction never reads it.

Matching a predicted practice (DESIGN 3.1 shape) to a gold one, strongest rule first:

1. ``exact`` (3.0): a normalised predicted name (label or ``alt_labels``) equals a gold
   name (label or ``aliases``). Normalising casefolds, strips accents, footnote marks,
   quotes, punctuation, possessive ``'s`` and English articles.
2. ``acronym`` (2.5): a name written with two or more capitals (``NMS``) spells the
   other side's multi-word name from word prefixes, in order (stop words may be skipped);
   rejected, as ``contains`` is, when both places are given and differ.
3. ``contains`` (2.0): one name is a contiguous token run of the other, the shorter
   having at least two tokens (or being a one-token gold name of four or more letters);
   rejected when both places are given and differ, unless the evidence overlaps the quote.
4. ``evidence`` (1.0): no name rule applies, but a predicted evidence span overlaps the
   gold quote and the two sides share a content word (not a stop word or cue noun) or
   the same place: the extractor found the practice the quote states, under another name.

Confirmation: a prediction whose evidence cites reports can only match gold items of
those reports (+0.2); evidence overlapping the gold quote adds +0.5. Pairs are then
assigned one-to-one, greedily by strength.

Scores: practice precision/recall/F1 over non-optional gold; over matched pairs,
``place`` and ``country`` accuracy (correct / matched gold items with a value), coverage
(items given any value / items with a value) and precision (correct / items given a
value); ``activity_types`` and ``catalysts`` micro precision/recall of the concept sets,
counting only predicted concepts from the annotated label space (below).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from dataclasses import field as _field  # FieldScore has an attribute named "field"
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import EvaluationError
from .evaluate_gold import ACTIVITY_TYPES, CATALYST_TYPES, GoldPractice, asdict_gold, gold_from_dict, load_gold
from .evaluate_match import CUE_NOUNS, STOP, concept_label, contains, country_key, is_acronym, normalise, same_place
from .settings import PROJECT_ROOT

if TYPE_CHECKING:
    from .settings import Settings

DEFAULT_GOLD = PROJECT_ROOT / "eval" / "extraction_gold.jsonl"
FIXTURE_CORPUS = PROJECT_ROOT / "tests" / "fixtures" / "reports"
__all__ = ["ExtractionScores", "GoldPractice", "evaluate_extraction", "load_gold", "score_extraction"]


@dataclass(frozen=True)
class _Names:
    """Normalised names of one practice, with the raw forms kept for the acronym rule."""

    raw: tuple[str, ...]
    tokens: tuple[tuple[str, ...], ...]
    joined: tuple[tuple[str, ...], ...]  # hyphenated words kept whole ("cross-border"), for acronyms

    @classmethod
    def of(cls, names: Iterable[str]) -> _Names:
        raw: list[str] = []
        for name in names:
            if not name or not str(name).strip():
                continue
            raw.append(str(name))
            raw.extend(re.findall(r"\(([A-Z][A-Za-z]{1,9})\)", str(name)))  # "Long Name (LN)" also answers to "LN"
        tokens = tuple(tuple(normalise(n).split()) for n in raw)
        return cls(tuple(raw), tokens, tuple(tuple(normalise(n.replace("-", "")).split()) for n in raw))


@dataclass
class Match:
    gold_id: str
    gold_label: str
    predicted_label: str
    rule: str
    strength: float
    optional: bool


@dataclass
class FieldScore:
    """Quality of one field over matched practices (precision/recall/f1 are None when undefined)."""

    field: str
    precision: float | None
    recall: float | None
    f1: float | None
    judged: int  # matched gold items with a value (place, country) or with a non-empty list
    correct: int
    predicted: int
    expected: int
    accuracy: float | None = None
    coverage: float | None = None
    unscored: int = 0  # predicted values outside the annotated label space, or for gold items without a value
    wrong: list[dict[str, Any]] = _field(default_factory=list)  # place/country: gold id, expected, predicted


@dataclass
class ExtractionScores:
    precision: float | None
    recall: float | None
    f1: float | None
    true_positives: int
    false_positives: int
    false_negatives: int
    ignored: int
    gold_total: int
    predicted_total: int
    fields: dict[str, FieldScore]
    per_report: dict[str, dict[str, Any]]
    matches: list[Match] = field(default_factory=list)
    unmatched_gold: list[dict[str, Any]] = field(default_factory=list)
    unmatched_predicted: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


def _pair_strength(pred: Mapping[str, Any], names: _Names, gold: GoldPractice, gnames: _Names) -> tuple[float, str]:
    evidence = [e for e in pred.get("evidence") or [] if isinstance(e, Mapping)]
    reports = {e.get("report") for e in evidence if e.get("report")}
    if reports and gold.report not in reports:
        return 0.0, ""
    overlap = gold.start is not None and any(
        e.get("report") in (gold.report, None)
        and isinstance(e.get("start"), int)
        and isinstance(e.get("end"), int)
        and e["start"] < (gold.end or 0)
        and gold.start < e["end"]
        for e in evidence
    )
    rule, base = "", 0.0
    for p in names.tokens:
        for g in gnames.tokens:
            if p and p == g:
                rule, base = "exact", 3.0
    if not rule:
        for raw, toks in ((names.raw, gnames.tokens + gnames.joined), (gnames.raw, names.tokens + names.joined)):
            for form in raw:
                letters = re.sub(r"\W", "", form)
                capitals = sum(c.isupper() for c in letters) >= 2 and " " not in form.strip()
                if capitals and any(is_acronym(letters.casefold(), t) for t in toks):
                    rule, base = "acronym", 2.5
    if not rule:
        for p in names.tokens:
            for g in gnames.tokens:
                short, long = (p, g) if len(p) <= len(g) else (g, p)
                ok = len(short) >= 2 or (short is g and len(g) == 1 and len(g[0]) >= 4 and g[0] not in STOP)
                if short and ok and len(short) < len(long) and contains(long, short):
                    rule, base = "contains", 2.0
    place = pred.get("place")
    place = place.get("label") if isinstance(place, Mapping) else place

    def place_agrees() -> bool | None:
        return None if not place or not gold.place else same_place(str(place), gold.place)

    if not rule and overlap:
        content = {w for t in names.tokens for w in t} - STOP - CUE_NOUNS
        if content & ({w for t in gnames.tokens for w in t} - STOP - CUE_NOUNS) or place_agrees():
            rule, base = "evidence", 1.0
    if not rule or (rule in ("acronym", "contains") and not overlap and place_agrees() is False):
        return 0.0, ""
    return base + (0.2 if reports else 0.0) + (0.5 if overlap else 0.0), rule


def _score_place(pairs: list[tuple[Mapping[str, Any], GoldPractice]], name: str) -> FieldScore:
    same = same_place if name == "place" else (lambda a, b: country_key(a) == country_key(b))
    judged = correct = given = unscored = 0
    wrong: list[dict[str, Any]] = []
    for pred, gold in pairs:
        value = pred.get(name)
        value = str(value.get("label", "")) if isinstance(value, Mapping) else value
        expected = getattr(gold, name)
        if expected is None:
            unscored += bool(value)
            continue
        judged += 1
        if value and same(str(value), expected):
            given, correct = given + 1, correct + 1
            continue
        given += bool(value)
        wrong.append({"gold_id": gold.id, "label": gold.label, "expected": expected, "predicted": value or None})
    precision, accuracy = _ratio(correct, given), _ratio(correct, judged)
    return FieldScore(
        name, precision, accuracy, _f1(precision, accuracy), judged, correct, given, judged,
        accuracy=accuracy, coverage=_ratio(given, judged), unscored=unscored, wrong=wrong,
    )  # fmt: skip


def _score_list(pairs: list[tuple[Mapping[str, Any], GoldPractice]], name: str, space: Sequence[str]) -> FieldScore:
    tp = predicted = expected = judged = unscored = 0
    for pred, gold in pairs:
        values = {concept_label(v) for v in pred.get(name) or []}
        scored = {v for v in values if v in space}
        unscored += len(values - scored)
        truth = set(getattr(gold, name))
        judged += bool(truth)
        tp += len(scored & truth)
        predicted += len(scored)
        expected += len(truth)
    precision, recall = _ratio(tp, predicted), _ratio(tp, expected)
    return FieldScore(
        name, precision, recall, _f1(precision, recall), judged, tp, predicted, expected, unscored=unscored
    )


def _brief(pred: Mapping[str, Any]) -> dict[str, Any]:
    evidence = [e for e in pred.get("evidence") or [] if isinstance(e, Mapping)]
    first = evidence[0] if evidence else {}
    return {
        "label": pred.get("label"),
        "place": pred.get("place"),
        "country": pred.get("country"),
        "reports": sorted({str(e.get("report")) for e in evidence if e.get("report")}),
        "text": str(first.get("text", ""))[:160],
    }


def score_extraction(
    predicted: Sequence[Mapping[str, Any]],
    gold: Sequence[Mapping[str, Any] | GoldPractice],
    texts: Mapping[str, str] | None = None,
) -> ExtractionScores:
    """Score predicted practices against gold ones (see the module docstring for the rules).

    ``texts`` (report id -> text) locates gold quotes so evidence overlap can confirm matches;
    gold given as ``GoldPractice`` objects from ``load_gold(path, texts)`` already carries it.
    """
    golds = [g if isinstance(g, GoldPractice) else gold_from_dict(g, texts, f"gold {g.get('id')}") for g in gold]
    pnames = [_Names.of([str(p.get("label") or ""), *(p.get("alt_labels") or [])]) for p in predicted]
    gnames = [_Names.of([g.label, *g.aliases]) for g in golds]
    candidates: list[tuple[float, int, int, str]] = []
    for i, pred in enumerate(predicted):
        for j, g in enumerate(golds):
            strength, rule = _pair_strength(pred, pnames[i], g, gnames[j])
            if strength > 0:
                candidates.append((strength, i, j, rule))
    candidates.sort(key=lambda c: (-c[0], c[2], c[1]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    matches: list[Match] = []
    pairs: list[tuple[Mapping[str, Any], GoldPractice]] = []
    for strength, i, j, rule in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        g = golds[j]
        matches.append(Match(g.id, g.label, str(predicted[i].get("label")), rule, round(strength, 2), g.optional))
        if not g.optional:
            pairs.append((predicted[i], g))
    required = [g for g in golds if not g.optional]
    tp = len(pairs)
    ignored = sum(1 for m in matches if m.optional)
    fp = len(predicted) - tp - ignored
    fn = len(required) - tp
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, len(required))
    unmatched_pred = [_brief(p) for i, p in enumerate(predicted) if i not in used_p]
    per_report: dict[str, dict[str, Any]] = {}
    for report in sorted({g.report for g in golds}):
        r_gold = [j for j, g in enumerate(golds) if g.report == report and not g.optional]
        r_tp = sum(1 for j in r_gold if j in used_g)
        r_fp = sum(1 for p in unmatched_pred if report in p["reports"])
        rp, rr = _ratio(r_tp, r_tp + r_fp), _ratio(r_tp, len(r_gold))
        per_report[report] = {"gold": len(r_gold), "matched": r_tp, "false_positives": r_fp, "precision": rp,
                              "recall": rr, "f1": _f1(rp, rr)}  # fmt: skip
    fields = {
        "place": _score_place(pairs, "place"),
        "country": _score_place(pairs, "country"),
        "activity_types": _score_list(pairs, "activity_types", ACTIVITY_TYPES),
        "catalysts": _score_list(pairs, "catalysts", CATALYST_TYPES),
    }
    return ExtractionScores(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        ignored=ignored,
        gold_total=len(required),
        predicted_total=len(predicted),
        fields=fields,
        per_report=per_report,
        matches=matches,
        unmatched_gold=[
            {"id": g.id, "report": g.report, "label": g.label, "quote": g.quote}
            for j, g in enumerate(golds)
            if j not in used_g and not g.optional
        ],
        unmatched_predicted=unmatched_pred,
    )


def _restrict(practices: list[dict[str, Any]], reports: set[str]) -> list[dict[str, Any]]:
    """Keep practices (and their evidence) from the given reports only."""
    kept = []
    for p in practices:
        evidence = [e for e in p.get("evidence") or [] if e.get("report") in reports]
        if evidence or not p.get("evidence"):
            kept.append({**p, "evidence": evidence})
    return kept


def evaluate_extraction(
    settings: Settings, gold_path: Path, corpus: Path | None = None, blank: bool = False
) -> ExtractionScores:
    """Score the practices of the built version in service, or of ``corpus`` extracted afresh.

    With ``corpus`` no build is needed: the reports are run through EXTRACT's pipeline into
    an in-memory graph (``blank=True`` uses the rule-only pipeline: fast, no statistical NER).
    Only the gold file's reports are scored.
    """
    from .corpus import load_corpus

    reports = load_corpus(corpus if corpus is not None else settings.corpus)
    texts = {r.id: r.text() for r in reports}
    gold = load_gold(gold_path)
    gold_reports = {g.report for g in gold}
    if not gold_reports & texts.keys():
        raise EvaluationError(
            f"None of the gold file's reports ({', '.join(sorted(gold_reports))}) is in the corpus. "
            "Pass the matching --corpus DIR or --gold FILE."
        )
    gold = [gold_from_dict(asdict_gold(g), texts, f"{gold_path}: {g.id}") for g in gold if g.report in texts]
    if corpus is None:
        from .manifest import serving_version
        from .practices import practices
        from .store import open_store

        store = open_store(serving_version(settings.indexes))
        predicted = practices(store)
    else:
        predicted = _extract(settings, [r for r in reports if r.id in gold_reports], blank)
    return score_extraction(_restrict(predicted, gold_reports), gold)


def _extract(settings: Settings, reports: list[Any], blank: bool) -> list[dict[str, Any]]:
    """Run EXTRACT's pipeline over ``reports`` into one rdflib graph and read its practices."""
    import rdflib

    from .extract import load_pipeline
    from .graph import report_graphs
    from .practices import practices
    from .vocab import load_vocabulary

    vocab = load_vocabulary(settings.ontology)
    nlp = load_pipeline(settings, vocab, blank=blank)
    graph = rdflib.Graph()
    for part in report_graphs(reports, nlp, vocab).values():
        graph += part
    return practices(graph)
