"""Context stated in a situation's own words, recognised with the project's real SKOS vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest

from amicall_kg.context import find_place, find_spans, recognise
from amicall_kg.vocab import Vocabulary, load_vocabulary

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary(ONTOLOGY)


def test_issue_example_yields_size_country_and_catalyst(vocab: Vocabulary) -> None:
    found = recognise("a small town in eastern Germany where far-right groups are growing", vocab)
    assert found.size == "small town"
    assert found.country == "Germany"
    assert "countering negative discourse" in found.catalysts


@pytest.mark.parametrize(
    ("text", "catalyst"),
    [
        ("residents show open hostility towards migrants", "countering negative discourse"),
        ("xenophobic protests outside the town hall", "countering negative discourse"),
        ("right-wing extremism is rising among young people", "countering negative discourse"),
        ("anti-refugee sentiment after the elections", "countering negative discourse"),
        ("far-right violence against a shelter", "violent incident"),
        ("a far-right party won seats in the council", "national debate"),
    ],
)
def test_multi_word_catalyst_labels(vocab: Vocabulary, text: str, catalyst: str) -> None:
    assert recognise(text, vocab).catalysts == (catalyst,)


def test_longest_label_wins_and_its_words_are_not_read_again(vocab: Vocabulary) -> None:
    spans = find_spans("after far-right violence, hostility towards migrants grew", vocab, "catalyst-type")
    assert [(c.pref_label, words) for c, words, _, _ in spans] == [
        ("violent incident", "far right violence"),
        ("countering negative discourse", "hostility towards migrants"),
    ]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("a village in eastern Germany", "Germany"),
        ("a city in Western Poland", "Poland"),
        ("a town in northern Italy", "Italy"),
        ("rural southern Spain", "Spain"),
        ("a port in north-east England", "United Kingdom"),
        ("a village in south-western France", "France"),
        ("in the east of Austria", "Austria"),
        ("a town in Northern Ireland", "United Kingdom"),
        ("a township in South Africa", "South Africa"),
        ("a town in Central Europe", None),  # a region, and no town called Central
    ],
)
def test_direction_before_a_country(text: str, country: str | None) -> None:
    assert find_place(text)[0] == country
