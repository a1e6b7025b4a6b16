"""Where a practice happens: its place from the mention, the sentence or the context, and the
practices listed in typology tables (``type<TAB>example (CC); example, Place (CC)``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .candidates import Candidate, cue_of
from .places import STREET_WORDS, Place, norm
from .records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from .extract import _Context
    from .segments import Block

# "Welcome to <Town>" in the languages reports quote: the town at the end is the practice's place.
_WELCOME_TO = re.compile(
    r"^(?:welcome|welkom|willkommen|bienvenue|benvenuti|bienvenidos|bem-vindos?|v\u00e4lkommen|velkommen|"
    r"tervetuloa|witamy|v\u00edtejte)\s+(?:to|in|\u00e0|a|en|aus|na|do|w|i)\s+"
    r"(?P<place>[A-Z][\w\-]+(?: [A-Z][\w\-]+)?)$",
    re.IGNORECASE,
)
_ORIGIN = re.compile(r"\b(?:originated|originating|comes?|came|imported|copied|borrowed|inspired)\s+(?:in|from|by)\s+$")
_CODE_END = re.compile(r"\s*\(([A-Z]{2})\)\s*$")


def _country_of(ctx: _Context, place: Place | None, countries: list[str]) -> Place | None:
    if place is not None:
        return place if place.kind == "country" else ctx.gaz.countries.get(place.country_code)
    for code in countries:
        if code in ctx.gaz.countries:
            return ctx.gaz.countries[code]
    return None


_NAME_CONNECT = frozenset(["de", "del", "della", "dei", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "el"])


def strip_place(ctx: _Context, name: str, countries: list[str], tail_ok: bool = False) -> tuple[Place | None, str]:
    """A place at the start (or, in tables, the end) of a name (``<Town> Something``, ``Council of <Town>``)."""
    words = name.split()
    for n in (3, 2, 1):
        if len(words) > n - 1:
            head = " ".join(words[:n])
            rest = " ".join(words[n:])
            known = (
                ctx.gaz.lookup(head)
                or ctx.gaz.lookup_alt(head)
                or (rest and rest == rest.lower() and head[:1].isupper())
            )
            foreign = rest.split()[0] in _NAME_CONNECT if rest else False  # "Casa de Barrio": one name
            if head[:1].isupper() and known and not foreign and head.lower() not in STREET_WORDS:
                place = ctx.resolve(head, countries, fuzzy=tail_ok)
                if place is not None:
                    return place, rest
            tail = " ".join(words[-n:])
            if tail_ok and len(words) > n and words[-n - 1].lower() in ("of", "in") and ctx.gaz.lookup(tail):
                place = ctx.resolve(tail, countries)
                if place is not None:
                    return place, " ".join(words[: -n - 1])
    return None, name


def place_for(
    ctx: _Context, cand: Candidate, span: Span, places: list[tuple[Place, int, int]], countries: list[str]
) -> tuple[Place | None, Place | None, bool, str, str] | None:
    """(place, country, place given in the name, display name, name for keys) for a candidate."""
    name = cand.name
    core = name
    place: Place | None = None
    in_name = False
    welcome = _WELCOME_TO.match(name)
    to_place = ctx.resolve(welcome["place"], countries) if welcome else None
    if to_place is not None:
        place, in_name = to_place, True  # "Welcome to <Town>", "Welkom in <Town>": the town at the end
    elif cand.kind != "slogan":
        stripped_place, rest = strip_place(ctx, name, countries)
        if stripped_place is not None and re.fullmatch(
            r"(?i)(?:(?:city|county|district|borough|town|regional) )?council", rest
        ):
            return None  # "Northam District Council": the authority, not an initiative
        if stripped_place is not None:
            place, in_name = stripped_place, True
            if not rest:
                rest = cand.cue or ""
            if rest == rest.lower():
                cand.kind = "unnamed"
                name = rest
            core = rest
            if not rest:
                return None
        elif ctx.gaz.country(name) is not None or (
            ctx.gaz.lookup(name) and len(name.split()) == 1 and cand.construction not in ("naming", "gloss")
        ):
            return None  # the name is only a place or a country (unless the text says it names this)
        elif _only_places(ctx, name):
            return None  # "<Country> and <Country>", "Southern Europe": geography, not an initiative
    else:
        place = _slogan_place(ctx, name, cand.alt_names, countries)
        in_name = place is not None
    if place is None and cand.place_hint:
        place = ctx.resolve(cand.place_hint, countries)
        inside = [p for p, s, e in places if span.start_char <= s and e <= span.end_char and p.kind == "city"]
        if inside and not cand.attached and (place is None or place.kind != "city"):
            place, in_name = inside[0], True  # "'Hello <Town>', <Region>": the town in the name
    if place is None and cand.kind != "unnamed":
        place = _place_in_words(ctx, [name, *cand.alt_names], countries)
        in_name = place is not None
    if place is None and cand.kind == "named":
        named_country = [p for p, s, e in places if span.start_char <= s and e <= span.end_char and p.kind == "country"]
        if named_country:
            place = named_country[-1]  # "Some Broadcaster <Country>"
    if place is None:
        outside = [
            (p, s)
            for p, s, e in places
            if (e <= span.start_char or s >= span.end_char)
            and not _ORIGIN.search(ctx.sentence_text[: s - ctx.sentence_start])
        ]
        local = [(p, s) for p, s in outside if p.kind != "country"]
        before = [(p, s) for p, s in local if s < span.start_char]
        if before:
            place = _most_specific([p for p, _ in before])
            prior = [(p, s, e) for p, s, e in places if p.kind != "country" and e <= before[-1][1]]
            if prior and re.fullmatch(r",\s*", ctx.sentence_text[prior[-1][2] : before[-1][1]]):
                place = prior[-1][0]  # "X, Y": the town X in the wider place Y
        elif local:
            place = local[0][0]
        elif cand.kind == "unnamed" and ctx.cur_block_places and not cand.definite:
            place = _most_specific(ctx.cur_block_places)  # named earlier in the same paragraph
        elif cand.kind == "unnamed" and not cand.definite and not outside and not ctx.cur_block_places:
            place = ctx.context_place()  # "Librarians there began running a reading circle": the town just told of
        elif cand.kind != "unnamed":
            if ctx.cur_block_places:
                place = _most_specific(ctx.cur_block_places)
            elif ctx.heading_place is not None and ctx.heading_age <= 8:
                place = ctx.heading_place
            elif ctx.bullet and ctx.prev_block_places:
                place = ctx.prev_block_places[-1]
            elif not outside and any(p.kind == "city" for p in ctx.prev_block_places):
                place = ctx.context_place()  # the town the last paragraph was about
            elif outside:
                mid = (span.start_char + span.end_char) / 2
                place = min(outside, key=lambda ps: abs(ps[1] - mid))[0]
    if place is not None and place.kind == "country" and cand.kind == "unnamed":
        return None
    country = _country_of(ctx, place, countries)
    return place, country, in_name, name, core


def table_mentions(ctx: _Context, doc: Doc, block: Block, countries: list[str]) -> list[Mention]:
    """Practices listed in a typology table row: the first cell names an activity type."""
    cells = block.text.split("\t")
    if len(cells) < 2:
        return []
    first_end = len(cells[0])
    types = {c.kb_id_ for c in doc.spans["amc_concepts"] if c.label_ == "activity-type" and c.end_char <= first_end}
    if not types:
        return []
    out = []
    offset = first_end + 1
    for cell in cells[1:]:
        pos = 0
        for item in re.split(r";|(?<=\([A-Z]{2}\))(?=\s)", cell):
            start_in_block = offset + pos + (len(item) - len(item.lstrip()))
            pos += len(item) + (1 if cell[pos + len(item) : pos + len(item) + 1] == ";" else 0)
            text = item.strip()
            if not text or text.split()[0].lower() in ("all", "examples") or re.fullmatch(r"[\d.,% ]+", text):
                continue
            mention = _table_item(ctx, block, text, start_in_block, types, countries)
            if mention is not None:
                out.append(mention)
        offset += len(cell) + 1
    return out


def _table_item(
    ctx: _Context, block: Block, text: str, start_in_block: int, types: set[str], countries: list[str]
) -> Mention | None:
    code = _CODE_END.search(text)
    local = list(countries)
    body = text
    if code:
        country = ctx.gaz.country(code.group(1))
        if country:
            local = [country.country_code, *countries]
        body = text[: code.start()].strip()
    place: Place | None = None
    if ", " in body:
        name, where = body.rsplit(", ", 1)
        place = ctx.resolve(where, local, fuzzy=True)
        if place is None:
            name = body
    else:
        name = body
    if place is None:
        place, name = strip_place(ctx, body, local, tail_ok=True)
        if place is not None and ctx.vocab.find("actor-type", name) is not None:
            name = ""
    if kind_slogan(name):
        place = _slogan_place(ctx, name, [], local) or place
    if place is None and len(body.split()) == 1 and body[:1].isupper():
        place = ctx.resolve(body, local, fuzzy=True)
        name = "" if place else body
    kind = "named" if any(w[:1].isupper() for w in name.split()) else "unnamed"
    place_only = not name
    if not name:
        concept = ctx.vocab.get(sorted(types)[0])
        name = concept.pref_label
    if kind == "unnamed" and place is None:
        return None
    start = block.start + start_in_block
    passage = ctx.passage(start, start + len(text))
    country = _country_of(ctx, place, local)
    words = name.split()
    cue = cue_of(words[-1]) if words else None
    kind = "slogan" if kind_slogan(name) else kind
    if place_only:
        cue = "table"
    mention = Mention(ctx.report_id, name, kind, passage, cue, [], place, country, place is not None)
    mention.activity_types |= types
    return mention


def kind_slogan(name: str) -> bool:
    return bool(re.match(r"^(?:we are|i love|be|wij)\b", name.lower()))


def _most_specific(places: list[Place]) -> Place:
    """The last place named, or the town named just before it when that is its region
    ("In <Town>, in north <Region>, ...")."""
    last = places[-1]
    if len(places) >= 2 and last.kind == "region" and last not in places[:-1]:
        town = places[-2]
        if town.kind == "city" and town.country_code == last.country_code:
            return town
    return last


_GEOGRAPHY = frozenset(
    [
        "europe",
        "asia",
        "africa",
        "america",
        "americas",
        "oceania",
        "balkans",
        "scandinavia",
        "baltics",
        "mediterranean",
        "north",
        "south",
        "east",
        "west",
        "central",
        "northern",
        "southern",
        "eastern",
        "western",
    ]
)


def _only_places(ctx: _Context, name: str) -> bool:
    words = name.split()
    return len(words) > 1 and all(
        w in ("and", "of", "the")
        or (w[:1].isupper() and (w.lower() in _GEOGRAPHY or ctx.gaz.country(w) is not None or bool(ctx.gaz.lookup(w))))
        for w in words
    )


def _slogan_place(ctx: _Context, name: str, alts: list[str], countries: list[str]) -> Place | None:
    for text in [name, *alts]:
        words = re.sub(r"^(Be|Wij)([A-Z])", r"\1 \2", text).split()
        if len(words) > 1 and words[-1][:1].isupper():
            place = ctx.resolve(words[-1], countries)
            if place is not None and place.kind != "country":
                return place
    return _place_pun(ctx, [name, *alts], countries)


def _place_pun(ctx: _Context, texts: list[str], countries: list[str]) -> Place | None:
    """A city name a slogan runs into another word: ``Berlinternational``, ``amsterdam``."""
    for text in texts:
        for word in re.findall(r"[^\W\d_]{5,}", text):
            for size in range(len(word), 3, -1):
                head = word[:size].capitalize()
                found = [p for p in ctx.gaz.lookup(head) if p.kind == "city" and (p.population or 0) >= 100_000]
                if found and not ctx.common_word(head):
                    return ctx.resolve(head, countries) or found[0]
    return None


def _place_in_words(ctx: _Context, names: list[str], countries: list[str]) -> Place | None:
    """A town hidden in a name's word: a demonym-like form (``<Town>ers``) or a camel-case slogan."""
    for text in names:
        for word in re.sub(r"([a-z])([A-Z])", r"\1 \2", text).split():
            stem = re.sub(r"(?:m?mers|ers|ians|ian|ese|oise|ois)$", "", word)
            if len(stem) >= 4 and stem != word and stem[:1].isupper():
                place = ctx.resolve(stem, countries)
                if place is not None and place.kind == "city":
                    return place
    return None


def core_name(name: str) -> str:
    """Normalised name without quotes, articles, punctuation, footnote marks and trailing cue nouns."""
    key = norm(re.sub(r"[\u00b9\u00b2\u00b3\u2070-\u2079]", "", name))
    key = re.sub(r"[^\w\s]", " ", key)
    words = [w for w in key.split() if w not in ("the", "a", "an")]
    while len(words) > 1 and cue_of(words[-1]) is not None:
        words.pop()
    return " ".join(words)
