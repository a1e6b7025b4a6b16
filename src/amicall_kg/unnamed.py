"""Practices described without a name: ``a weekly language cafe in <Town>``, ``the town's soup
festival``, ``two bilingual mediators were hired``, ``mediadores de barrio (street mediators)``.

A cue noun with specific modifiers, an owner or a purpose (``_UNNAMED``), a thing a verb of making
introduces (``naming.made_things``), or a foreign phrase with an English gloss in brackets.
"""

from __future__ import annotations

import re

from .candidates import ATTACHED, CUE_ALT, INTRO, Candidate, cue_of
from .cues import FUNCTION_WORDS, GENERIC_MODS, is_facility
from .naming import made_things

_PURPOSE = re.compile(
    r"^\s+(?:(?:was|were|is|has been) (?:created|set up|launched|established|organi[sz]ed|formed) )?to [a-z]+"
)
_NOT_MOD = r"(?!(?:of|a|an|the|to|in|and|for|on|by|with|or|as|at|from|is|are|was|were|be|been|that|which)\b)"
_UNNAMED = re.compile(
    rf"\b(?P<det>(?:a|an)\s+(?:[a-z]+\s+)?(?:series|number|team|programme|group|range) of|a|an|the|"
    rf"(?:issued|organi[sz]ed|runs|started|created|launched|employs|employed|hosts|offers|hired|hires|appointed|"
    rf"recruited|trained)(?:\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+))?(?=\s+[a-z])|(?P<poss>[A-Z][\w\-]+)['\u2019]s)\s+(?P<mods>(?:{_NOT_MOD}(?:[a-z][\w\-']*|[A-Z]+-[a-z]+)\s+){{0,3}})"
    rf"(?P<cue>{CUE_ALT})\b"
)
# "mediadores de barrio (street mediators)": an English gloss of a name in another language.
_GLOSS = re.compile(
    rf"(?P<name>\b[a-z][\w\-]*(?:\s+[a-z][\w\-]*){{0,3}})\s+\((?P<mods>(?:[a-z][\w\-]*\s+){{1,3}})(?P<cue>{CUE_ALT})\)"
)


def unnamed_candidates(s: str) -> list[Candidate]:
    """Unnamed practice mentions in a sentence (a practice needs a place: ``extract`` drops those without)."""
    out = []
    for m in _UNNAMED.finditer(s):
        mods = [w for w in m["mods"].split() if w]
        specific = [w for w in mods if w.lower() not in GENERIC_MODS]
        cue = cue_of(m["cue"])
        if m["cue"].lower() in ("television", "fund", "funds", "council", "councils"):
            continue
        if re.search(r"\b(?:prompted|led|asked|encouraged|persuaded|pushed|invited)\s+$", s[: m.start()]):
            continue  # "prompted the culture centre to launch X": the actor, not the practice
        if re.match(r"\s+into\b", s[m.end() :]) or re.search(r"\bfrom\s+$", s[: m.start()]):
            continue  # "turned a house into ...", "volunteers from a network": material or source, not the practice
        if is_facility([*mods, m["cue"]]):
            continue
        if {w.lower() for w in mods} & {"proposed", "planned"}:
            continue  # not done (yet)
        purpose = m["det"] in ("a", "an") and _PURPOSE.match(s[m.end() :])
        if cue in ("day", "model", "council", "statement", "mediator", "conversation") and not specific:
            continue
        if cue in ("process", "week", "fair") and not specific:
            continue
        attached = ATTACHED.match(s[m.end() :])
        poss = m["poss"]
        hint = poss or (attached["place"] if attached else None)
        if not specific and not hint and not purpose:
            continue
        if m["det"] in ("the", "its", "their") and not hint and not INTRO.search(s):
            continue
        name = " ".join([*specific, m["cue"]]).strip()
        start = m.start("mods") if not poss else m.start()
        definite = m["det"] == "the" or not INTRO.search(s)
        out.append(Candidate(start, m.end(), name, "unnamed", cue, [], hint, bool(hint), definite))
    for start, end, phrase in made_things(s):
        out.append(Candidate(start, end, phrase, "unnamed", cue_of(phrase.split()[-1]), construction="made"))
    for m in _GLOSS.finditer(s):
        gloss = f"{m['mods']}{m['cue']}"
        words = m["name"].split()
        while words and words[0] in FUNCTION_WORDS | {"team", "group", "number"}:
            words.pop(0)  # keep the foreign name itself: "a team of X (gloss)" -> X
        name = " ".join(words)
        if name and name != gloss and not (set(gloss.split()) & GENERIC_MODS):
            start = m.end("name") - len(name)
            out.append(Candidate(start, m.end(), name, "unnamed", cue_of(m["cue"]), [gloss]))
    return out
