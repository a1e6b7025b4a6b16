"""Facts linked to a practice from the sentences around it: catalysts, outcomes, dates.

Generic cue phrases only ("as a reaction to", "after a ...", "funded by", "evaluated"...);
catalyst types come from the vocabulary labels, with generic trigger words as fallback.
"""

from __future__ import annotations

import re

from .vocab import Vocabulary

_NP_END = r"(?=[,;:.)]|\s+(?:and then|which|who|that|to create|to|in order|with a view)\b|$)"
CATALYST_PATTERNS = (
    re.compile(
        rf"\b(?:as an?|an?)?\s*(?:immediate |direct )?(?:reaction|response|answer) to (?P<np>.{{3,140}}?){_NP_END}"
    ),
    re.compile(rf"\b[Ii]n (?:reaction|response) to (?P<np>.{{3,140}}?){_NP_END}"),
    re.compile(
        rf"\b(?:[Aa]fter|[Ff]ollowing|[Ii]n the aftermath of|[Hh]aving witnessed) (?P<np>(?:an?|the) .{{3,120}}?){_NP_END}"  # noqa: E501
    ),
    re.compile(r"(?P<np>(?:[\w\-']+ ){1,10}?[\w\-']+) (?:sparked|triggered|prompted|spurred|provoked|inspired) "),
    re.compile(
        rf"\b(?:funded by|financed by|funds? (?:was|were) secured from|with funding from|thanks to) (?P<np>.{{3,120}}?){_NP_END}"  # noqa: E501
    ),
    re.compile(
        rf"\b(?:devised|designed|aimed|launched|created) to (?:counter|fight|combat|tackle) (?P<np>.{{3,120}}?){_NP_END}"  # noqa: E501
    ),
    re.compile(
        rf"\bwith the (?:inflow|arrival|influx) of (?P<np>(?:the )?(?:many )?(?:refugees|asylum seekers|migrants).{{0,60}}?){_NP_END}"  # noqa: E501
    ),
)
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
    for pattern in CATALYST_PATTERNS:
        for m in pattern.finditer(sentence):
            text = m["np"].strip(" ,;")
            type_iri = catalyst_type(text if pattern is not CATALYST_PATTERNS[4] else "funding " + text, vocab)
            after_cue = pattern in (CATALYST_PATTERNS[2], CATALYST_PATTERNS[3])
            if after_cue and type_iri is None:
                continue  # "after a ..." and "X sparked" are catalysts only when the trigger is recognisable
            if any(m.start("np") < e and s < m.end("np") for _, _, s, e in found):
                continue
            found.append((text, type_iri, m.start("np"), m.start("np") + len(text)))
    return found


def catalyst_type(text: str, vocab: Vocabulary) -> str | None:
    """Catalyst-type concept for a trigger phrase: vocabulary labels first, then generic trigger words."""
    low = text.lower()
    best: tuple[int, str] | None = None
    for label, concept in vocab.labels_by_scheme("catalyst-type").items():
        if len(label) > 3 and re.search(rf"\b{re.escape(label)}\b", low):  # noqa: SIM102
            if best is None or len(label) > best[0]:
                best = (len(label), concept.iri)
    if best:
        return best[1]
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
