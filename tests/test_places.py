"""Gazetteer look-ups and disambiguation."""

from __future__ import annotations

from amicall_kg.places import Gazetteer, get_gazetteer, norm


def test_gazetteer_is_cached() -> None:
    assert get_gazetteer() is get_gazetteer()


def test_country_forms() -> None:
    gaz = get_gazetteer()
    assert gaz.country("UK").country_code == "GB"  # type: ignore[union-attr]
    assert gaz.country("Dutch").country_code == "NL"  # type: ignore[union-attr]
    assert gaz.country("Netherlands").country_code == "NL"  # type: ignore[union-attr]
    assert gaz.country("Atlantis") is None


def test_choose_prefers_context_country_then_population() -> None:
    gaz = get_gazetteer()
    cands = gaz.lookup("Hamilton")
    assert Gazetteer.choose(cands, ["NZ"]).country_code == "NZ"  # type: ignore[union-attr]
    assert Gazetteer.choose(cands, []).country_code == "CA"  # type: ignore[union-attr]


def test_small_homonym_needs_context() -> None:
    gaz = get_gazetteer()
    assert Gazetteer.choose(gaz.lookup("Welcome"), [], min_population=50_000) is None


def test_fuzzy_within_country_and_accents() -> None:
    gaz = get_gazetteer()
    assert norm("Zürich") == norm("Zurich")
    assert any(p.name == "Kecskemét" for p in gaz.fuzzy("Kecskemte", "HU"))
