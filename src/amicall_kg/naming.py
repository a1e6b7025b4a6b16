"""Practice mentions found by how a text introduces a name, whatever the name ends with.

The cue-noun patterns of ``patterns.py`` need a name that ends in (or sits next to) a word such as
festival or network. Reports also name initiatives whose head noun is on no list ("the X Circle",
"the X Bus", "'X Speaks'"). What gives those away is the sentence around the name:

* a naming construction: ``known as the X``, ``call the panel the X``, ``dubbed X``;
* a verb that creates, funds or runs something, with the name as its object: ``set up the X``,
  ``to fund the X``, ``turned a depot into the X``, ``paid for the first year of 'X'``;
* the name as the subject of a passive verb of making: ``The X was launched in 2015``;
* an apposition that says what the name is: ``'X', a weekly radio slot``; a quoted name that
  modifies its category noun: ``the "X" hotline``.

Only generic English words are listed here; a name that is an organisation, a document or a
person is dropped by its head word (and, in the statistical pipeline, by the NER in ``extract``).
"""

from __future__ import annotations

import re

from .candidates import cue_of
from .cues import FUNCTION_WORDS, GENERIC_MODS, NOT_PRACTICE, PERSON_WORDS

# Verbs whose object is a thing someone started, paid for or runs.
_CREATE = (
    r"set up|sets up|setting up|launched|launches|founded|created|creates|established|establishes|opened|opens|"
    r"introduced|introduces|started|starts|initiated|piloted|pilots|rolled out|runs|ran|organi[sz]ed|organi[sz]es|"
    r"hosts|hosted|built|funded|financed|(?:to|will|would|could|helped|help|helps) (?:fund|finance|run|open|launch|"
    r"set up|start|create|pilot)|paid for|pays for|sponsored|adopted|signed|agreed|drew up|drawn up|issued|"
    r"(?:turned|turns|converted|converts|transformed|transforms|made|makes)\s[^.;:]{1,60}?\binto"
)
# Words between the verb and the name: an article, a possessive, "the first year of", or a noun
# phrase the name stands in apposition to ("opened a reception space, X, which ...").
_LEAD = (
    r"(?:(?:a|an|the|its|their)\s+(?:[a-z][\w\-]*\s+){0,4}[a-z][\w\-]*,\s+)?"
    r"(?:(?:the|a|an|its|their|his|her|our)\s+)?"
    r"(?:(?:first|second|third|pilot|opening|launch|start|creation|founding)\s+(?:\w+\s+)?of\s+(?:the\s+)?)?"
)
_NAMING = (
    r"(?:known|referred to|described|branded|billed)(?:\s+(?:simply|locally|informally|affectionately|officially|"
    r"popularly|widely|now|also))?\s+as|[Cc]alled|[Nn]amed|[Dd]ubbed|[Nn]icknamed|titled|entitled|"
    r"under the (?:name|banner|title|heading) (?:of\s+)?|(?:[Aa]|[Tt]he|[Ii]ts|[Tt]heir) name(?:\s+(?:is|was))?[,:]?|"
    r"(?:call|calls|called|calling)\s+(?:it|this|that|them|these|ourselves|themselves|itself|the\s+[a-z]+(?:\s+[a-z]+)?)"
    r"(?:\s+(?:simply|just|now|locally))?|(?:what|which|something)\s+(?:[a-z]+\s+){1,2}(?:call|calls|called)|"
    r"\b(?:we|they|locals|residents|people|everyone)\s+(?:now\s+|simply\s+|still\s+)?call|"
    r"(?:named|renamed|christened)\s+(?:it|them)|(?:re)?open(?:s|ed)\s+(?:\w+\s+){0,4}?as|"
    r"(?:fitted out|kitted out|refitted|relaunched|rebranded|repurposed)\s+(?:\w+\s+){0,5}?as"
)
# A capitalised word, a number with letters ("2Gether"), or an elided article before one ("d'Olot").
# Capital letters of the Latin script, accented ones included ("Š", "Ł", "Ħ" open names as "A" does).
CAPITAL = "[A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper()) + "]"
ELIDED = r"(?:[dlDL]|[dDnNsS][ae]ll|[aA]ll)['\u2019]"  # d'Olot, l'Escale, dell'Amicizia
_NAME_WORD = rf"(?:(?:{ELIDED})?{CAPITAL}[\w'\u2019\-]*|\d+[A-Za-z][\w\-]*)"
# Small words inside a name, English and the other languages reports quote names in.
CONNECT = (
    r"(?:(?:of|for|against|on|in|at|by)[ \t]+the|of|for|in|on|and|against|"
    r"de|del|della|delle|degli|dello|dei|der|di|da|do|dos|das|la|le|les|los|las|el|des|du|au|aux|an|to|up|not|&|"
    r"am|im|auf|zum|zur|zu|und|van|voor|op|het|ter|och|og|y|i|e|et|"
    r"zonder|met|bij|uit|sans|pour|avec|sin|con|para|senza|per|ohne|mit|ilman|ja|ar|na|bez|dla|za|without)"
)
# The gap between two words of one name: a space or two, not the run of spaces between columns of a table.
GAP = r"[ \t]{1,2}"
_TITLE = rf"{_NAME_WORD}(?:{GAP}(?:{CONNECT}{GAP}){{0,2}}{_NAME_WORD})*"
_QUOTED = r"\u201c(?P<q1>[^\u201d\n]{2,80})\u201d|\"(?P<q2>[^\"\n]{2,80})\"|(?<![\w])'(?P<q3>[^'\n]{2,80}?)'(?![\w])"

