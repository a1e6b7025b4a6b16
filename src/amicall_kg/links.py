"""Facts linked to a practice from the sentences around it: catalysts, outcomes, dates.

Generic cue phrases only ("as a reaction to", "after a ...", "funded by", "evaluated"...);
catalyst types come from the vocabulary labels, with generic trigger words as fallback.
"""

from __future__ import annotations

import re

from .vocab import Vocabulary

_NP_END = r"(?=[,;:.)]|\s+(?:and then|which|who|that|to create|to|in order|with a view)\b|$)"
# (pattern, role): "typed" needs a recognisable trigger, "funding" marks a funding stream.
_CATALYST_SPECS: tuple[tuple[str, str], ...] = (
    (
        rf"\b(?:as an?|an?)?\s*(?:immediate |direct )?(?:reaction|response|answer) to (?P<np>.{{3,140}}?){_NP_END}",
        "any",
    ),
    (rf"\b[Ii]n (?:reaction|response) to (?P<np>.{{3,140}}?){_NP_END}", "any"),
    (
        rf"\b(?:[Aa]fter|[Ff]ollowing|[Dd]uring|[Ww]hen|[Ii]n the aftermath of|[Hh]aving witnessed) (?P<np>[^,;]{{3,120}}?){_NP_END}",  # noqa: E501
        "typed",
    ),
    (r"(?P<np>(?:[\w\-']+ ){1,10}?[\w\-']+) (?:sparked|triggered|prompted|spurred|provoked|inspired) ", "typed"),
    (
        r"(?P<np>(?:[Tt]he |[Aa]n? )?[\w\-]+(?: [\w\-']+){0,12}?) led (?:[\w\-']+ ){0,8}?to (?:set up|create|launch|start)",  # noqa: E501
        "typed",
    ),
    (
        rf"\b(?:funded by|financed by|funds? (?:was|were) secured from|with funding from|thanks to) (?P<np>.{{3,120}}?){_NP_END}",  # noqa: E501
        "funding",
    ),
    (
        r"(?P<np>\b(?:[\w\-']+ ){0,3}(?:grant|grants|funding)\b(?: from [^.;]{3,80}?)?) (?:paid for|funded|financed|to create|to set up|to launch|to start)",  # noqa: E501
        "funding",
    ),
    (
        rf"\b(?:devised|designed|aimed|launched|created) to (?:counter|fight|combat|tackle) (?P<np>.{{3,120}}?){_NP_END}",  # noqa: E501
        "any",
    ),
    (r"(?P<np>\brumou?rs\b[^,.;]{0,80}?) (?:spread|circulated|spreading)", "typed"),
    (
        rf"\bwith the (?:inflow|arrival|influx) of (?P<np>(?:the )?(?:many )?(?:refugees|asylum seekers|migrants).{{0,60}}?){_NP_END}",  # noqa: E501
        "any",
    ),
)
CATALYST_PATTERNS = tuple((re.compile(p), role) for p, role in _CATALYST_SPECS)
# Generic trigger words -> catalyst-type prefLabel (fallback when no vocabulary label matches).
TRIGGER_WORDS: tuple[tuple[str, str], ...] = (
    (r"murder|assassinat|killing|killed|riot|attack|stabbing|violen|shooting|bomb", "violent incident"),
    (r"rumou?r|urban legend|myth|misinformation|fake news|hoax", "rumours"),
    (r"fund|grant|financ|budget line", "funding"),
    (r"refugee|asylum", "arrival of refugees"),
    (r"\bbook\b|publication|national debate|public debate|polemic|controvers", "national debate"),
    (r"minaret|mosque|headscarf|conflict over|dispute|cultural conflict|tension", "cultural conflict"),
    (
        r"negative (?:messag|discourse|media|press|narrative|image)|prejudice|xenophob|racis|stereotyp",
        "countering negative discourse",
    ),
)
OUTCOME_CUES = (
    ("evaluation", re.compile(r"\bevaluat|\bassess|\bsurvey found|\breport (?:found|concluded)|\bsuccess factors?\b")),
    (
        "failure",
        re.compile(
            r"\bfail|\bproblems?\b|\bdifficult|\bbarrier|\bundermin|\bhampered|\bran out|\bnot all of which|\blittle impact|\bcounter-?productive"  # noqa: E501
        ),
    ),
    (
        "success",
        re.compile(
            r"\bsuccess|\beffective|\bpositive (?:reception|contact|effect|impact)|\bmedia attention|\bimproved|\bhelped|\bled to|\bresulted in|\bachiev|\breplicated|\btransferred|\bevidence of"  # noqa: E501
        ),
    ),
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_RANGE = re.compile(r"\b(?:from )?(19[5-9]\d|20[0-4]\d)\s*(?:to|until|[\u2013\u2014-])\s*(19[5-9]\d|20[0-4]\d)\b")


def catalysts(sentence: str, vocab: Vocabulary) -> list[tuple[str, str | None, int, int]]:
    """(catalyst text, catalyst-type IRI or None, start, end) stated in a sentence."""
    found: list[tuple[str, str | None, int, int]] = []
    for pattern, role in CATALYST_PATTERNS:
        for m in pattern.finditer(sentence):
            text = m["np"].strip(" ,;")
            type_iri = catalyst_type("funding " + text if role == "funding" else text, vocab)
            if role == "typed" and type_iri is None:
                continue  # "after a ..." and "X sparked" are catalysts only when the trigger is recognisable
            if any(m.start("np") < e and s < m.end("np") for _, _, s, e in found):
                continue
            found.append((text, type_iri, m.start("np"), m.start("np") + len(text)))
    return found


_PATTERNS: dict[tuple[int, str], tuple[re.Pattern[str], dict[str, str]]] = {}


def label_pattern(vocab: Vocabulary, scheme: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One compiled alternation of a scheme's labels (longer than 3 characters), and label -> IRI."""
    key = (id(vocab), scheme)
    if key not in _PATTERNS:
        labels = {label: c.iri for label, c in vocab.labels_by_scheme(scheme).items() if len(label) > 3}
        alternation = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
        _PATTERNS[key] = (re.compile(rf"\b(?:{alternation})\b"), labels)
    return _PATTERNS[key]


def catalyst_type(text: str, vocab: Vocabulary) -> str | None:
    """Catalyst-type concept for a trigger phrase: vocabulary labels first, then generic trigger words."""
    low = text.lower()
    labels, iris = label_pattern(vocab, "catalyst-type")
    hits = [m.group(0) for m in labels.finditer(low)]
    if hits:
        return iris[hits[0]]  # the head of the phrase comes first: "an attack on a refugee shelter"
    for pattern, label in TRIGGER_WORDS:
        if re.search(pattern, low):
            fallback = vocab.find("catalyst-type", label)
            if fallback:
                return fallback.iri
    return None


def outcome_kind(sentence: str) -> str | None:
    """Whether a sentence reports an evaluation, a success or a failure (first cue wins)."""
    for kind, pattern in OUTCOME_CUES:
        if pattern.search(sentence):
            return kind
    return None


def years(sentence: str) -> tuple[list[int], int | None]:
    """Years named in a sentence, and the end year of a range (``from 2004 to 2009``)."""
    found = [int(y) for y in _YEAR.findall(sentence)]
    rng = _RANGE.search(sentence)
    return found, (int(rng.group(2)) if rng else None)


_DOING = re.compile(
    r"(?<![\w-])(?:launched|organi[sz]ed|set up|created|established|introduced|developed|offers|offered|runs|hosts|hosted|"  # noqa: E501
    r"sent|collaborates with|cooperated to|co-operated to|were invited|was invited|invest in|invested in|"
    r"worked with|works with|implemented|include the development of|includes the development of)\s+"
)
_NP_STOP = re.compile(r"[,.;:()\u2013]|\s(?:which|that|who|where|when|while|as)\s")
_LEAD = frozenset(["to", "with", "the", "a", "an", "in", "on", "for", "of", "its", "their"])


def activity_phrase(sentence: str) -> tuple[str, int] | None:
    """The object of the first verb of doing in a sentence (``sent letters to ...``), for practices
    described without a name or cue noun; returns (phrase, offset of the verb)."""
    m = _DOING.search(sentence)
    if not m:
        return None
    rest = sentence[m.end() :]
    if re.match(r"(?:in|at|during|since|by|from|across|over|between|into|under|through)\b", rest):
        return None  # "developed in the absence of ...": no object
    stop = _NP_STOP.search(rest)
    words = (rest[: stop.start()] if stop else rest).split()[:10]
    while words and words[0].lower() in _LEAD:
        words = words[1:]
    while words and words[-1].lower() in _LEAD | {"and", "or"}:
        words = words[:-1]
    if len(words) < 2 or not any(w[:1].islower() for w in words):
        return None
    return " ".join(words), m.start()
