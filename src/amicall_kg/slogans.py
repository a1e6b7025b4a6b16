"""Branded slogans: "I love X", "We are X", "BeX" and, where a text speaks of identity or branding,
mottos of the shape "X the city of Y".

A slogan names a town's campaign of identity (city branding) rather than an initiative with a cue
noun, so it is found by its grammar alone; ``patterns.find_candidates`` adds these candidates.
"""

from __future__ import annotations

import re

from .candidates import Candidate, clean

_SLOGAN = re.compile(
    r"(?:(?<=^)|(?<=[;(\"\u201c'\u2018\[])|(?<=such as )|(?<=; ))\s*(?P<s>(?:[Ww]e are|I love|I am|[Bb]e|Wij|Ich bin)"
    r"\s+[A-Z][\w\-]+)|(?<![\w])(?P<c>(?:Be|Wij)[A-Z][a-z]\w+)|(?P<l>\bI (?:love|\u2665) [A-Z][\w\-]+)"
)
# "X the city of Y", "X a place of diversity": mottos listed where a text speaks of identities or branding.
_IDENTITY = re.compile(r"\b(?:identit|brand|slogan|motto)", re.IGNORECASE)
_PLACE_MOTTO = re.compile(
    r"(?<![\w\-])(?P<place>[A-Z][\w\-\u00c0-\u017f]+) (?:the|a|an) [a-z][\w\-]*(?: [a-z][\w\-]*){0,3}"
    r"(?: of(?: the)?(?: [A-Z][\w\-]+)+(?: of(?: the)? [A-Z][\w\-]+)?)?(?=,|\.|;| or | and |$)"
)


def slogans(s: str) -> list[Candidate]:
    """Slogan candidates in a sentence (offsets into it), each with its place when the motto names one."""
    out = []
    for m in _SLOGAN.finditer(s):
        group = "s" if m["s"] else ("c" if m["c"] else "l")
        text = m[group]
        start = m.start(group)
        alts = []
        if group == "c":
            split = re.sub(r"^(Be|Wij)([A-Z])", r"\1 \2", text)
            alts.append(split)
        out.append(Candidate(start, m.end(group), clean(text), "slogan", "branding", alts))
    if _IDENTITY.search(s):
        for m in _PLACE_MOTTO.finditer(s):
            out.append(Candidate(m.start(), m.end(), clean(m.group(0)), "slogan", "branding", [], m["place"], True))
    return out