INTRODUCED = re.compile(
    rf"\b(?:(?P<create>{_CREATE})\s+{_LEAD}|(?P<naming>{_NAMING})\s+(?:the\s+)?)"
    rf"(?:(?P<title>{_TITLE})|{_QUOTED})"
)
# 'Its answer was "X"', 'The response was the X', 'The result, X, ...': the name of what was done in response.
ANSWER = re.compile(
    rf"\b(?:(?:[Aa]nswer|[Rr]esponse|[Rr]esult|[Ss]olution|[Rr]eply)(?:\s+(?:was|is|became)|,)|"
    rf"came up with\s+(?:was|is)|(?:responded|answered|replied|reacted)\s+with)\s+(?:the\s+)?"
    rf"(?:(?P<title>{_TITLE})|{_QUOTED})"
)
# "the choir X", "the event - X -": a common noun, then the name of the one it means.
NOUN_NAME = re.compile(rf"\bthe\s+(?P<noun>[a-z]+)\s+(?:[\-\u2013\u2014]\s+)?(?:(?P<title>{_TITLE})|{_QUOTED})")
# "a monthly newsletter, X": an indefinite noun phrase, then the name that stands for it.
NP_APPOSITION = re.compile(
    rf"\b(?:a|an)\s+(?P<np>(?:[a-z][\w\-]*\s+){{0,3}}[a-z][\w\-]*),\s+(?:the\s+)?(?:(?P<title>{_TITLE})|{_QUOTED})"
)
# "Mesa comuna (Shared Bench)", "WAN (Welcome At Northam)": a name glossed in brackets.
_FOREIGN = rf"{_NAME_WORD}(?:{GAP}(?:{_NAME_WORD}|[a-z\u00e0-\u00ff][\w\-]*)){{0,3}}"
GLOSSED = re.compile(
    rf"(?:(?<![\w'\u2019])(?P<title>{_FOREIGN})|{_QUOTED})\s+\((?:the\s+)?"
    # ("lamplighters" in Dutch), (roughly, "the quay's tale"), (Welsh for "the open gate")
    r"(?:(?:roughly|literally|lit\.),?\s+|[A-Z][a-z]+\s+for\s+)?"
    r"(?:[\"\u201c](?P<qgloss>[^()\"\u201d]{2,60}?)[\"\u201d](?:\s+in\s+[A-Z][a-z]+)?|"
    r"[\"'\u201c\u2018]?(?P<gloss>[A-Z][^()\"\u201d\u2019]{2,60}?)[\"'\u201d\u2019]?|"
    r"(?P<lgloss>(?!(?:in|see|for|from|as|and|or|e\.g|i\.e)\b)[a-z][a-z\-]*(?:\s+[a-z][a-z\-]*){1,5}))\)"
)
# "began running a reading circle", "two mediators were appointed": something made, without a name.
_MADE_VERB = (
    r"set up|launched|started|began running|began|organi[sz]ed|opened|introduced|put up|painted|created|"
    r"established|appointed|hired|recruited|produced|published|piloted|founded"
)
# Verbs whose object follows "into"/"as": what something or someone was made into ("turned a bank into X").
_MADE_INTO = (
    r"(?:turned|converted|transformed|made) into|"
    r"(?:trained|employed|recruited|appointed|hired)(?: part-time| full-time)? as"
)
_COUNT = r"(?:[Aa]n?|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|\d+)"
MADE = re.compile(
    rf"(?<![\w\-])(?:(?:{_MADE_VERB}|{_MADE_INTO})\s+(?:{_COUNT}\s+)?(?P<np>(?:[a-z][\w\-]*\s+){{0,2}}[a-z][\w\-]*)\b(?![\w\-])"
    rf"|\b{_COUNT}\s+(?P<pnp>(?:[a-z][\w\-]*\s+){{0,2}}[a-z][\w\-]*)\s+(?:was|were)\s+(?:[a-z]+ly\s+)?"
    rf"(?:{_MADE_VERB})\b)"
)
# "open as Tupa, literally 'the Parlour'": a name in another language, glossed after "literally".
LITERALLY = re.compile(
    rf"(?:(?<![\w'\u2019])(?P<title>{_TITLE})|{_QUOTED}),?\s+(?:literally|meaning|which\s+means|[A-Z][a-z]+\s+for)\s+(?:the\s+)?"
    r"[\"\u201c'\u2018](?P<qgloss>[^\"\u201d\u2019\n]{2,60}?)[\"\u201d'\u2019]"
)
# "it became the Werkhalle - the Work Hall - where ...", '"Noches Largas" - long nights - fill ...': a name
# glossed between dashes (a gloss in lower case only after a quoted name).
DASHED = re.compile(
    rf"(?:(?<![\w'\u2019])(?P<title>{_TITLE})|{_QUOTED})\s+[\-\u2013\u2014]\s+(?:the\s+)?"
    rf"(?:(?P<gloss>[A-Z][\w'\u2019]*(?:\s+[A-Z][\w'\u2019]*){{0,4}})|(?P<lgloss>[a-z][\w\-]*(?:\s+[a-z][\w\-]*){{0,4}}))"
    rf"\s+[\-\u2013\u2014]\s"
)
# "NIN, short for Northam Integration Network": an acronym and the name it stands for.
SHORT_FOR = re.compile(rf"(?<![\w'\u2019])(?P<title>[A-Z]{{2,8}}),?\s+short\s+for\s+(?P<gloss>{_TITLE})")
_GLOSS_FORMS = (GLOSSED, LITERALLY, DASHED, SHORT_FOR)  # a name and its translation or long form
# "employed as Lotsinnen, or street guides": a name in another language, glossed after "or" (quoted or not).
GLOSSED_OR = re.compile(
    rf"\bas\s+(?P<title>{_NAME_WORD}),?\s+or\s+[\"\u201c'\u2018]?[a-z][\w\-]*(?:\s+[a-z][\w\-]*){{0,3}}\b"
)
# "what locals call la roulotte d'accueil:", "we call them the veilleurs de cour,": a name in another
# language written in lower case after a naming verb, told from English by an accent or a small foreign word.
LOWER_NAMED = re.compile(
    rf"\b(?:{_NAMING})\s+(?:the\s+)?(?P<title>[a-z\u00e0-\u00ff][\w'\u2019\-]*"
    rf"(?:\s+[a-z\u00e0-\u00ff][\w'\u2019\-]*){{1,4}})(?=\s*[,.;:)]|\s+[\-\u2013\u2014]\s)"
)
_FOREIGN_MARK = re.compile(
    r"[\u00e0-\u00ff]|\b(?:la|le|les|il|lo|el|los|las|die|der|das|het|du|des|del|della|dei|och|og|und|et)\b|"
    r"\b[dl]['\u2019]\w|\s(?:de|di|da|do)\s"  # "de" inside the name only: "de facto" is English
)
# "The X was launched in 2015": the name as the subject of a passive verb of making.
PASSIVE = re.compile(
    rf"(?:(?<![\w'\u2019])(?P<title>{_TITLE})|{_QUOTED})\s+(?:was|were|has been|have been|had been|is|are)\s+"
    r"(?:first\s+|originally\s+|jointly\s+)?(?:set up|launched|founded|created|established|opened|introduced|"
    r"started|initiated|piloted|rolled out|organi[sz]ed|funded|financed|devised|conceived)\b"
)
# "Open Gates Sunday began in 2019": a title-case subject at the start of a sentence that began somewhere.
BEGAN = re.compile(rf"(?P<title>{_TITLE})\s+(?:began|started|grew out of|was born)\b")
# "'X', a weekly radio slot" and "X Y, a podcast in ...": a name followed by what it is.
APPOSITION = re.compile(
    rf"(?:(?<![\w'\u2019])(?P<title>{_TITLE})|{_QUOTED})(?:,|\s[\-\u2013\u2014]|(?<=,[\"\u201d]))\s+(?:a|an)\s+"
    rf"(?P<desc>(?:[A-Za-z][\w\-]*\s+){{0,3}}[a-z][\w\-]*)"
)
# '"X" is a monthly shared dinner', 'X (gloss) is a festival': a name, then what it is.
COPULA = re.compile(
    rf"(?:(?<![\w'\u2019])(?P<title>{_TITLE})|{_QUOTED})(?:\s+\([^()]{{1,60}}\))?\s+(?:is|was|has been|became)\s+"
    r"(?:a|an)\s+(?P<desc>(?:[a-z][\w\-]*\s+){0,3}[a-z][\w\-]*)"
)
# 'the "X" hotline': a quoted name used as the modifier of what it names.
QUOTED_MODIFIER = re.compile(rf"\b(?:the|a|an|its|their)\s+(?:{_QUOTED})\s+(?P<noun>[a-z][\w\-]+)\b")

