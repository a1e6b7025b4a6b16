"""Practices told as what a local body did, with no name and no cue noun.

"The town trained twelve residents as stairwell pilots", "the city's press office hosted a series of
breakfast meetings", "a short press release is sent to local media after each arrival": reports tell
many local practices this way. ``actor_action`` finds three shapes on a tagged sentence:

- active: a local actor (the town, the municipality, the city's press office, the library, the
  volunteers ...) is the subject of a verb of doing (trained, hosted, holds, set up, commissioned ...);
  the practice is the noun phrase after the verb;
- passive: an indefinite thing (a walk, a short press release) was organised, issued, sent ... or a
  thing was turned into / reopened as something (the practice is that something), or anything was
  done by a local actor;
- training: a course, module or seminar told with "a" (staff completed a two-day course in ...), the
  course and its topic.

The words are generic English for local government and civil society, not names from any report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .cues import is_facility
from .practice_sentences import noun_phrase

if TYPE_CHECKING:
    from spacy.tokens import Span

ACTORS = frozenset(
    ["town", "city", "hall", "municipality", "council", "borough", "administration", "mayor", "office", "department",
     "unit", "team", "service", "company", "library", "school", "police", "hospital", "museum", "theatre", "club",
     "association", "cooperative", "church", "churches", "mosque", "parish", "volunteers", "ngo",
     "charity", "authority", "authorities", "staff", "officers", "university", "college", "diocese",
     "federation", "foundation", "landlord", "centre", "group", "groups", "organisers", "organizers", "network",
     "society", "league", "brigade", "station", "priest", "archive", "union"]
)  # fmt: skip
# Verbs of doing, as written (no lemmatizer in the pipeline); a particle completes a phrasal verb.
VERBS = frozenset(
    ["trained", "trains", "hosted", "hosts", "held", "holds", "issued", "issues", "commissioned", "commissions",
     "invited", "invites", "set", "sets", "ran", "runs", "opened", "opens", "reopened", "handed",
     "put", "painted", "launched", "launches", "organised", "organized", "organises", "organizes", "created",
     "introduced", "introduces", "started", "began", "recruited", "hired", "appointed", "offered", "offers",
     "provides", "provided", "built", "converted", "refitted", "cleared", "rebuilt", "publishes", "published",
     "sends", "sent", "translated", "established", "piloted", "designed", "produced", "staged", "leased", "leases",
     "gave", "gives", "lent", "lends", "paired", "pairs", "matched", "convened", "convenes", "founded", "brought",
     "rolled", "laid", "lays", "delivered", "delivers", "arranged", "arranges", "equipped", "employs",
     "employed", "reserved", "reserves", "sponsored", "sponsors", "released", "releases", "drew", "draws", "agreed",
     "twinned", "twins", "adopted", "adopts", "hung", "hangs", "hires", "added", "adds", "screens", "screened",
     "printed", "prints", "recorded"]
)  # fmt: skip
PARTICLES = {
    "cleared": ("out",), "set": ("up", "aside"), "sets": ("up", "aside"), "put": ("up",), "rolled": ("out",),
    "brought": ("together",), "laid": ("on",), "lays": ("on",), "drew": ("up",), "draws": ("up",),
}  # fmt: skip
_OPTIONAL_PARTICLES = frozenset(["out", "up"])  # "sends out its bulletin"
PASSIVE = frozenset(
    ["organised", "organized", "issued", "sent", "painted", "launched", "introduced", "established", "created",
     "set", "held", "staged", "trained", "visited", "offered", "made", "turned", "converted", "reopened", "handed",
     "refitted", "opened", "founded", "run", "reserved", "arranged", "added", "recruited", "printed"]
)  # fmt: skip
# The main clause gives advice or a condition; "so that ... could" is a purpose, "anyone could" a figure of speech.
_HYPOTHETICAL = re.compile(r"^\W*If\b|\b(?:should|might)\b|\b(?:would|will) be used\b", re.IGNORECASE)
_BE = frozenset(["was", "were", "is", "are", "been", "be"])
_BETWEEN = frozenset(
    ["also", "now", "then", "soon", "quickly", "later", "first", "has", "have", "had", "will", "would", "began",
     "started", "jointly", "together", "recently", "each", "every", "year"]
)  # fmt: skip
# What a body also "produces" that is not a practice: its paperwork, or a word for a way of working.
_NOT_DEED = frozenset(
    ["evaluation", "report", "study", "survey", "note", "review", "assessment", "statement", "model", "example",
     "approach", "way", "role", "attention", "view", "picture", "chance", "answer", "response", "budget", "figures"]
)  # fmt: skip


def actor_action(sent: Span) -> str | None:
    """A short label for a practice the sentence tells as a local actor's deed, or None.

    Advice and conditions are the caller's to skip (``hypothetical``), as they are for every finder."""
    tokens = list(sent)
    return _training(tokens) or _active(tokens) or _passive(tokens)


