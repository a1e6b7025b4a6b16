"""Practices told as a local body's deed, found on hand-tagged sentences (no statistical model)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from amicall_kg.actions import actor_action

_VOCAB = spacy.blank("en").vocab


def tagged(text: str) -> Doc:
    """A sentence written as ``word/POS/TAG`` tokens (TAG defaults to an empty string)."""
    words, pos, tags = [], [], []
    for item in text.split():
        word, p, *tag = item.rsplit("/", 2) if item.count("/") >= 2 else (*item.rsplit("/", 1), "")
        words.append(word)
        pos.append(p)
        tags.append(tag[0] if tag else "")
    return Doc(_VOCAB, words=words, pos=pos, tags=tags, sent_starts=[True] + [False] * (len(words) - 1))


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        # the town trained twelve residents as conflict pilots
        (
            "The/DET town/NOUN trained/VERB/VBD twelve/NUM residents/NOUN as/ADP conflict/NOUN pilots/NOUN ./PUNCT",
            "twelve residents",
        ),
        # the city's press office hosted a series of breakfast meetings
        (
            "the/DET city/NOUN 's/PART press/NOUN office/NOUN hosted/VERB/VBD a/DET series/NOUN of/ADP "
            "breakfast/NOUN meetings/NOUN ./PUNCT",
            "series of breakfast meetings",
        ),
        # the team also set up a WhatsApp information line
        (
            "The/DET team/NOUN also/ADV set/VERB/VBD up/ADP a/DET WhatsApp/PROPN information/NOUN line/NOUN ./PUNCT",
            "WhatsApp information line",
        ),
        # a reception for newcomers is a practice, a reception centre is not (below)
        (
            "The/DET council/NOUN hosted/VERB/VBD a/DET reception/NOUN for/ADP new/ADJ residents/NOUN ./PUNCT",
            "reception",
        ),
        # a society as the actor, with an adverb before its verb
        (
            "The/DET rowing/NOUN society/NOUN quietly/ADV set/VERB/VBD aside/ADV two/NUM boats/NOUN for/ADP "
            "newcomers/NOUN ./PUNCT",
            "two boats",
        ),
        # the middle school twinned each class with a family
        (
            "The/DET middle/ADJ school/NOUN twinned/VERB/VBD its/PRON six/NUM classes/NOUN with/ADP new/ADJ "
            "families/NOUN ./PUNCT",
            "six classes",
        ),
        # the town archive recorded the stories of older residents
        (
            "The/DET town/NOUN archive/NOUN recorded/VERB/VBD the/DET life/NOUN stories/NOUN of/ADP older/ADJ "
            "residents/NOUN ./PUNCT",
            "life stories of older residents",
        ),
        # the library has started lending board games
        (
            "The/DET library/NOUN has/AUX started/VERB/VBN lending/VERB/VBG board/NOUN games/NOUN ./PUNCT",
            "lending board games",
        ),
    ],
)
def test_a_local_actor_doing_something_is_a_practice(sentence: str, phrase: str) -> None:
    assert actor_action(tagged(sentence)[:]) == phrase


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        # a walk was organised the following Sunday
        ("A/DET walk/NOUN was/AUX organised/VERB/VBN the/DET following/ADJ Sunday/PROPN ./PUNCT", "walk"),
        # a former bank branch was turned into a welcome centre
        (
            "A/DET former/ADJ bank/NOUN branch/NOUN was/AUX turned/VERB/VBN into/ADP a/DET welcome/NOUN centre/NOUN",
            "welcome centre",
        ),
        # volunteer mediators have been trained by the council
        (
            "Volunteer/NOUN mediators/NOUN have/AUX been/AUX trained/VERB/VBN by/ADP the/DET council/NOUN ./PUNCT",
            "Volunteer mediators",
        ),
    ],
)
def test_a_new_thing_made_in_the_passive_is_a_practice(sentence: str, phrase: str) -> None:
    assert actor_action(tagged(sentence)[:]) == phrase


@pytest.mark.parametrize(
    "sentence",
    [
        # no local actor: the weather, or residents on their own
        "The/DET weather/NOUN turned/VERB/VBD cold/ADJ ./PUNCT",
        "Residents/NOUN started/VERB/VBD bringing/VERB/VBG bikes/NOUN ./PUNCT",
        # no object: the office opened somewhere
        "A/DET neighbourhood/NOUN office/NOUN opened/VERB/VBD in/ADP a/DET former/ADJ shop/NOUN ./PUNCT",
        # paperwork, not a practice
        "The/DET council/NOUN commissioned/VERB/VBD an/DET independent/ADJ evaluation/NOUN ./PUNCT",
        # a practice told before: the definite subject of a passive
        "The/DET tournament/NOUN is/AUX organised/VERB/VBN by/ADP the/DET city/NOUN council/NOUN ./PUNCT",
        # a reception centre is the catalyst, not the practice
        "A/DET reception/NOUN centre/NOUN was/AUX opened/VERB/VBN on/ADP the/DET quay/NOUN ./PUNCT",
    ],
)
def test_other_sentences_are_not_deeds(sentence: str) -> None:
    assert actor_action(tagged(sentence)[:]) is None


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        # officers of the local police completed a course in intercultural communication
        (
            "Officers/NOUN of/ADP the/DET police/NOUN completed/VERB/VBD a/DET course/NOUN in/ADP "
            "intercultural/ADJ communication/NOUN ./PUNCT",
            "course in intercultural communication",
        ),
        # all sixty drivers have sat a two-day course on serving passengers
        (
            "All/DET sixty/NUM drivers/NOUN have/AUX sat/VERB/VBN a/DET two/NUM -/PUNCT day/NOUN course/NOUN "
            "on/ADP serving/VERB/VBG passengers/NOUN ./PUNCT",
            "two-day course on serving passengers",
        ),
        # a half-day diversity module was organised for taxi drivers (no topic: the course with its modifiers)
        (
            "A/DET half/NOUN -/PUNCT day/NOUN diversity/NOUN module/NOUN was/AUX organised/VERB/VBN for/ADP "
            "taxi/NOUN drivers/NOUN ./PUNCT",
            "half-day diversity module",
        ),
    ],
)
def test_a_course_someone_took_is_a_practice(sentence: str, phrase: str) -> None:
    assert actor_action(tagged(sentence)[:]) == phrase


@pytest.mark.parametrize(
    "sentence",
    [
        # courses in general, not one course
        "Language/NOUN courses/NOUN are/AUX common/ADJ in/ADP small/ADJ towns/NOUN ./PUNCT",
        # a course only planned: no verb told as done
        "A/DET course/NOUN for/ADP drivers/NOUN to/PART follow/VERB/VB ./PUNCT",
    ],
)
def test_courses_in_general_or_only_planned_are_not_deeds(sentence: str) -> None:
    assert actor_action(tagged(sentence)[:]) is None


def test_what_a_thing_was_reopened_as_is_the_practice_even_with_a_time_between() -> None:
    sentence = (
        "The/DET annex/NOUN was/AUX reopened/VERB/VBN this/DET season/NOUN as/ADP '/PUNCT Casa/PROPN de/ADP "
        "Todos/PROPN '/PUNCT ,/PUNCT with/ADP showers/NOUN ./PUNCT"
    )
    assert actor_action(tagged(sentence)[:]) == "Casa de Todos"