# Capitalised words that start a sentence or a clause, not a name.
_NOT_NAME_START = frozenset(
    ["i", "it", "we", "they", "he", "she", "this", "that", "there", "these", "those", "as", "when", "while", "after",
     "before", "if", "since", "because"]
)  # fmt: skip
# Words after a quoted name that are not the noun it modifies.
_NOT_NOUN = FUNCTION_WORDS | frozenset(
    ["is", "was", "are", "were", "has", "had", "have", "be", "been", "which", "who", "about", "into", "over",
     "out", "up", "down", "around", "across", "along", "without", "together", "also", "more", "than", "near",
     "behind", "beside", "between", "outside", "inside", "among", "through", "after", "before", "during", "since",
     "until", "via", "per", "next", "opposite"]
)  # fmt: skip


def _trim_name(name: str) -> str:
    """The name without function words around it ("In X" at a sentence start, "X of" at a cut)."""
    words = name.split()
    while words and words[-1].lower() in FUNCTION_WORDS:
        words.pop()
    while words and words[0].lower() in FUNCTION_WORDS - {"the"}:
        words.pop(0)
    return " ".join(words).strip(" ,.;:'\u2019")


def _acceptable(name: str, quoted: bool) -> bool:
    """A plausible initiative name: not an organisation, a document or a lone capitalised word."""
    words = name.split()
    if not words or len(words) > 10:
        return False
    if words[0].lower() in _NOT_NAME_START:
        return False
    lows = {w.lower().strip(",.'\u2019") for w in words}
    if lows & NOT_PRACTICE:
        return False
    if quoted:
        return any(w[:1].isupper() for w in words) or len(words) >= 3
    # One capitalised word is a place, a person or an organisation more often than an initiative.
    return len(words) >= 2 or bool(re.search(r"[A-Z].*[A-Z]", name[1:]))