def hypothetical(sentence: str) -> bool:
    """A recommendation or a condition ("towns should ...", "if we win, the money will ..."): not a deed."""
    return bool(_HYPOTHETICAL.search(sentence))


def not_a_deed(phrase: str) -> bool:
    """Paperwork, a facility, or a word for a way of working: not what a practice is called."""
    words = phrase.lower().split()
    return is_facility(words) or bool(set(words) & _NOT_DEED)


def _active(tokens: Sequence[Any]) -> str | None:
    for i, tok in enumerate(tokens):
        word = tok.lower_
        if word not in VERBS or tok.pos_ not in ("VERB", "AUX") or (tok.tag_ == "VBN" and not _perfect(tokens, i)):
            continue
        if not _actor_before(tokens, i):
            continue
        rest = tokens[i + 1 :]
        if word in PARTICLES:
            if not rest or rest[0].lower_ not in PARTICLES[word]:
                continue
            rest = rest[1:]
        elif rest and rest[0].lower_ in _OPTIONAL_PARTICLES:
            rest = rest[1:]
        if not rest or rest[0].pos_ in ("ADP", "PUNCT", "SCONJ"):
            continue  # "opened on the edge of town", "delivers on behalf of": no object
        phrase = noun_phrase(rest[:12])
        if phrase and not not_a_deed(phrase):
            return phrase
    return None


# A course someone took, gave or was sent on; told with "a", it is this town's course, not courses in general.
TRAINING = frozenset(["course", "training", "module", "session", "seminar"])  # not "workshop": a place as often
_TOPIC = frozenset(["in", "on", "about"])


def _training(tokens: Sequence[Any]) -> str | None:
    """``staff completed a two-day course in intercultural communication`` -> "two-day course in
    intercultural communication": the course with its modifiers and, when it has one, its topic."""
    for i, tok in enumerate(tokens):
        if tok.lower_ not in TRAINING or tok.pos_ != "NOUN":
            continue
        j = i
        while (
            j > 0 and i - j < 6 and (tokens[j - 1].pos_ in ("ADJ", "NOUN", "NUM", "CCONJ") or tokens[j - 1].text == "-")
        ):
            j -= 1
        if j == 0 or tokens[j - 1].lower_ not in ("a", "an") or not _has_deed_verb(tokens):
            continue
        phrase = " ".join(t.text for t in tokens[j : i + 1]).replace(" - ", "-")
        if i + 2 < len(tokens) and tokens[i + 1].lower_ in _TOPIC:
            topic = noun_phrase(tokens[i + 2 : i + 10])
            if topic:
                phrase = f"{phrase} {tokens[i + 1].lower_} {topic}"
        return phrase
    return None


def _has_deed_verb(tokens: Sequence[Any]) -> bool:
    """A verb told as done (past, present, perfect or passive), not only an infinitive or a plan."""
    return any(t.pos_ == "VERB" and t.tag_ in ("VBD", "VBN", "VBZ", "VBP") for t in tokens)


def _perfect(tokens: Sequence[Any], i: int) -> bool:
    """``has trained``, ``had set up``: a participle after have is active."""
    return any(t.lower_ in ("has", "have", "had") for t in tokens[max(0, i - 3) : i])


