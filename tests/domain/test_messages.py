"""The catalogue of messages outside the rules (closing, next cycle, refused changes): every message in every
language, with the same placeholders."""

from string import Formatter

import pytest

from addon.domain.method.messages import MESSAGES, say
from addon.domain.method.rule_messages import LANGUAGES


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