def _name_of(m: re.Match[str]) -> tuple[str, str, bool]:
    """(group, name, quoted) of a match of one of the patterns above."""
    if m.re.groupindex.get("title") and m["title"] is not None:
        return "title", re.sub(r"^The\s+", "", _trim_name(m["title"])), False
    group = next(g for g in ("q1", "q2", "q3") if m[g] is not None)
    return group, _trim_name(m[group]), True


def _span(m: re.Match[str], group: str, name: str, quoted: bool) -> tuple[int, int]:
    """Offsets of the trimmed name inside the matched group (with its quote marks if quoted)."""
    words = name.split()
    inner = re.search(r"\s+".join(map(re.escape, words)), m[group])
    assert inner is not None  # the name is the group's own words
    start, end = m.start(group) + inner.start(), m.start(group) + inner.end()
    return (m.start(group) - 1, m.end(group) + 1) if quoted else (start, end)


_AFTER_PREPOSITION = re.compile(r"\b(?:in|to|from|at|of|near|across|around|with|by|for)\s+$")


_PERSON_ENDINGS = ("teacher", "worker", "officer", "leader", "woman", "keeper", "person")


def _describes_person_or_body(phrase: str) -> bool:
    """``a former schoolteacher``, ``Senior Policy Officer``, ``the city council``: not a practice."""
    words = {w.lower().rstrip("s") for w in phrase.split()} | {w.lower() for w in phrase.split()}
    return bool(words & (NOT_PRACTICE | PERSON_WORDS)) or any(w.endswith(_PERSON_ENDINGS) for w in words)


