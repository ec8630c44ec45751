"""The catalogue of messages outside the rules (closing, next cycle, refused changes): every message in every
language, with the same placeholders."""

from string import Formatter

import pytest

from addon.domain.board.card_text import parse_kr_description, plain_text
from addon.domain.method.messages import MESSAGES, say
from addon.domain.method.rule_messages import LANGUAGES
from addon.domain.numbers import NumberError, parse_number
from addon.domain.sync.meaning import annotation, read_card


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_is_written_in_every_language_with_the_same_placeholders(key):
    assert set(MESSAGES[key]) == set(LANGUAGES)
    english = placeholders(MESSAGES[key]["en"])
    for language in LANGUAGES:
        assert MESSAGES[key][language].strip(), language
        assert placeholders(MESSAGES[key][language]) == english, language
        assert "{" not in say(key, language, **dict.fromkeys(english, "x"))


def test_a_french_message_is_french_and_a_language_the_catalogue_lacks_gets_english():
    assert say("close.done", "fr", name="T1") == "T1 est clos et en lecture seule."
    assert say("close.done", "de", name="Q1") == "Q1 is closed and read-only."


def test_a_french_card_problem_and_the_note_under_the_cards_line_are_french():
    parsed = parse_kr_description("<p>Cible : 5 · Actuel : 2 · Score : abc · Score : 0,2</p>", "fr")
    assert parsed.problems == ["Score : le champ apparaît 2 fois ; n'en gardez qu'un."]
    (problem,) = parse_kr_description("<p>Actuel : 2 · Score : abc</p>", "fr").problems
    assert problem == "Score : « abc » n'est pas un score (écrivez 0,7 ou 70 %)."
    assert read_card({"description": "<p>Score : abc</p>", "dueDate": "demain"}, "fr").problems == {
        "score": problem,
        "due": "Échéance : « demain » n'est pas une date.",
    }
    note = plain_text(annotation({"score": problem}, "fr"))
    assert note == "⚠ Score « abc » n'est pas un score (écrivez 0,7 ou 70 %). La valeur enregistrée est gardée."
    english = parse_kr_description("<p>Current: 2 · Score: abc</p>", "en").problems
    assert english == ["Score: 'abc' is not a score (write 0.7 or 70%)."]


def test_a_number_problem_is_french_on_a_french_card_and_keeps_its_english_words_elsewhere():
    with pytest.raises(NumberError) as caught:
        parse_number("6.500", "en")
    assert (
        str(caught.value) == "'6.500' is ambiguous on an English board: write 6500 for thousands or 6.5 for a decimal"
    )
    assert caught.value.said("fr") == (
        "« 6.500 » est ambigu sur un tableau en anglais : écrivez 6500 pour des milliers ou 6.5 pour une décimale"
    )
    (problem,) = parse_kr_description("<p>Cible : 5 · Actuel : 1.234</p>", "fr").problems
    assert problem == "Actuel : « 1.234 » n'est pas un nombre sur un tableau en français (écrivez 1\u00a0234 ou 1,234)."
    (problem,) = parse_kr_description("<p>Target: 5 · Current: 1e5</p>", "en").problems
    assert problem == "Current: '1e5' is not a number (write it like 6,500.5)."
