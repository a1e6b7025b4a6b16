"""Rule patterns that find practice (initiative) mentions in one sentence of text.

Generic cue words only: nouns that head the name of an initiative (campaign, festival,
forum...), verbs that introduce one (launched, set up...), branding slogan shapes. The
patterns work on plain strings, so the blank and the statistical pipelines behave alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .candidates import ATTACHED as _ATTACHED
from .candidates import CUE_ALT as _CUE_ALT
from .candidates import INTRO_VERBS, Candidate, clean, cue_of
from .cues import ALWAYS_DROP as _ALWAYS_DROP
from .cues import AUTHORITY_WORDS as _AUTHORITY_WORDS
from .cues import FUNCTION_WORDS, MONTHS, NOT_PRACTICE, ORG_WORDS, PERSON_WORDS, WEEKDAYS
from .cues import LEAD_CUES as _LEAD_CUES
from .cues import PLURAL as _PLURAL
from .naming import CAPITAL, ELIDED, GAP, introduced_names
from .naming import CONNECT as _CONNECT
from .slogans import slogans
from .unnamed import unnamed_candidates

_WORD = rf"(?:(?:{ELIDED})?{CAPITAL}|\d+[A-Za-z])[\w'\u2019\-\u2013]*"
TITLE_SEQ = re.compile(rf"(?<![\w'\u2019]){_WORD}(?:{GAP}(?:{_CONNECT}{GAP}){{0,2}}{_WORD})*")
TITLE_SEQ_COMMA = re.compile(rf"(?<![\w'\u2019]){_WORD}(?:(?:,{GAP}|{GAP}(?:{_CONNECT}{GAP}){{0,2}}){_WORD})+")
QUOTE = re.compile(
    r"\u201c(?P<a>[^\u201d\n]{1,120})\u201d|\"(?P<b>[^\"\n]{1,120})\"|\u2018(?P<c>[^\u2019\n]{1,120})\u2019"
    r"|(?<![\w])'(?P<d>[^'\n]{1,120}?)'(?![\w])|\[(?P<e>[^\]\n]{1,80})\]"
)
ACRONYM = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z]{1,9})\)")
_CUE_AFTER = re.compile(
    rf"^[\s,]*(?:\([^)]{{0,80}}\)\s*)?(?:and\s+\S[^.;]{{0,40}}?\s+)?(?P<cue>{_CUE_ALT})\b", re.IGNORECASE
)
_CUE_BEFORE = re.compile(
    rf"\b(?:(?:(?P<cue>{_CUE_ALT})|{INTRO_VERBS}|called|titled|entitled|named)\b[^.;:\u201c\"'\[]{{0,22}}|"
    rf"(?P<slogan>slogan|motto|tagline|strapline|catchphrase|brand)\b[^.;:\u201c\"'\[]{{0,22}}(?::\s*)?)$",
    re.IGNORECASE,
)
_COPULA = re.compile(
    rf"^(?:\s+\([^()]{{1,60}}\))?\s+(?:is|was|has been)\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?(?P<cue>{_CUE_ALT})\b"
)
_APPOSITION = re.compile(
    rf"\b(?:{_CUE_ALT}|station|channel|show),\s*(?:the\s+)?$|\b(?:called|titled|entitled|named)\s+$"
)
# "the neighbour festival X", "its network Y": a lower-case cue noun, then the name of the one it means.
_CUE_NOUN_BEFORE = re.compile(rf"\b(?:the|its|their|our)\s+(?:[a-z][\w\-]*\s+)?(?:{_CUE_ALT})\s+$")
_CALENDAR = MONTHS | WEEKDAYS  # "the festival Monday": a day, not a name
# "the national X Scheme", "under the X Programme", "the EU X Fund": a national or EU frame, not a local practice.
_NATIONAL_BEFORE = re.compile(r"\b(?:(?:the|a)\s+(?:national|federal|EU|European)|under\s+the(?:\s+national)?)\s+$")
_FUNDER_BEFORE = re.compile(
    r"\b(?:co-)?(?:funded|financed|sponsored|supported) (?:by|through|from|under) (?:the )?(?:[\w\-]+['\u2019]s? )?$"
)
_HTML = re.compile(r"<[^>]*>")
_PLACE_BEFORE = re.compile(r"(?P<place>[A-Z][\w\-\u00c0-\u017f]+(?: [A-Z][\w\-]+)?)(?:,\s*[A-Z][\w ]+)?\s*[\[(]\s*$")


def _split_alias(name: str) -> tuple[str, list[str]]:
    """``Full Name – ACR`` -> (``Long Name``, [``ACR``])."""
    match = re.match(r"^(?P<long>.+?)\s+[\u2013\u2014-]\s+(?P<short>[A-Z][A-Z0-9]{1,9})$", name)
    if match:
        return match["long"], [match["short"]]
    return name, []


def _alias_after(text: str) -> tuple[str | None, int]:
    """A parenthesised alternative name right after a mention: `` ("We X")`` or `` (Translated Name)``."""
    match = re.match(
        r"^\s*\(\s*[\u201c\"'\u2018]?(?P<alt>[A-Z][^()\u201d\"'\u2019]{1,80}?)[\u201d\"'\u2019]?\s*\)", text
    )
    if not match:
        return None, 0
    alt = match["alt"].strip()
    words = alt.split()
    if len(alt) <= 3 or {w.lower().strip(",.") for w in words} & ORG_WORDS:
        return None, 0
    title = sum(1 for w in words if w[:1].isupper())
    if title * 2 < len(words) or len(words) > 8:
        return None, 0
    return alt, match.end()


def acronym_long_form(words: list[str], acronym: str) -> int:
    """Index of the first word of the long form of ``acronym`` in ``words`` (Schwartz-Hearst), or -1."""
    letters = acronym.lower()
    wi = len(words) - 1
    li = len(letters) - 1
    while li >= 0 and wi >= 0:
        word = words[wi].lower()
        pos = len(word) - 1
        while li >= 0 and pos >= 0:
            if word[pos] == letters[li] and (li > 0 or pos == 0):
                li -= 1
            pos -= 1
        if li >= 0:
            wi -= 1
    if li >= 0 or wi < 0 or len(words) - wi > len(acronym) + 3:
        return -1
    return wi if words[wi][:1].isupper() else -1


def _title_ok(name: str, report_title_words: frozenset[str]) -> bool:
    words = name.split()
    if not words or len(words) > 12:
        return False
    lows = {w.lower().strip(",.'\u2019") for w in words}
    if lows & ORG_WORDS:
        return False
    if words[-1].lower() in ("council", "model") and (len(words) < 3 or words[-2].lower() in _AUTHORITY_WORDS):
        return False  # "<Town> Council", "City Council": the authority itself, not an initiative
    core = [w for w in words if w.lower() not in FUNCTION_WORDS and cue_of(w) is None]
    return not (core and all(w.strip(",.") in report_title_words for w in core))


def find_candidates(sentence: str, report_title_words: frozenset[str] = frozenset()) -> list[Candidate]:
    """All practice mentions in one sentence, in order, without overlaps."""
    sentence = _HTML.sub(lambda m: " " * len(m.group(0)), sentence)
    found: list[Candidate] = []

    def add(cand: Candidate) -> None:
        clashes = [c for c in found if cand.start < c.end and c.start < cand.end]
        if clashes and all(_bracketed_in(sentence, cand, c) for c in clashes):
            for c in clashes:  # 'X ("Y")': Y alone was found first; X with its alias Y replaces it
                found.remove(c)
        elif clashes:
            return
        found.append(cand)

    for cand in _quoted(sentence, report_title_words):
        add(cand)
    for cand in _acronyms(sentence, report_title_words):
        add(cand)
    for cand in slogans(sentence):
        add(cand)
    for cand in _titled(sentence, report_title_words):
        add(cand)
    for cand in _introduced(sentence, report_title_words):
        add(cand)
    for cand in unnamed_candidates(sentence):
        if any(
            c.kind != "unnamed" and 0 <= cand.start - c.end <= 60 and _DESCRIBES.fullmatch(sentence[c.end : cand.start])
            for c in found
        ):
            continue  # "the X Cup, a football tournament": the noun phrase describes X
        gap = [c for c in found if c.kind != "unnamed" and 0 <= c.start - cand.end <= 26]
        if gap and re.fullmatch(
            r"[\s,(]*(?:called|titled|entitled|named|known as|known by its acronym)?[\s,(\[]*(?:the\s+)?",
            sentence[cand.end : gap[0].start],
        ):
            gap[0].cue = gap[0].cue or cand.cue  # "a cooking programme 'X'": the noun phrase describes X
            continue
        add(cand)
    return _aliases_in_brackets(sentence, sorted(found, key=lambda c: c.start))


# Last words of a town-prefixed title that make it a body, a place or a newspaper, not an initiative.
_NOT_TITLE_HEAD = frozenset(
    ["city", "council", "county", "borough", "district", "region", "area", "street", "road", "avenue", "square",
     "station", "airport", "hospital", "church", "cathedral", "mosque", "museum", "library", "hall", "police",
     "fc", "united", "rovers", "times", "post", "herald", "news", "gazette", "press", "echo", "chronicle", "mail",
     "observer", "express", "bay", "river", "harbour", "bridge", "castle", "park", "trust", "ltd", "limited", "plc"]
)  # fmt: skip


def place_titled(sentence: str, is_town: Callable[[str], bool]) -> list[Candidate]:
    """``the Northam Rumour Response Line``, ``the Eastwick Harbour Choir``: a town's name, then two or
    more capitalised words naming neither a body, a person nor a place (names with a cue noun are
    ``_titled``'s)."""
    out = []
    for m in TITLE_SEQ.finditer(sentence):
        words = m.group(0).split()
        start = m.start()
        if words[0] in ("The", "A", "An", "In", "At", "For", "With", "From", "By", "On"):
            start += len(words[0]) + 1
            words = words[1:]
        if len(words) < 3 or not all(w[:1].isupper() for w in words) or words[0].isupper() or not is_town(words[0]):
            continue
        heads = {w.lower().strip(",.;:'\u2019") for w in words[1:]}
        if heads & (ORG_WORDS | NOT_PRACTICE | PERSON_WORDS | _NOT_TITLE_HEAD) or is_town(" ".join(words[1:])):
            continue
        name = clean(" ".join(words))
        out.append(Candidate(start, start + len(name), name, "named", cue_of(words[-1]), construction="place-title"))
    return out


def _bracketed_in(sentence: str, outer: Candidate, inner: Candidate) -> bool:
    """``inner`` lies in brackets inside ``outer``'s span (an alias of the name ``outer`` found)."""
    return outer.start < inner.start and inner.end <= outer.end and "(" in sentence[outer.start : inner.start]


# Between a name and the noun phrase that says what it is: "X, a ...", "X ("Y"), an ...".
_DESCRIBES = re.compile(r"(?:\s*\([^()]{1,50}\))?[\s,\u2013]*(?:a|an)\s+")
_OPEN_ALIAS = re.compile(r"\s*\(\s*[\"'\u201c\u2018]?")
_CLOSE_ALIAS = re.compile(r"[\"'\u201d\u2019]?\s*\)")


def _aliases_in_brackets(sentence: str, found: list[Candidate]) -> list[Candidate]:
    """``the X award (Y award)``: a mention in brackets right after another is its other name."""
    out: list[Candidate] = []
    for cand in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and cand.kind != "slogan"
            and _OPEN_ALIAS.fullmatch(sentence[prev.end : cand.start])
            and _CLOSE_ALIAS.match(sentence[cand.end :])
        ):
            prev.alt_names.append(cand.name)
            prev.end = cand.end + _CLOSE_ALIAS.match(sentence[cand.end :]).end()  # type: ignore[union-attr]
            continue
        out.append(cand)
    return out