def made_things(sentence: str) -> list[tuple[int, int, str]]:
    """``(start, end, noun phrase)`` for things a verb of making introduces without a name.

    ``began running a reading circle``, ``two community mediators were appointed``: the noun
    phrase up to the first function word, unless it names a person, a body or a document.
    """
    found = []
    for m in MADE.finditer(sentence):
        group = "np" if m["np"] is not None else "pnp"
        words = m[group].split()
        cut = next((i for i, w in enumerate(words) if w in _NOT_NOUN), len(words))
        words = words[:cut]
        if not words or _describes_person_or_body(" ".join(words)) or words[-1] in GENERIC_MODS:
            continue
        begin = m.start(group)
        end = begin + re.search(rf"\b{re.escape(words[-1])}\b", m[group]).end()  # type: ignore[union-attr]
        rest = sentence[end:]
        following = re.match(r"\s+([a-z][\w\-]*)", rest)
        if following and following.group(1) not in _NOT_NOUN:
            continue  # the noun phrase goes on: what was matched is not its head
        if len(words) == 1 and re.match(r"\s+of\b", rest):
            continue  # "a number of", "a series of": a quantity
        counted = m["np"] is None or re.search(rf"\b{_COUNT}\s+$", sentence[:begin])
        if words[0].endswith("ing") and not counted:
            continue  # "began receiving families": what people did, not a thing made
        if len(words) == 1 and (words[0].endswith("ing") or not counted):
            continue  # "began working", "opened doors": an activity, or a bare noun, not a thing made
        found.append((begin, end, " ".join(words)))
    return found


