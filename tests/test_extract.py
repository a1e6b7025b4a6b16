"""Extraction with the blank pipeline on tiny texts written for these tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from amicall_kg.corpus import Report
from amicall_kg.extract import extract_text, load_pipeline
from amicall_kg.patterns import find_candidates
from amicall_kg.resolve import resolve
from amicall_kg.segments import english_quotes
from amicall_kg.settings import load_settings
from amicall_kg.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def vocab() -> Any:
    return load_vocabulary(ROOT / "ontology")


@pytest.fixture(scope="session")
def nlp(vocab: Any) -> Any:
    return load_pipeline(load_settings(env={}), vocab, blank=True)


def names(text: str) -> list[tuple[str, str]]:
    return [(c.name, c.kind) for c in find_candidates(text)]


def test_quoted_name_with_cue_noun() -> None:
    assert ("Open Doors", "named") in names("In 2015 the council launched the 'Open Doors' campaign for newcomers.")


def test_title_case_name_before_cue_noun() -> None:
    assert ("Harbour Voices", "named") in names("Locals built the Harbour Voices network with two churches.")


def test_acronym_becomes_alternative_name() -> None:
    cands = find_candidates("The Neighbours Meet Regularly Initiative (NMRI) brings residents together.")
    assert cands[0].name == "Neighbours Meet Regularly Initiative" and cands[0].alt_names == ["NMRI"]


def test_branded_slogans() -> None:
    found = names("Branding ranged from (We are Lyon) to I love Tampere and BeGdansk.")
    assert {n for n, k in found if k == "slogan"} == {"We are Lyon", "I love Tampere", "BeGdansk"}


def test_a_quoted_slogan_after_a_colon_or_a_strapline_is_a_slogan() -> None:
    found = names('Locals came up with a slogan for the town: "Only the clay is fragile", printed on mugs.')
    assert ("Only the clay is fragile", "slogan") in found
    found = names('It grew under the strapline "One Valley for Every Table".')
    assert ("One Valley for Every Table", "slogan") in found


def test_quoted_word_without_cue_is_not_a_practice() -> None:
    assert names("Officials preferred the term 'inclusion' to 'cohesion' in their speeches.") == []


def test_unnamed_initiative_needs_a_place(nlp: Any, vocab: Any) -> None:
    text = "Every spring the town of Tampere holds a bread festival for all residents.\nA bread festival is fun.\n"
    mentions = extract_text("t", text, nlp, vocab)
    assert [(m.name, m.kind, m.place.name if m.place else None) for m in mentions] == [
        ("bread festival", "unnamed", "Tampere")
    ]


def test_place_disambiguated_by_country_context(nlp: Any, vocab: Any) -> None:
    text = "In Hamilton, New Zealand, the council launched the 'Kiwi Welcome' campaign.\n"
    (mention,) = extract_text("t", text, nlp, vocab)
    assert mention.place is not None and mention.place.country_code == "NZ"
    text = "In Hamilton, Scotland, the council launched the 'Clyde Welcome' campaign.\n"
    (mention,) = extract_text("t", text, nlp, vocab)
    assert mention.place is not None and mention.place.country_code == "GB"
    text = "Hamilton launched the 'Lake Welcome' campaign.\n"  # no context: the most populous one
    (mention,) = extract_text("t", text, nlp, vocab)
    assert mention.place is not None and mention.place.country_code == "CA"


def test_catalyst_and_year_linked(nlp: Any, vocab: Any) -> None:
    text = (
        "After a violent attack on a refugee shelter in 2016, Leipzig launched the 'Open Leipzig' campaign.\n"
        "The campaign was funded by the federal integration fund.\n"
    )
    (practice,) = resolve(extract_text("t", text, nlp, vocab))
    types = {c.type_iri.rsplit("/", 1)[-1] for c in practice.catalysts if c.type_iri}
    assert {"violent-incident", "funding"} <= types
    assert 2016 in practice.years and practice.country is not None and practice.country.country_code == "DE"


def test_offsets_are_exact(nlp: Any, vocab: Any) -> None:
    text = "Intro line.\n\n  In Lyon, the \u201cTable Ouverte\u201d forum meets monthly.\u00b9 More text follows.\n"
    mentions = extract_text("t", text, nlp, vocab)
    assert mentions
    for m in mentions:
        assert text[m.passage.start : m.passage.end] == m.passage.text
        assert "Table Ouverte" in m.passage.text


def test_resolution_across_two_reports(nlp: Any, vocab: Any) -> None:
    a = "In Bergen, Norway, the city launched the 'Bergen Together' programme in 2010.\n"
    b = "Officials praised Bergen Together as a model.\nThe Bergen Together programme was evaluated in 2014.\n"
    mentions = extract_text("a", a, nlp, vocab) + extract_text("b", b, nlp, vocab)
    practices = resolve(mentions, {"a": a, "b": b})
    together = [p for p in practices if "Together" in p.label]
    assert len(together) == 1
    assert {p.report for p in together[0].evidence} == {"a", "b"}


def test_report_title_words_are_not_practices(tmp_path: Path) -> None:
    found = find_candidates("The SUNRISE project studied towns.", frozenset({"SUNRISE"}))
    assert found == []


def make_report(tmp_path: Path, rid: str, text: str) -> Report:
    path = tmp_path / f"{rid}.txt"
    path.write_text(text, encoding="utf-8")
    return Report(rid, path.name, "A test report", ("A",), 2020, "P", "S", "en", "L", path)


def test_practice_table_rows_are_practices(nlp: Any, vocab: Any) -> None:
    text = (
        "Table 2 lists the cases.\n\n"
        "| Town | Country | Initiative | Since |\n"
        "|---|---|---|---|\n"
        "| Tampere | Finland | Kahvila Kaikille (Cafe for All) | 2016 |\n"
        "| Hamilton | Canada | Lantern Walk | 2019 |\n"
    )
    found = {m.name: m for m in extract_text("t", text, nlp, vocab)}
    assert set(found) == {"Kahvila Kaikille", "Lantern Walk"}
    cafe = found["Kahvila Kaikille"]
    assert cafe.alt_names == ["Cafe for All"] and cafe.place is not None and cafe.place.name == "Tampere"
    walk = found["Lantern Walk"]
    assert walk.place is not None and walk.place.country_code == "CA"  # the country column decides
    assert text[walk.passage.start : walk.passage.end].startswith("| Hamilton | Canada")


def test_a_table_without_an_initiative_column_lists_no_practices(nlp: Any, vocab: Any) -> None:
    text = "| Town | Country | Population |\n|---|---|---|\n| Tampere | Finland | 250,000 |\n"
    assert extract_text("t", text, nlp, vocab) == []


@pytest.mark.parametrize(
    ("text", "town"),
    [
        pytest.param('The city printed a guide, "Welkom in Tampere", in ten languages.\n', "Tampere", id="welcome-to"),
        pytest.param(
            "We arrived in Tampere in June, after a week in Bergen.\n\nThey call it the Long Table Supper.\n",
            "Tampere",
            id="the-paragraph-before",
        ),
        pytest.param(
            "03/03 Tampere - met the harbour master at noon.\n\n- The harbour office set up the Quay Supper Club.\n",
            "Tampere",
            id="a-notebook-line-led-by-date-and-town",
        ),
        pytest.param(
            "In Znojmo the library set up the Harbour Supper Club (www.znojmo.example, @znojmo.library).\n",
            "Znojmo",
            id="a-web-address-is-not-a-common-word",
        ),
    ],
)
def test_the_one_practice_is_placed_in_its_town(nlp: Any, vocab: Any, text: str, town: str) -> None:
    (mention,) = extract_text("t", text, nlp, vocab)
    assert mention.place is not None and mention.place.name == town


def test_the_town_is_more_specific_than_its_region(nlp: Any, vocab: Any) -> None:
    text = "In Wrexham, in north Wales, the choir Canu Croeso rehearses on Tuesdays.\n"
    (mention,) = extract_text("t", text, nlp, vocab)
    assert mention.name == "Canu Croeso" and mention.place is not None and mention.place.name == "Wrexham"


def test_the_report_title_line_is_not_a_practice(nlp: Any, vocab: Any) -> None:
    title = "Annual Review of the Harbour Towns Learning Network"
    text = f"{title}\n\nIn Tampere the library set up the Tampere Story Exchange in 2019.\n"
    assert [m.name for m in extract_text("t", text, nlp, vocab, title=title)] == ["Tampere Story Exchange"]


def test_an_acronym_and_its_long_form_are_one_practice(nlp: Any, vocab: Any) -> None:
    text = "In Tampere the council built TAWK, the Tampere Arrivals Welcome Kit, for families in 2020.\n"
    practices = resolve(extract_text("t", text, nlp, vocab))
    assert len(practices) == 1
    assert {practices[0].label, *practices[0].alt_labels} >= {"TAWK", "Tampere Arrivals Welcome Kit"}


def test_a_square_named_like_a_town_is_not_a_place(nlp: Any, vocab: Any) -> None:
    from amicall_kg.places import get_gazetteer

    assert get_gazetteer().lookup("Piazza"), "the gazetteer no longer has a town called Piazza"
    doc = nlp("The Bread Festival is held in Piazza Garibaldi every May.")
    assert [s.text for s in doc.spans["amc_places"]] == []
    doc = nlp("The Bread Festival is held in Piazza every May.")
    assert [s.text for s in doc.spans["amc_places"]] == ["Piazza"]


def test_a_church_named_after_its_saint_is_not_the_town_of_that_name(nlp: Any) -> None:
    doc = nlp("Volunteers in Tampere repaired the parish hall of San Juan and the chapel of St Albans.")
    assert [s.text for s in doc.spans["amc_places"]] == ["Tampere"]
    doc = nlp("Volunteers from San Juan and St Albans repaired the hall.")
    assert [s.text for s in doc.spans["amc_places"]] == ["San Juan", "St Albans"]


def test_transcript_speaker_labels_are_not_practices(nlp: Any, vocab: Any) -> None:
    text = (
        "MODERATOR (Jane Doe): Welcome, everyone.\n\n"
        "TOM REED: In Tampere we set up the Harbour Supper Club in 2019, and PAIR came later.\n"
    )
    assert sorted(m.name for m in extract_text("t", text, nlp, vocab)) == ["Harbour Supper Club"]


def test_a_month_is_not_the_town_of_that_name(nlp: Any) -> None:
    from amicall_kg.places import get_gazetteer

    assert get_gazetteer().lookup("March"), "the gazetteer no longer has a town called March"
    doc = nlp("The repair cafe reopened in March in Tampere.")
    assert [s.text for s in doc.spans["amc_places"]] == ["Tampere"]


def test_a_language_in_a_list_of_languages_is_not_a_town(nlp: Any) -> None:
    from amicall_kg.places import get_gazetteer

    assert get_gazetteer().lookup("Dari"), "the gazetteer no longer has a town called Dari"
    doc = nlp("In Tampere the town posts videos in Arabic, Dari and Ukrainian.")
    assert [s.text for s in doc.spans["amc_places"]] == ["Tampere"]
    doc = nlp("The choir toured Tampere, Dari and Bergen.")  # towns listed together stay towns
    assert "Dari" in [s.text for s in doc.spans["amc_places"]]


def test_a_bullet_and_a_numbered_heading_name_their_towns(nlp: Any) -> None:
    doc = nlp("- In Tampere, the library holds a repair evening every week.")
    assert [s.text for s in doc.spans["amc_places"]] == ["Tampere"]
    for heading, places in (("3.2 Tampere", ["Tampere"]), ("3.2 Tampere and its villages", [])):
        doc = nlp(heading)
        assert [s.text for s in doc.spans["amc_places"]] == places


def test_the_czech_republic_is_not_a_town_called_republic(nlp: Any) -> None:
    doc = nlp("Parents in the Czech Republic asked for interpreters.")
    assert "Republic" not in [s.text for s in doc.spans["amc_places"]]


def test_a_dateline_state_abbreviation_gives_the_country() -> None:
    from amicall_kg.places import get_gazetteer

    gazetteer = get_gazetteer()
    assert [p.name for p in gazetteer.lookup("Minn.")] == ["Minnesota"]
    assert {p.country_code for p in gazetteer.lookup("Man.")} == {"CA"}
    assert "CA" not in {p.country_code for p in gazetteer.lookup("man")}


def test_a_council_named_after_its_area_is_not_a_practice(nlp: Any, vocab: Any) -> None:
    text = "In Scunthorpe, North Lincolnshire Council and the library launched the Harbour Lantern Walk.\n"
    assert [m.name for m in extract_text("t", text, nlp, vocab)] == ["Harbour Lantern Walk"]


def test_a_described_practice_beside_a_named_one_is_not_counted_twice(nlp: Any, vocab: Any) -> None:
    """Usually the description retells the named practice ("forty plots, the X gardens"). The cost, seen
    here: a distinct described practice in the same sentence is lost too. Measured on the 33 held-out
    reports (2026-11-23 23:07): 29 fewer false positives, no gold practice lost."""
    text = "In Tampere the council opened a weekly repair cafe in Tampere and launched the 'Harbour Voices' campaign.\n"
    assert [(m.name, m.kind) for m in extract_text("t", text, nlp, vocab)] == [("Harbour Voices", "named")]


def test_a_town_and_its_own_district_are_one_place(nlp: Any, vocab: Any) -> None:
    from amicall_kg.places import get_gazetteer

    kinds = sorted(p.kind for p in get_gazetteer().lookup("Znojmo"))
    assert kinds == ["city", "region"], "the gazetteer no longer has Znojmo and its district alone"
    (mention,) = extract_text("t", "In Znojmo the library set up the Harbour Supper Club in 2019.\n", nlp, vocab)
    assert mention.place is not None and (mention.place.name, mention.place.kind) == ("Znojmo", "city")


def test_a_paragraph_led_by_its_town_and_a_colon_names_that_town(nlp: Any) -> None:
    doc = nlp("- Znojmo: the library lends bicycles to newcomers.")
    assert [s.text for s in doc.spans["amc_places"]] == ["Znojmo"]
    doc = nlp("Znojmo: We lend bicycles.")  # a speaker's turn, not a town's paragraph
    assert [s.text for s in doc.spans["amc_places"]] == []


def test_three_letter_country_codes_count_only_in_capitals() -> None:
    from amicall_kg.places import get_gazetteer

    gazetteer = get_gazetteer()
    assert [p.name for p in gazetteer.lookup("AUT")] == ["Austria"]
    assert gazetteer.country("AUT") is not None and gazetteer.country("AUT").country_code == "AT"  # type: ignore[union-attr]
    assert not [p for p in gazetteer.lookup("Dom") if p.kind == "country"]  # a word, not the Dominican Republic


def test_mail_headers_name_people_not_practices(nlp: Any, vocab: Any) -> None:
    text = (
        "From: Tom Reed (Housing Options)\nTo: Ann Lee; Bo Park\n\n"
        "> From: Rhian Morgan (Communications)\n\n"
        "In Znojmo the library set up the Harbour Supper Club in 2019.\n"
    )
    assert [m.name for m in extract_text("t", text, nlp, vocab)] == ["Harbour Supper Club"]


def test_a_town_brand_in_quotes_is_a_slogan() -> None:
    sentence = 'The manager presented the new town brand, "Eastwick Belongs", for banners and signs.'
    assert ("Eastwick Belongs", "slogan") in names(sentence)


def test_a_plural_name_told_mid_sentence_is_a_practice_but_a_heading_is_not() -> None:
    assert ("Porch Step Conversations", "named") in names("Around forty of these Porch Step Conversations took place.")
    assert names("Local Conversations") == []
    assert names("Cases are passed to the Regional Reception Support Services in town.") == []


def test_walks_circles_choirs_and_trails_are_cue_nouns() -> None:
    assert ("Riverside Memory Walks", "named") in names("The Riverside Memory Walks take visitors through the town.")
    assert ("Harbour Employers' Circle", "named") in names("Firms now meet in the Harbour Employers' Circle monthly.")


def test_a_weekend_is_a_cue_noun() -> None:
    assert ("Lough Tides", "named") in names("Each August the Lough Tides weekend mixes dances from two lands.")


def test_a_one_word_name_after_its_cue_noun_is_a_name() -> None:
    assert ("Lyktefest", "named") in names("Volunteers run the neighbour festival Lyktefest, held every August.")
    assert names("They ran the campaign Europe-wide.") == []  # an adverb, not a name


def test_guillemets_and_low_high_quotes_become_english_quotes_of_the_same_length() -> None:
    text = "It is called \u00abGrannkv\u00e4ll\u00bb (Evening); Vimpeli runs \u201eWir am Fluss\u201c."
    plain = english_quotes(text)
    assert plain == "It is called \u201cGrannkv\u00e4ll\u201d (Evening); Vimpeli runs \u201cWir am Fluss\u201d."
    assert len(plain) == len(text)
    assert ("Wir am Fluss", "named") not in names(text)  # no rule reads the marks of other typographies ...
    assert ("Grannkv\u00e4ll", "named") in [(c.name, c.kind) for c in find_candidates(plain)]  # ... so: translated


def test_a_name_in_guillemets_is_found_and_its_passage_cites_the_source_text(nlp: Any, vocab: Any) -> None:
    text = "In Tampere the service is called \u00abGrannkv\u00e4ll\u00bb (Evening) and runs for two years.\n"
    [mention] = extract_text("t", text, nlp, vocab)
    assert mention.name == "Grannkv\u00e4ll" and mention.place is not None and mention.place.name == "Tampere"
    assert "\u00abGrannkv\u00e4ll\u00bb" in mention.passage.text


def test_a_festival_named_in_its_own_language_is_a_festival() -> None:
    found = [(c.name, c.cue) for c in find_candidates("Music filled the cloister for the Festa dei Vicini last June.")]
    assert ("Festa dei Vicini", "festival") in found


def test_a_smaller_gazetteer_setting_reaches_tagging_and_resolution(vocab: Any) -> None:
    from amicall_kg.places import get_gazetteer

    assert not get_gazetteer(5000).lookup("Vimpeli") and get_gazetteer(1000).lookup("Vimpeli")
    text = "In Vimpeli, Finland, the library set up the Harbour Supper Club in 2019.\n"
    small = load_pipeline(load_settings(env={"AMICALL_PLACE_MIN_POPULATION": "1000"}), vocab, blank=True)
    (mention,) = extract_text("t", text, small, vocab)
    assert mention.place is not None and mention.place.name == "Vimpeli"


def test_a_town_named_far_from_its_country_takes_the_country_the_report_names_most(nlp: Any, vocab: Any) -> None:
    # A town of 6,700 people needs a country nearby; after six others named in passing, the report's own
    # country (named twice) is the context.
    others = "Visitors came from Spain, Italy, France, Greece, Malta and Cyprus.\n\n"
    story = "In Ikaalinen, the library set up the Lakeside Supper Club in 2019.\n"
    named_twice = "Finland has many small towns.\n\nThe towns of Finland welcome newcomers.\n\n"
    (mention,) = extract_text("t", named_twice + others + story, nlp, vocab)
    assert mention.place is not None and mention.place.name == "Ikaalinen"
    (mention,) = extract_text("t", "Finland has many small towns.\n\n" + others + story, nlp, vocab)
    assert mention.place is None  # named once, a country is no more the report's than the six others