def _quoted(s: str, title_words: frozenset[str]) -> list[Candidate]:
    out = []
    for m in QUOTE.finditer(s):
        raw = next(g for g in m.groups() if g is not None)
        name, alts = _split_alias(clean(raw))
        words = name.split()
        if not words or len(words) > 10:
            continue
        before, after = s[: m.start()], s[m.end() :]
        alt, alt_len = _alias_after(after)
        if alt:
            alts.append(clean(alt))
        cue_after = _CUE_AFTER.match(after)
        cue_before = _CUE_BEFORE.search(before[-60:])
        own_cue = cue_of(words[-1])
        titled = name[:1].isupper()
        place_m = _PLACE_BEFORE.search(before if before.rstrip().endswith("(") else before + m.group(0)[:1])
        sentence_has_cue = any(cue_of(w) or w == "example" for w in re.findall(r"[\w\-]+", s))
        cue = own_cue or (cue_after and cue_after["cue"]) or (cue_before and cue_before["cue"])
        ok = bool(own_cue or cue_after or (cue_before and (titled or len(words) >= 3)))
        slogan = bool(cue_before and cue_before["slogan"])
        hint = None
        attached = False
        if not ok and place_m and (m.group(0)[0] == "[" or before.rstrip().endswith("(")) and sentence_has_cue:
            ok, hint, attached = True, place_m["place"], True
        if not ok and titled and len(words) >= 2 and re.match(r"^,\s*[A-Z]", after) and sentence_has_cue:
            ok = True
            hint = re.match(r"^,\s*([A-Z][\w\-]+(?: [A-Z][\w\-]+)?)", after).group(1)  # type: ignore[union-attr]
        if not ok or (not _title_ok(name, title_words) and titled):
            continue
        kind = "slogan" if slogan else "named"
        if name == name.lower() and not slogan:
            kind = "unnamed" if own_cue else "named"
            if not own_cue and cue_after:
                name = f"{name} {cue_of(cue_after['cue']) or cue_after['cue'].lower()}"
        cue_name = cue_of(str(cue)) if cue else None
        cand = Candidate(m.start(), m.end() + alt_len, name, kind, cue_name, alts, hint, attached)
        out.append(cand)
    return out