def _actor_before(tokens: Sequence[Any], i: int) -> bool:
    """Whether the verb at ``i`` has a local actor as its subject: the actor noun, then only adverbs
    and auxiliaries ("the town has also", "the city's press office")."""
    j = i - 1
    while j >= 0 and (tokens[j].lower_ in _BETWEEN or tokens[j].pos_ in ("ADV", "AUX", "PART")):
        j -= 1
    if j < 0:
        return False
    head = tokens[j]
    if head.lower_ in ACTORS and head.pos_ in ("NOUN", "PROPN"):
        return True
    subject: list[Any] = []  # "the municipality and the regional daily": an actor anywhere in a coordinated subject
    while j >= 0 and len(subject) < 10 and tokens[j].pos_ in ("NOUN", "PROPN", "ADJ", "DET", "CCONJ", "PART"):
        subject.append(tokens[j])
        j -= 1
    if any(t.pos_ == "CCONJ" for t in subject) and any(t.lower_ in ACTORS and t.pos_ == "NOUN" for t in subject):
        return True
    return head.pos_ == "PROPN" and head.ent_type_ in ("ORG", "GPE")  # "Northam Council", "Northam trained"


def _passive(tokens: Sequence[Any]) -> str | None:
    for i, tok in enumerate(tokens[1:-1], start=1):
        if tok.lower_ not in PASSIVE or tokens[i - 1].lower_ not in _BE:
            continue
        rest = tokens[i + 1 :]
        if tok.lower_ in ("set", "made") and rest and rest[0].lower_ in ("up", "available"):
            rest = rest[1:]
        when = next((k for k, t in enumerate(rest[:4]) if t.lower_ in ("into", "as")), None)
        if when is not None and all(t.pos_ in ("DET", "NOUN", "ADV", "NUM", "ADP") for t in rest[:when]):
            rest = rest[when:]  # "was reopened this season as ...": a time between the verb and what it became
        if rest and rest[0].lower_ in ("into", "as"):
            # "was turned into a welcome centre", "reopened as 'X'": the practice is what it became
            became = _quoted(rest[1:14]) or noun_phrase(rest[1:12])
            if became and not not_a_deed(became):
                return became
            continue
        aux = i - 1
        while aux > 0 and (tokens[aux - 1].pos_ == "AUX" or tokens[aux - 1].lower_ in _BETWEEN):
            aux -= 1  # "have been trained", "was also organised"
        subject = _subject(tokens, aux)
        if subject is None or subject[1] is None or not_a_deed(subject[1]):
            continue
        by_actor = any(
            t.lower_ == "by" and any(u.lower_ in ACTORS for u in rest[k + 1 : k + 6]) for k, t in enumerate(rest[:12])
        )
        if subject[0] == "indefinite" or (by_actor and subject[0] == "bare"):
            return subject[1]  # not "the campaign was run by the council": a practice told before
    return None


def _quoted(tokens: Sequence[Any]) -> str | None:
    """The words of a quotation the tokens open with ("as 'Punto de Encuentro', with ...")."""
    if not tokens or tokens[0].text not in _QUOTES or tokens[0].text == "-":
        return None
    end = next((k for k, t in enumerate(tokens[1:], start=1) if t.text in _QUOTES and t.text != "-"), None)
    return " ".join(t.text for t in tokens[1:end]) if end and end > 1 else None


def _subject(tokens: Sequence[Any], aux: int) -> tuple[str, str | None] | None:
    """The noun phrase before the auxiliary at ``aux``, and its determiner: ``indefinite`` ("a walk"),
    ``bare`` ("volunteer mediators") or ``definite`` ("the campaign", "its library")."""
    start = aux
    while start > 0 and (tokens[start - 1].pos_ in _NP_POS or tokens[start - 1].text in _QUOTES):
        start -= 1
    words = list(tokens[start:aux])
    first_det = next((k for k, t in enumerate(words) if t.pos_ == "DET"), None)
    if first_det is not None:
        words = words[first_det:]
    if not words:
        return None
    first = words[0].lower_
    kind = "indefinite" if first in ("a", "an") else "definite" if words[0].pos_ in ("DET", "PRON") else "bare"
    return kind, noun_phrase(words)


_NP_POS = frozenset(["ADJ", "NOUN", "PROPN", "NUM", "ADP", "DET", "PART", "VERB"])
_QUOTES = frozenset(['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "-"])
