"""Plain records passed from extraction to resolution and the graph (no spaCy, no RDF)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .places import Place


@dataclass(frozen=True)
class Passage:
    """A span of a report's text: ``Report.text()[start:end] == text``."""

    report: str
    start: int
    end: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Catalyst:
    text: str
    type_iri: str | None
    passage: Passage


@dataclass(frozen=True)
class Actor:
    label: str
    key: str
    type_iri: str | None
    passage: Passage
    place: Place | None = None


@dataclass(frozen=True)
class Outcome:
    text: str
    kind: str  # evaluation | success | failure
    factor_iris: tuple[str, ...]
    passage: Passage


@dataclass
class Mention:
    """One mention of a practice, with the facts stated around it."""

    report: str
    name: str
    kind: str  # named | slogan | unnamed
    passage: Passage
    cue: str | None = None
    alt_names: list[str] = field(default_factory=list)
    place: Place | None = None
    country: Place | None = None
    place_in_name: bool = False
    activity_types: set[str] = field(default_factory=set)
    goals: set[str] = field(default_factory=set)
    target_groups: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    catalysts: list[Catalyst] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    end_year: int | None = None
    scope: list[Passage] = field(default_factory=list)
    core: str = ""  # normalised name without place words and trailing cue nouns


@dataclass
class Practice:
    """A resolved practice: all mentions that name the same initiative."""

    key: str
    label: str
    kind: str
    alt_labels: set[str] = field(default_factory=set)
    place: Place | None = None
    country: Place | None = None
    activity_types: set[str] = field(default_factory=set)
    goals: set[str] = field(default_factory=set)
    target_groups: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    catalysts: list[Catalyst] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    end_year: int | None = None
    evidence: list[Passage] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def _place(data: dict[str, Any] | None) -> Place | None:
    return None if data is None else Place(**data)


def _passage(data: dict[str, Any]) -> Passage:
    return Passage(**data)


def mention_to_json(m: Mention) -> dict[str, Any]:
    """A mention as plain JSON data (sets become sorted lists)."""
    data = asdict(m)
    for key in ("activity_types", "goals", "target_groups", "roles"):
        data[key] = sorted(data[key])
    return data


def mention_from_json(data: dict[str, Any]) -> Mention:
    """The inverse of ``mention_to_json``."""
    m = Mention(
        report=data["report"], name=data["name"], kind=data["kind"], passage=_passage(data["passage"]),
        cue=data.get("cue"), alt_names=list(data.get("alt_names", [])), place=_place(data.get("place")),
        country=_place(data.get("country")), place_in_name=bool(data.get("place_in_name")),
        years=list(data.get("years", [])), end_year=data.get("end_year"), core=data.get("core", ""),
    )  # fmt: skip
    for key in ("activity_types", "goals", "target_groups", "roles"):
        getattr(m, key).update(data.get(key, []))
    m.catalysts = [Catalyst(c["text"], c["type_iri"], _passage(c["passage"])) for c in data.get("catalysts", [])]
    m.actors = [
        Actor(a["label"], a["key"], a["type_iri"], _passage(a["passage"]), _place(a.get("place")))
        for a in data.get("actors", [])
    ]
    m.outcomes = [
        Outcome(o["text"], o["kind"], tuple(o["factor_iris"]), _passage(o["passage"])) for o in data.get("outcomes", [])
    ]
    m.scope = [_passage(p) for p in data.get("scope", [])]
    return m