def _acronyms(s: str, title_words: frozenset[str]) -> list[Candidate]:
    out = []
    for m in ACRONYM.finditer(s):
        acr = m["acr"]
        if sum(1 for ch in acr if ch.isupper()) < 2:
            continue
        head = s[: m.start()]
        words = head.split()[-(len(acr) + 3) :]
        first = acronym_long_form(words, acr)
        if first < 0:
            continue
        long_words = words[first:]
        name = clean(" ".join(long_words))
        after = s[m.end() :]
        cue_after = re.match(rf"^\s+(?P<cue>{_CUE_ALT})\b", after)
        cue = cue_of(long_words[-1]) or (cue_after and cue_of(cue_after["cue"]))
        if not cue or not _title_ok(name, title_words):
            continue
        start = head.rfind(long_words[0])
        end = m.end() + (cue_after.end() if cue_after else 0)
        out.append(Candidate(start, end, name, "named", cue, [acr]))
    return out


_FEASTS = frozenset(["festa", "fiesta", "fête", "fete", "sagra", "feria"])
_BODY_CUES = frozenset(["service", "centre", "center", "network"])  # "X Services", "X Centres": bodies, not events


def _titled(s: str, title_words: frozenset[str]) -> list[Candidate]:
    out = []
    for regex in (TITLE_SEQ_COMMA, TITLE_SEQ):
        for m in regex.finditer(s):
            out.extend(_titled_one(s, m.start(), m.end(), regex is TITLE_SEQ_COMMA, title_words))
    return out


