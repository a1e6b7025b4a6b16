"""The shared parts of practice detection: the ``Candidate`` a finder returns, name cleaning and
cue nouns, the verbs that introduce an initiative, and a place attached to a mention."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cues import CUES
from .cues import PLURAL as _PLURAL

INTRO_VERBS = (
    r"launched|launch|organi[sz]ed|organi[sz]ing|organi[sz]es|introduced|set up|sets up|hosts|hosted|created|"
    r"established|founded|runs|ran|running|offers|offered|developed|implemented|supports|started|conceived|"
    r"devised|adopted|promoted|broadcasting|broadcast|has|had|hired|hires|appointed|recruited"
)
INTRO = re.compile(rf"\b(?:{INTRO_VERBS})\b")
_SUPERSCRIPT = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+")
CUE_ALT = "|".join(sorted(CUES | {c + "s" for c in CUES} | set(_PLURAL), key=len, reverse=True))
ATTACHED = re.compile(
    r"^\s+(?:(?:was\s+)?(?:organi[sz]ed|developed|created|launched|held|set up)\s+)?(?:in|of|for)\s+(?:the\s+)?"
    r"(?:(?:city|town|municipality|district|borough)\s+of\s+)?(?P<place>[A-Z][\w\-\u00c0-\u017f]+(?:\s[A-Z][\w\-]+)?)"
)


@dataclass
class Candidate:
    """A practice mention found in a sentence; offsets are relative to that sentence."""

    start: int
    end: int
    name: str
    kind: str  # named | slogan | unnamed
    cue: str | None = None
    alt_names: list[str] = field(default_factory=list)
    place_hint: str | None = None  # a place name attached to the mention ("in X", "X's")
    attached: bool = False  # the place is grammatically attached to the mention
    definite: bool = False  # introduced with "the" (refers back) rather than "a"/"an"
    construction: str = ""  # how the sentence introduces the name (naming.introduced_names), if it does


def clean(text: str) -> str:
    """Strip footnote marks, quotes and outer punctuation from a name."""
    text = _SUPERSCRIPT.sub("", text)
    text = re.sub(r"\s*\(\d{4}[^)]*\)?$", "", text)
    text = text.strip(" \t,.;:'\"\u2018\u2019\u201c\u201d[]()")
    return re.sub(r"\s+", " ", text)


def cue_of(word: str) -> str | None:
    """The cue noun a word is or ends with (``Youthforum`` -> forum, ``IQ-network`` -> network)."""
    low = _SUPERSCRIPT.sub("", word).lower().strip(".,;:'\u2019")
    low = _PLURAL.get(low, low)
    if low in CUES:
        return low
    if low.endswith("s") and low[:-1] in CUES:
        return low[:-1]
    for part in (re.split(r"[-\u2013]", low)[-1], low):
        for cue in CUES:
            if part.endswith(cue) and len(part) > len(cue) + 2 and cue in ("forum", "network", "festival", "project"):
                return cue
    return None


def introduces(sentence: str) -> bool:
    """Whether a sentence contains a verb that introduces an initiative."""
    return bool(INTRO.search(sentence))
