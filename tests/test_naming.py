"""Practice names found by how a sentence introduces them (naming.py), on sentences written for these tests."""

from __future__ import annotations

import pytest

from amicall_kg.naming import introduced_names, made_things
from amicall_kg.patterns import find_candidates


def found(text: str) -> list[tuple[str, str]]:
    return [(name, how) for _, _, name, how in introduced_names(text)]


@pytest.mark.parametrize(
    ("text", "name", "how"),
    [
        ("Staff call the rota the Tuesday Table; everyone else calls it lunch.", "Tuesday Table", "naming"),
        ("The sessions, known as the Harbour Listening Hours, began in May.", "Harbour Listening Hours", "naming"),
        ("By spring the workshop had acquired a name, Spokewise, painted on the door.", "Spokewise", "naming"),
        ("Parishes set up the Northam Lantern Walk after the riot.", "Northam Lantern Walk", "create"),
        ("The grant paid for the first year of 'Southby Speaks', a phone-in.", "Southby Speaks", "create"),
        ("They turned a depot into the Eastwick Shared Pantry last year.", "Eastwick Shared Pantry", "create"),
        ("The Westfold Story Exchange was launched in 2019 by the library.", "Westfold Story Exchange", "passive"),
        ("Volunteers record 'Two Rivers Talking', a podcast in four languages.", "Two Rivers Talking", "apposition"),
        ("In the square, the choir Canu Croeso sings every Friday.", "Canu Croeso", "apposition"),
        ("Residents began a monthly newsletter, Northam Notes, last spring.", "Northam Notes", "apposition"),
        ("Youths meet at Sala Comuna (Common Room) after school.", "Sala Comuna", "gloss"),
        ('Questions go to the "Straight Talk" hotline on weekdays.', "Straight Talk hotline", "modifier"),
        ("Women are employed as Hausbesucherinnen, or home visitors, by the town.", "Hausbesucherinnen", "gloss"),
        ("We call ourselves Les Amis du Quai, the friends of the quay.", "Les Amis du Quai", "naming"),
        ("We named it Fietsen zonder Haast, cycling without hurry.", "Fietsen zonder Haast", "naming"),
        ('Its answer was "Wspólny Stół", which means shared table.', "Wspólny Stół", "naming"),
        ("The longer-term response was the Porch Light Talks: small conversations.", "Porch Light Talks", "naming"),
        ("Harbour Lantern Nights began in Northam in 2019.", "Harbour Lantern Nights", "passive"),
        ("A Mesa de Barrio - a neighbourhood table - meets monthly.", "Mesa de Barrio", "apposition"),
        ("They hired a coordinator for Dockside Pathways, a scheme of placements.", "Dockside Pathways", "apposition"),
        ('The "Northam Supper Club" is a monthly shared dinner in the halls.', "Northam Supper Club", "apposition"),
        ("Locally the garden is known simply as the Back Lot Commons.", "Back Lot Commons", "naming"),
        ("Every May brings the Sagra dei Vicini (Feast of Neighbours) to the square.", "Sagra dei Vicini", "gloss"),
        ("The Xarxa Veïnal d'Olot (Olot Neighbour Network) meets weekly.", "Xarxa Veïnal d'Olot", "gloss"),
        # small words with "the" inside a name; a capital beyond Latin-1 opening one; a gloss in lower case
        ("She reported on Old Songs on the Quay, a one-day festival of music.", "Old Songs on the Quay", "apposition"),
        ("The parish convened Żywe Podwórka, a courtyard forum, in May.", "Żywe Podwórka", "apposition"),
        ('On the square about twenty residents light Buurtlantaarns ("street lanterns").', "Buurtlantaarns", "gloss"),
        ('The town trained ten residents as Hafenlotsen, or "harbour pilots", in 2021.', "Hafenlotsen", "gloss"),
        (
            'Only later did they take a name: "Lehrbrücke Nordheim", the training bridge.',
            "Lehrbrücke Nordheim",
            "naming",
        ),
        ('"Tre Ponti" (Three Bridges in dialect) is a one-day festival each June.', "Tre Ponti", "apposition"),
        (
            "The Casa dell'Amicizia, a course of four evenings for shopkeepers, began in May.",
            "Casa dell'Amicizia",
            "apposition",
        ),
        ('On Sundays the gardeners of the estate meet in Al-Hadiqa ("the garden" in Arabic).', "Al-Hadiqa", "gloss"),
        # one word set off by dashes after a common noun
        ("In Northam, the event - Lyktefest - began in 2016 as a welcome.", "Lyktefest", "apposition"),
        # "what we call X", "call it simply X", and a gloss after "literally"
        ("In a week we had launched what we call the Pont des Voisins, in the square.", "Pont des Voisins", "naming"),
        ('Now everyone calls it simply "la table du lundi", the Monday table.', "la table du lundi", "naming"),
        ('The old shop is open three days a week as Tupa, literally "the Parlour".', "Tupa", "gloss"),
        ('Eastwick reported on Yhdessä, Finnish for "together", a monthly forum.', "Yhdessä", "gloss"),
        ("Traders brought in something they call Counter Courtesy Evenings.", "Counter Courtesy Evenings", "naming"),
        ('What the two committees came up with was "The Market Day Welcome".', "The Market Day Welcome", "naming"),
        # a name glossed between dashes; an acronym before its long form; a quoted name with a lower-case gloss
        ("It became the Werkhalle - the Work Hall - where locals fix bikes.", "Werkhalle", "gloss"),
        ("Clubs and employers meet in the RAN (Réseau d'Accueil Nordique).", "RAN", "gloss"),
        ('Since 2022 the fair has included the "blandaður kór" (mixed choir).', "blandaður kór", "gloss"),
        ("The old depot now opens on Sunday afternoons as The Depot Room.", "Depot Room", "naming"),
        ('Each week the paper runs a short item we call "True or Not Tuesday".', "True or Not Tuesday", "naming"),
        ("The result is Cnoc an Áthais, a podcast of harbour stories.", "Cnoc an Áthais", "naming"),
        ('Neighbours meet at Tír Nua (roughly, "the New Land") every Sunday.', "Tír Nua", "gloss"),
        ('Each Friday "Noches Largas" - long nights - fill the square with music.', "Noches Largas", "gloss"),
        ("The response, Safe Home Southby, was a campaign run with the churches.", "Safe Home Southby", "naming"),
        ("NIN, short for Northamer Integrationsnetz, links the college and employers.", "NIN", "gloss"),
        # "Its name is the X"; a gloss after "which means"; a lower-case name in another language after "call"
        ('Its name is the "Hafenecke", a place to drop anchor.', "Hafenecke", "naming"),
        ('The youth club opened Tupa, which means "the living room", in 2019.', "Tupa", "gloss"),
        ("Northam sent what locals call la roulotte d'accueil: a trailer.", "la roulotte d'accueil", "naming"),
        ("We call them the veilleurs de cour, the courtyard watchers.", "veilleurs de cour", "naming"),
        # "responded with X"; a comma inside the closing quote; "without" inside a name; "fitted out ... as X";
        # a gloss that names its language
        ("Northam responded with the Harbour Listening Line within a week.", "Harbour Listening Line", "naming"),
        ('Volunteers record "Two Rivers Talking," a podcast in four languages.', "Two Rivers Talking", "apposition"),
        ("She reported on Songs without Walls, a one-day festival of music.", "Songs without Walls", "apposition"),
        ("The council fitted out the old counter as the Northam Help Desk.", "Northam Help Desk", "naming"),
        ('Neighbours meet at Tír Nua (Irish for "New Land") every Sunday.', "Tír Nua", "gloss"),
    ],
)
def test_introduced_names(text: str, name: str, how: str) -> None:
    assert (name, how) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "The study was founded by the Westfold Foundation and the university.",  # an organisation, a funder
        "Her polemic book 'Gates Wide Open', a bestseller, angered the mayor.",  # a book
        "The essay quotes Anna Berg, a teacher who moved to the town.",  # a person
        "Families trace their roots to Bosnia and Kosovo, a link the club celebrates.",  # places after a preposition
        "The council runs the Ministry of Housing office.",  # an organisation word inside the name
        "Researchers noted a 'case bias' (Morgan 2019) in earlier work.",  # a citation, not a translation
        "Several reforms were introduced in the Northam Borough Council (NBC) area.",  # an acronym, not a gloss
        '"Nobody had a plan," said Jonas Albers, a former schoolteacher.',  # a person, after a speech verb
        "Present: Councillor M. Pryce (Chair); Councillors R. Hale and S. Odum.",  # a person and a role
        "Apologies were received from the Senior Policy Officer (Cohesion).",  # a job title
        "Northam is a market town of twenty thousand people.",  # a place
        "In Northam the council - Labour since 2019 - agreed the budget.",  # a body between dashes
        "We call it the living room, and people come.",  # lower case and English: a description, not a name
        "This is what they called de facto segregation.",  # a Latin phrase in English use
        "The name is not important; the meals are.",  # "name" without one
        "Tales Beyond Walls in Northam (England) filled the hall.",  # the town's country, not a translation
    ],
)
def test_organisations_works_people_and_places_are_not_practices(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Librarians began running a reading circle for parents.", "reading circle"),
        ("An old bank was turned into a welcome centre for families.", "welcome centre"),
        ("Twelve residents were trained as volunteer mediators in 2023.", "volunteer mediators"),
        ("Two community mediators were appointed by the town.", "community mediators"),
        ("Two stairwell mediators were subsequently hired by the landlord.", "stairwell mediators"),
        ("The council put up multilingual signs near the station.", "multilingual signs"),
    ],
)
def test_made_things_without_a_name(text: str, phrase: str) -> None:
    assert [p for _, _, p in made_things(text)] == [phrase]