def _titled_one(s: str, start: int, end: int, comma: bool, title_words: frozenset[str]) -> list[Candidate]:
    text = s[start:end]
    # Drop an owner in front ("Council of Europe's X network") and leading function words.
    poss = list(re.finditer(r"['\u2019]s?\s+", text))
    plural_owner = bool(poss) and text[poss[-1].start() - 1 : poss[-1].start()] == "s" and poss[-1].group(0)[1:2] != "s"
    if poss and poss[-1].end() < len(text) and not (plural_owner and cue_of(text[poss[-1].end() :])):
        # "<Owner>'s X" -> X; but "Residents' Fund" is a whole name ("Fund" alone is no name)
        start += poss[-1].end()
        text = s[start:end]
    words = text.split()
    while words and (
        words[0].lower() in _ALWAYS_DROP or (words[0].lower() in FUNCTION_WORDS and not s[:start].strip())
    ):
        start = s.index(words[1], start + len(words[0])) if len(words) > 1 else end
        words = words[1:]
    if not words:
        return []
    if cue_of(words[-1]) is None and not comma:
        # "Xforum in City": cut a trailing "in/of <Place>" after a cue word.
        for i in range(len(words) - 2, -1, -1):
            if (
                cue_of(words[i]) not in (None, "centre", "center")
                and words[i + 1].lower() in ("in", "of", "for", "on")
                and i + 2 < len(words)
            ):
                if not (words[0].lower() in _LEAD_CUES and i == 0):
                    end = start + len(" ".join(words[: i + 1])) if " ".join(words) == s[start:end] else end
                    words = words[: i + 1]
                break
    name = clean(" ".join(words))
    after, before = s[end:], s[:start]
    cue = cue_of(words[-1])
    cue_next = re.match(rf"^[ \t]+(?P<cue>{_CUE_ALT})\b", after)
    if cue_next and cue_next["cue"][0].islower():
        cue = cue or cue_of(cue_next["cue"])
        end += cue_next.end()
    elif comma:
        return []  # a comma inside a name is only accepted before a cue noun
    lead = next((w.lower() for w in words[:-1] if w.lower() in ("television", "radio")), None)
    for i, word in enumerate(words[:-1]):
        if len(words) >= 3 and word.lower() in _LEAD_CUES and words[i + 1].lower() in ("for", "of", "on", "against"):
            lead = word.lower()
    if len(words) >= 2 and words[0].lower() in _FEASTS:
        lead = "festival"  # "Festa dei Vicini", "Fiesta de la Vendimia": a festival named in its own language
    if _FUNDER_BEFORE.search(before) or _NATIONAL_BEFORE.search(before):
        return []
    if cue == "fund" and before.strip() and not re.search(r"\b(?:secured|received|granted|from|through|via)\b", before):
        return []  # a fund is a practice only where money is drawn from it
    at_start = not before.strip(" \t-\u2022*")
    if words[0].lower() in ("what", "who", "which", "how", "why", "where", "when", "it", "there", "here"):
        return []
    last = words[-1].lower()
    plural_cue = cue_of(last) and (last[:-1] == cue_of(last) or _PLURAL.get(last) == cue_of(last))
    told_mid_sentence = not at_start and len(words) >= 3 and not name.isupper()
    if words[-1][:1].isupper() and plural_cue and (not told_mid_sentence or cue_of(last) in _BODY_CUES):
        return []  # a capitalised plural cue ends a heading ("Local Projects"), not a name told mid-sentence
    if re.fullmatch(r"[A-Z]{2,5}s?", name) and not cue_next:
        return []
    if len(words) == 1 and cue_next and not re.search(r"[A-Z0-9]", name[1:]):
        return []
    if len(words) == 1 and (len(name) <= 3 or (at_start and not re.search(r"[A-Z].*[A-Z]", name[1:] + " "))):  # noqa: SIM102
        if not (_COPULA.match(after) or _APPOSITION.search(before)):
            return []
    copula = _COPULA.match(after)
    apposition = _APPOSITION.search(before) or (
        _CUE_NOUN_BEFORE.search(before) and words[0].lower() not in _CALENDAR and not last.endswith("-wide")
    )
    alt, alt_len = _alias_after(after)
    if not (cue or lead or copula or apposition) and not (alt and any(cue_of(w) for w in alt.split())):
        return []
    if (
        len(words) == 1
        and not (copula or apposition or alt)
        and cue
        and cue_of(words[0]) in (words[0].lower(), words[0].lower()[:-1])
    ):
        return []  # a bare capitalised cue word ("Project") is not a name
    if not _title_ok(name, title_words):
        return []
    hint = None
    attached = _ATTACHED.match(after)
    if attached and not copula:
        hint = attached["place"]
    alts = [clean(alt)] if alt else []
    found_cue = cue or lead or (copula and cue_of(copula["cue"])) or None
    return [Candidate(start, end + alt_len, name, "named", found_cue, alts, hint, bool(hint))]


def _introduced(s: str, title_words: frozenset[str]) -> list[Candidate]:
    out = []
    for start, end, name, how in introduced_names(s):
        if not _title_ok(name, title_words):
            continue
        after = s[end:]
        alt, alt_len = _alias_after(after)
        attached = _ATTACHED.match(after)
        hint = attached["place"] if attached else None
        cue = next((c for c in map(cue_of, reversed(name.split())) if c), None)
        alts = [clean(alt)] if alt else []
        out.append(Candidate(start, end + alt_len, name, "named", cue, alts, hint, bool(hint), construction=how))
    return out
