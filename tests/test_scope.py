"""Funds, national and supranational instruments and research projects are not local practices."""

from __future__ import annotations

import pytest

from amicall_kg.candidates import Candidate
from amicall_kg.patterns import find_candidates
from amicall_kg.scope import beyond_local


def _judge(sentence: str, name: str, kind: str = "named") -> bool:
    start = sentence.index(name)
    return beyond_local(sentence, Candidate(start, start + len(name), name, kind))


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Several grantees drew on the EU's Northern Cohesion Fund for their match funding.", "Northern Cohesion Fund"),
        ("Its theatre work is rooted in the Council of Europe's Open Stages network.", "Open Stages"),
        ("The work was co-financed by the Border Towns Programme and by the Lake Programme.", "Lake Programme"),
        ("The scheme was set up with a grant from the Austrian Belonging Fund.", "Austrian Belonging Fund"),
        ('The office is paid for by the federal-state urban programme "Good Streets".', "Good Streets"),
        ("This note leaves out national schemes such as the Civic Start Contract and the Welcome Act.", "Welcome Act"),
        ("The university ran a three-year research project called TOWNMIG on reception policy.", "TOWNMIG"),
        (
            "Several partners used the Asylum, Migration and Shelter Fund for match funding.",
            "Migration and Shelter Fund",
        ),
        ("Questions about the National Heritage Renewal Fund go to the ministry.", "National Heritage Renewal Fund"),
        ("Partners received Interreg Lakes-Hills money before.", "Interreg Lakes-Hills"),
        ("Reception runs through national systems such as the Civic Care Scheme.", "Civic Care Scheme"),
        ("Surveys were undertaken by the European Commission (Eurobarometer) and others.", "European Commission"),
    ],
)
def test_instruments_beyond_the_town_are_not_practices(sentence: str, name: str) -> None:
    assert _judge(sentence, name)


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Northam Kicks, a football league run by the town, now has twelve teams.", "Northam Kicks"),
        ("Grants are paid from the Eastwick Fund, which the town set up in 2019 with a bank.", "Eastwick Fund"),
        ("The council funded the Long Table Supper from its own budget.", "Long Table Supper"),
        ("The federal government praised the Harbour Voices festival in Eastwick.", "Harbour Voices"),
    ],
)
def test_local_practices_stay(sentence: str, name: str) -> None:
    assert not _judge(sentence, name)


def test_the_detector_drops_a_supranational_fund_but_keeps_the_practice_it_paid_for() -> None:
    sentence = "With money from the EU's Shared Futures Fund, Eastwick set up the Harbour Voices festival."
    found = [c.name for c in find_candidates(sentence) if not beyond_local(sentence, c)]
    assert found == ["Harbour Voices"]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Officers would not cite the EU-funded BRIDGE projects that councils ran before 2020.", "EU-funded BRIDGE"),
        ("The Welsh Government's Open Nation plan sets the national framework.", "Open Nation"),
        ("Note that the Start Programme itself is national law and the same everywhere.", "Start Programme"),
    ],
)
def test_names_the_text_calls_national_or_european_are_not_practices(sentence: str, name: str) -> None:
    assert _judge(sentence, name)
