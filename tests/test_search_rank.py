"""How passages lead ``similar`` to practices: stated practices first, else those of the same section."""

from __future__ import annotations

from typing import Any

from amicall_kg.search import SECTION_MAX_PRACTICES, section_rows


def _passage(report: str, section: str) -> dict[str, Any]:
    return {"report": report, "section": section}


def test_passage_without_practice_leads_to_its_sections_practices() -> None:
    records = [
        _passage("r1", "Towns / A mining town"),  # the town's history: no practice named
        _passage("r1", "Towns / A mining town"),  # states practice 4
        _passage("r1", "Towns / A mining town"),  # states practices 4 and 7
        _passage("r2", "Towns / A mining town"),  # same heading, other report: not the same section
        _passage("r1", ""),  # no section known
        _passage("r1", "Cities / A port"),  # states practice 2 only
    ]
    direct = [[], [4], [4, 7], [], [], [2]]
    assert section_rows(records, direct) == [[4, 7], [4], [4, 7], [], [], [2]]


def test_a_section_naming_many_practices_leads_nowhere() -> None:
    many = SECTION_MAX_PRACTICES + 1
    records = [_passage("r1", "Survey of cities")] * (many + 1)
    direct: list[list[int]] = [[]] + [[n] for n in range(many)]
    rows = section_rows(records, direct)
    assert rows[0] == [] and rows[1:] == direct[1:]
