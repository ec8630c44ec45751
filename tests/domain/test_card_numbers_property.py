"""Any text typed after `Current:` on a card is read as exactly the number it shows, or is a finding."""

import re
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from addon.domain.board.card_text import format_kr_description, parse_kr_description
from addon.domain.method.model import KeyResult
from addon.domain.numbers import MAXIMUM, NBSP, NNBSP

LABEL = {"en": "Current", "fr": "Actuel"}
GROUP = {"en": ",", "fr": f" {NBSP}{NNBSP}"}
DECIMAL = {"en": ".", "fr": ","}
# Characters people type, and the ones other readers turn into numbers: exponents, hex, underscores, suffixes.
TYPED = st.text(alphabet="0123456789,. _-+\u2212%exXkKM\u00a0\u202f\u0663abc", max_size=24)


def shown_value(raw: str, language: str) -> Decimal | None:
    """What the text's leading number says, read independently of the app: separators out, decimal mark to '.'."""
    head = re.match(rf"[-+\u2212]?[0-9{re.escape(GROUP[language])}]+(?:{re.escape(DECIMAL[language])}[0-9]+)?", raw)
    if head is None:
        return None
    text = head.group(0).replace("\u2212", "-")
    for char in GROUP[language]:
        text = text.replace(char, "")
    return Decimal(text.replace(DECIMAL[language], "."))


@pytest.mark.parametrize("language", ["en", "fr"])
@settings(max_examples=400, deadline=None)
@given(raw=TYPED)
@example(raw="1e308")
@example(raw="0x10")
@example(raw="1_000")
@example(raw="9" * 400)
@example(raw="6.500")
@example(raw="1.234")
def test_a_card_value_is_what_the_text_shows_or_a_finding(language, raw):
    parsed = parse_kr_description(f"<p>{LABEL[language]}: {raw}</p>", language)
    if parsed.current is None:
        return  # a finding, or an empty field: nothing is stored either way
    assert parsed.problems == []
    expected = shown_value(raw.strip(), language)
    assert expected is not None and float(expected) == parsed.current, (raw, parsed.current)
    assert abs(parsed.current) <= MAXIMUM


@pytest.mark.parametrize("language", ["en", "fr"])
@settings(max_examples=300, deadline=None)
@given(value=st.decimals(min_value=-MAXIMUM, max_value=MAXIMUM, places=2, allow_nan=False))
def test_a_value_written_on_a_card_reads_back_as_itself(language, value):
    kr = KeyResult("Partners", start=0, target=10, current=float(value), unit="partners")
    parsed = parse_kr_description(format_kr_description(kr, 0.5, language=language), language)
    assert parsed.problems == [] and parsed.current == float(value)
