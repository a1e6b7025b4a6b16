"""Tiny corpus, practices and vocabulary for the search tests (invented text, no model needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from amicall_kg.corpus import Report, load_corpus
from amicall_kg.manifest import FORMAT, checksum_files, write_manifest
from amicall_kg.vocab import Concept, Vocabulary

V = "https://w3id.org/amicall/vocab/"

REPORT_A = """Local communication report

Northbridge is a small town of 12,000 inhabitants. After an arson attack on a hostel for asylum seekers, \
the mayor launched a series of neighbourhood dialogue evenings. Residents, police and newcomers met in the \
town hall every month. The evenings reduced tension and were copied by two neighbouring villages.

Southport is a large port city. Its council runs a myth-busting leaflet campaign against rumours about \
migrants claiming benefits. Volunteers were trained as rumour responders who answer false stories in cafes. \
The campaign reached 40,000 households in its first year.

Harbour statistics
Country\tShare\tYear
Examplia\t8.5\t2010
"""

REPORT_B = """Briefing on smaller places

Eastvale, a village in the hills, built a community garden where long-standing residents and refugee \
families grow vegetables together. The garden started when refugees arrived in large numbers in 2015. \
It gives women from both groups a place to meet.

Westmoor city hosts an annual food festival with dishes from every community in the city. \
The festival is funded by the city council and attracts 20,000 visitors.
"""


def write_corpus(root: Path) -> list[Report]:
    (root / "reports").mkdir(parents=True)
    (root / "reports" / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (root / "reports" / "b.txt").write_text(REPORT_B, encoding="utf-8")
    entries = []
    for rid, name in (("report-a", "a.txt"), ("report-b", "b.txt")):
        entries.append(
            f'[[report]]\nid = "{rid}"\nfile = "reports/{name}"\ntitle = "T {rid}"\nauthors = ["A"]\n'
            f'year = 2020\npublisher = "P"\nsource = "S"\nlanguage = "en"\nlicence = "L"\n'
        )
    (root / "reports.toml").write_text("\n".join(entries), encoding="utf-8")
    return load_corpus(root)


def seal_version(version: Path) -> None:
    """Write a manifest with the checksums of every file in ``version``, as a build does last."""
    write_manifest(version, {"format": FORMAT, "version": version.name, "files": checksum_files(version)})


def _evidence(report: str, text: str, phrase: str) -> dict[str, Any]:
    start = text.index(phrase)
    return {
        "report": report,
        "passage": f"{report}#{start}",
        "text": phrase,
        "start": start,
        "end": start + len(phrase),
        "page": None,
    }


def practices() -> list[dict[str, Any]]:
    """Four practices in the DESIGN 3.1 shape, with evidence offsets into the fixture reports."""

    def practice(key: str, **fields: Any) -> dict[str, Any]:
        base: dict[str, Any] = {
            "iri": f"https://w3id.org/amicall/id/practice/{key}",
            "label": key,
            "description": "",
            "place": None,
            "country": None,
            "activity_types": [],
            "catalysts": [],
            "actors": [],
            "outcomes": [],
            "goals": [],
            "target_groups": [],
            "alt_labels": [],
            "population": None,
            "evidence": [],
        }
        base.update(fields)
        return base

    return [
        practice(
            "Neighbourhood dialogue evenings",
            place="Northbridge",
            country="Germany",
            population=12000,
            activity_types=["dialogue processes"],
            catalysts=[{"label": "arson attack", "type": "violent incident"}],
            target_groups=["general public"],
            evidence=[
                _evidence("report-a", REPORT_A, "the mayor launched a series of neighbourhood dialogue evenings")
            ],
        ),
        practice(
            "Rumour responders campaign",
            place="Southport",
            country="United Kingdom",
            population=900000,
            activity_types=["information campaigns"],
            catalysts=["rumours"],
            goals=["countering myths"],
            evidence=[_evidence("report-a", REPORT_A, "Volunteers were trained as rumour responders")],
        ),
        practice(
            "Community garden",
            place="Eastvale",
            country="Germany",
            population=3000,
            activity_types=["physical spaces"],
            catalysts=["arrival of refugees"],
            target_groups=["women"],
            evidence=[_evidence("report-b", REPORT_B, "built a community garden where long-standing residents")],
        ),
        practice(
            "Food festival",
            place="Westmoor",
            country="Netherlands",
            population=250000,
            activity_types=["intercultural festivals"],
            catalysts=["funding"],
            evidence=[_evidence("report-b", REPORT_B, "hosts an annual food festival with dishes")],
        ),
    ]


def vocabulary() -> Vocabulary:
    """A small SKOS-like vocabulary: the schemes search uses, with labels only."""

    def c(scheme: str, label: str, *alts: str, low: int | None = None, high: int | None = None) -> Concept:
        return Concept(
            iri=V + scheme + "/" + label.replace(" ", "-"),
            scheme=scheme,
            pref_label=label,
            alt_labels=alts,
            definition=label,
            broader=(),
            min_population=low,
            max_population=high,
        )

    return Vocabulary(
        (
            c("activity-type", "dialogue processes", "dialogue", "forum"),
            c("activity-type", "information campaigns", "leaflet campaign"),
            c("activity-type", "physical spaces", "community centre", "garden"),
            c("activity-type", "intercultural festivals", "festival"),
            c("activity-type", "city branding"),
            c("catalyst-type", "violent incident", "attack", "arson", "far-right violence"),
            c("catalyst-type", "rumours", "rumour", "myth"),
            c("catalyst-type", "arrival of refugees", "refugees arrived", "new arrivals"),
            c("catalyst-type", "funding", "grant"),
            c("goal", "countering myths", "myth-busting"),
            c("target-group", "general public", "residents"),
            c("target-group", "women"),
            c("place-size", "village", low=0, high=5000),
            c("place-size", "small town", "town", low=5000, high=50000),
            c("place-size", "medium-sized city", "city", low=50000, high=500000),
            c("place-size", "large city", "big city", low=500000),
        )
    )