@pytest.mark.parametrize(
    "text",
    [
        "The programme introduced a number of measures.",  # a quantity
        "The town began receiving families in 2016.",  # what people did
        "It has well-established populations dating back decades.",  # not a verb of making
        "They launched a high-level awareness raising campaign.",  # the phrase goes on past three words
    ],
)
def test_made_things_rejects_quantities_activities_and_cut_phrases(text: str) -> None:
    assert made_things(text) == []


def test_offsets_cover_the_name_and_its_quotes() -> None:
    text = "The grant paid for the first year of 'Southby Speaks', a phone-in."
    (start, end, name, _), *_ = introduced_names(text)
    assert text[start:end] == "'Southby Speaks'" and name == "Southby Speaks"


def test_a_longer_find_wins_over_a_shorter_overlapping_one() -> None:
    assert found("A supper club called Mesa comuna (Common Table) meets monthly.") == [("Mesa comuna", "gloss")]


def test_introduced_names_become_candidates_with_their_construction() -> None:
    cands = [c for c in find_candidates("Parishes set up the Northam Lantern Nights after the riot.") if c.construction]
    assert [(c.name, c.kind, c.construction) for c in cands] == [("Northam Lantern Nights", "named", "create")]


def test_the_national_scheme_is_not_a_local_practice() -> None:
    assert find_candidates("Families came under the national Safe Harbour Scheme in 2016.") == []