def introduced_names(sentence: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, name, how)`` for each name a naming or creating construction introduces.

    ``how`` is ``naming``, ``create``, ``passive``, ``apposition`` or ``modifier``; offsets cover the name (with
    its quotes).
    """
    found: list[tuple[int, int, str, str]] = []
    for m in INTRODUCED.finditer(sentence):
        group, name, quoted = _name_of(m)
        if m["create"] and re.match(r"\s+by\b", sentence[m.end() :]):
            continue  # "set up the X by ...": X is the agent, not the thing made
        if _acceptable(name, quoted) or (m["naming"] and re.fullmatch(r"[A-Z][\w\-]{2,}", name)):
            found.append((*_span(m, group, name, quoted), name, "naming" if m["naming"] else "create"))
    for m in LOWER_NAMED.finditer(sentence):
        name = m["title"]
        if _FOREIGN_MARK.search(name) and not _describes_person_or_body(name) and name.split()[0] not in FUNCTION_WORDS:
            found.append((m.start("title"), m.end("title"), name, "naming"))
    for start in [0, *(stop.end() for stop in re.finditer(r"[.!?]\s+", sentence))]:
        began = BEGAN.match(sentence, start)
        if began is None:
            continue
        group, name, quoted = _name_of(began)
        if " " in name and not _describes_person_or_body(name) and _acceptable(name, quoted):
            found.append((*_span(began, group, name, quoted), name, "passive"))
    for m in ANSWER.finditer(sentence):
        group, name, quoted = _name_of(m)
        if _acceptable(name, quoted):
            found.append((*_span(m, group, name, quoted), name, "naming"))
    for m in PASSIVE.finditer(sentence):
        group, name, quoted = _name_of(m)
        if _acceptable(name, quoted):
            found.append((*_span(m, group, name, quoted), name, "passive"))
    for m in APPOSITION.finditer(sentence):
        group, name, quoted = _name_of(m)
        described_as_practice = any(cue_of(w) for w in m["desc"].split()[:4])
        if not quoted and not described_as_practice and _AFTER_PREPOSITION.search(sentence[: m.start()]):
            continue  # "roots in X, a ...": a place or a body after a preposition
        if _describes_person_or_body(m["desc"]) or not _acceptable(name, quoted):
            continue
        found.append((*_span(m, group, name, quoted), name, "apposition"))
    for m in COPULA.finditer(sentence):
        group, name, quoted = _name_of(m)
        if _describes_person_or_body(m["desc"]) or not _acceptable(name, quoted):
            continue
        if quoted or (" " in name and m.start() == 0):  # a title-case subject: only at the sentence start
            found.append((*_span(m, group, name, quoted), name, "apposition"))
    for m in NOUN_NAME.finditer(sentence):
        group, name, quoted = _name_of(m)
        noun = m["noun"].lower()
        if noun in _NOT_NOUN | NOT_PRACTICE | PERSON_WORDS | GENERIC_MODS:
            continue
        # "the event - Lanternfest - began": set off by dashes, one word is a name too.
        dashed = bool(re.search(r"[\-\u2013\u2014]\s+$", sentence[: m.start(group)])) and bool(
            re.match(r"\s+[\-\u2013\u2014]\s", sentence[m.end() :])
        )
        if not dashed and (not _acceptable(name, quoted) or not (quoted or " " in name)):
            continue
        found.append((*_span(m, group, name, quoted), name, "apposition"))
    for m in NP_APPOSITION.finditer(sentence):
        group, name, quoted = _name_of(m)
        if (
            _describes_person_or_body(m["np"])
            or set(m["np"].split()) & _NOT_NOUN
            or not _acceptable(name, quoted)
            or not (quoted or " " in name)
        ):
            continue
        found.append((*_span(m, group, name, quoted), name, "apposition"))
    for m in (match for form in _GLOSS_FORMS for match in form.finditer(sentence)):
        group, name, quoted = _name_of(m)
        name = re.sub(r"^.*['\u2019]s\s+", "", name)  # "Town's X (gloss)": the owner is not part of the name
        glosses = m.groupdict()  # each form names some of: gloss, qgloss (quoted), lgloss (lower case)
        quoted_gloss, lower_gloss = glosses.get("qgloss"), glosses.get("lgloss")
        gloss = (glosses.get("gloss") or quoted_gloss or lower_gloss or "").strip()
        if lower_gloss and not quoted:
            continue  # "Northam (see below)": only a quoted name takes a gloss in lower case
        if not quoted and re.search(r"\s(?:in|at|near)\s+[A-Z]", name):
            continue  # "X Nights in Northam (England)": the town's country in brackets, not a translation
        if re.fullmatch(r"[A-Z][A-Za-z0-9&\-]{1,9}", gloss) and sum(ch.isupper() for ch in gloss) >= 2:
            continue  # "Long Name (ACR)": an acronym, not a translation (see patterns._acronyms)
        if re.search(r"[\d,;]", gloss):
            continue  # "(Author 2019)", "(Italy and Spain, ...)": a citation or a list, not a translation
        if not name or _describes_person_or_body(gloss) or _describes_person_or_body(name):
            continue
        if not _acceptable(gloss, True) and not ((quoted_gloss or lower_gloss) and len(gloss.split()) <= 6):
            continue
        if not quoted and not (_acceptable(name, False) or re.fullmatch(r"[A-Z][\w\-]{3,}", name)):
            continue
        found.append((*_span(m, group, name, quoted), name, "gloss"))
    for m in GLOSSED_OR.finditer(sentence):
        group, name, quoted = _name_of(m)
        if re.fullmatch(r"[A-Z][\w\-]{3,}", name) and not _describes_person_or_body(name):
            found.append((*_span(m, group, name, quoted), name, "gloss"))
    for m in QUOTED_MODIFIER.finditer(sentence):
        group, name, _ = _name_of(m)
        noun = m["noun"].lower()
        if noun in _NOT_NOUN or noun in NOT_PRACTICE or not _acceptable(name, True):
            continue
        start, _end = _span(m, group, name, True)
        found.append((start, m.end("noun"), f"{name} {m['noun']}", "modifier"))
    return _longest_first([f for f in found if not _names_a_work(sentence[: f[0]])])


def _names_a_work(before: str) -> bool:
    """``the polemic book "X"``, ``the report X``: the name is a document's, a body's or a place's."""
    m = re.search(r"\b([a-z]+)\s*[,:]?\s*(?:the\s+)?$", before)
    return bool(m) and m.group(1) in NOT_PRACTICE  # type: ignore[union-attr]


def _longest_first(found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Overlapping finds reduced to the longest (``Mesa`` inside ``Mesa comuna``)."""
    kept: list[tuple[int, int, str, str]] = []
    for item in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if not any(item[0] < k[1] and k[0] < item[1] for k in kept):
            kept.append(item)
    return sorted(kept)