def test_plural_owner_stays_in_the_name() -> None:
    names = [c.name for c in find_candidates("Grants come through the Residents' Fund, which the town runs.")]
    assert names == ["Residents' Fund"]


def test_a_name_in_brackets_after_another_is_its_alias() -> None:
    (cand,) = find_candidates("Each year the town presents the Hyva Palkinto award (Good Prize award) to a club.")
    assert (cand.name, cand.alt_names) == ("Hyva Palkinto", ["Good Prize"])


def test_a_quoted_gloss_found_first_gives_way_to_the_name_it_glosses() -> None:
    cands = find_candidates('Two towns offer a course called Servir Todos ("Serving All") for desk staff.')
    assert [(c.name, c.alt_names) for c in cands if c.kind == "named"] == [("Servir Todos", ["Serving All"])]


def test_the_noun_phrase_that_describes_a_name_is_not_a_second_practice() -> None:
    cands = find_candidates('The library runs "Is Het Waar" ("Is it true"), an anti-rumour campaign with videos.')
    assert [c.name for c in cands] == ["Is Het Waar"]


def test_town_prefixed_titles_without_a_cue_noun() -> None:
    from amicall_kg.patterns import place_titled

    towns = {"Northam", "Eastwick"}.__contains__
    found = [c.name for c in place_titled("Residents call the Northam Rumour Response Line daily.", towns)]
    assert found == ["Northam Rumour Response Line"]
    for text in (
        "The Northam City Council met on Monday.",  # a body
        "She read the Eastwick Evening Herald.",  # a newspaper
        "The NORTHAM Welcome Group met.",  # capitals, not the town's name
        "Trains run from Northam Eastwick daily.",  # two towns
        "They met Anna Berg Smith at the Northam station.",  # a person; the town alone
    ):
        assert place_titled(text, towns) == [], text


def test_a_name_does_not_run_across_the_columns_of_a_table() -> None:
    from amicall_kg.patterns import place_titled

    row = "4.2.9  Northam                 Finland   Northam Informa                  Information"
    found = [c.name for c in place_titled(row, {"Northam"}.__contains__) + find_candidates(row)]
    assert not any("Finland" in name or "Information" in name for name in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Senior Policy Officer began the meeting with a minute's silence.",  # "X began": X is a job title here
        "The grant went to Northam, a town of 20,000 people.",
        "The fair in Southby (twice a year) draws crowds.",  # a lower-case gloss needs a quoted name
        "Trade is up in the EU (European Union).",  # the initials spell it, but a body is not a practice
    ],
)
def test_people_and_towns_are_not_named(text: str) -> None:
    assert [c.name for c in find_candidates(text) if c.kind != "unnamed"] == []
