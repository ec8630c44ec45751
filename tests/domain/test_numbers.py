"""The one number grammar: what it reads, what it refuses (with a message that says how to write it)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addon.domain.numbers import MAXIMUM, NBSP, NNBSP, NumberError, checked, format_number, parse_number, read_number


@pytest.mark.parametrize(
    "text, language, value",
    [
        ("6500", "en", 6500),
        ("6,500", "en", 6500),
        ("1,500,000", "en", 1_500_000),
        ("6.5", "en", 6.5),
        ("0.125", "en", 0.125),  # a 0 before the point cannot be a thousands group
        ("1,234.500", "en", 1234.5),  # grouped: the point can only be decimal
        ("-3", "en", -3),
        ("+3", "en", 3),
        ("\u22123", "en", -3),
        ("6 500", "fr", 6500),
        (f"6{NBSP}500", "fr", 6500),
        (f"6{NNBSP}500", "fr", 6500),
        ("6,5", "fr", 6.5),
        ("1,500", "fr", 1.5),  # French commas are decimals
        ("10 000,25", "fr", 10000.25),
    ],
)
def test_numbers_in_each_language(text, language, value):
    assert parse_number(text, language) == value


@pytest.mark.parametrize(
    "text, language, message",
    [
        ("1e308", "en", "'1e308' is not a number"),
        ("0x10", "en", "'0x10' is not a number"),
        ("1_000", "en", "'1_000' is not a number"),
        ("1.2k", "en", "'1.2k' is not a number"),
        ("1.2 k", "en", "'1.2 k' is not a number"),
        ("inf", "en", "'inf' is not a number"),
        ("nan", "fr", "'nan' is not a number"),
        ("\u0661\u0662", "en", "is not a number"),
        ("6.500", "en", "'6.500' is ambiguous on an English board: write 6500 for thousands or 6.5 for a decimal"),
        ("1,5", "en", "'1,5' is not a number on an English board (write 1.5)"),
        ("6 500", "en", "'6 500' is not a number on an English board (write 6,500)"),
        ("1.234", "fr", "'1.234' is not a number on a French board (write 1\u00a0234 or 1,234)"),
        ("6,500.25", "fr", "'6,500.25' is not a number on a French board (write 6\u00a0500,25)"),
        ("9" * 400, "en", "is too large (at most 1,000,000,000,000,000)"),
        ("", "en", "'' is not a number"),
        ("12 34", "fr", "is not a number"),
    ],
)
def test_text_that_could_be_read_as_another_number_is_refused_with_how_to_write_it(text, language, message):
    with pytest.raises(NumberError) as refused:
        parse_number(text, language)
    assert message in str(refused.value)
    assert len(str(refused.value)) < 200  # a 400-digit text is shortened in the message


def test_a_percent_divides_a_share_and_is_a_unit_elsewhere():
    assert read_number("70%", "en", share=True) == (0.7, "")
    assert read_number("70 %", "fr", share=True) == (0.7, "")
    assert read_number("45%", "en") == (45.0, "%")


def test_a_unit_follows_after_whitespace():
    assert read_number("6,500 partners", "en") == (6500.0, "partners")
    assert read_number("12.5 euros", "en") == (12.5, "euros")
    with pytest.raises(NumberError):
        parse_number("6,500 partners", "en")  # a whole text must be only the number
    assert parse_number("6,500 partners", "en", unit_allowed=True) == 6500


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, MAXIMUM * 10, True, "12"])
def test_numbers_given_as_numbers_must_be_finite_and_in_range(value):
    with pytest.raises(NumberError):
        checked(value, "target")


def test_numbers_given_as_numbers_within_range_pass():
    assert checked(12, "target") == 12.0 and checked(-MAXIMUM, "target") == -MAXIMUM


@pytest.mark.parametrize("language", ["en", "fr"])
@given(value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_what_the_app_writes_it_reads_back(language, value):
    assert parse_number(format_number(value, language), language) == float(f"{value:.2f}") + 0.0


@given(text=st.text(alphabet="0123456789,. -+%e_xk\u00a0", max_size=12), language=st.sampled_from(["en", "fr"]))
def test_any_text_reads_as_exactly_the_digits_typed_or_is_refused(text, language):
    try:
        value, unit = read_number(text, language)
    except NumberError:
        return
    raw = text.strip()
    number = raw[: len(raw) - len(unit.removeprefix("%").strip())] if unit else raw
    group, decimal = (",", ".") if language == "en" else (" \u00a0", ",")
    digits = "".join("." if ch == decimal else ch for ch in number if ch.isdigit() or ch == decimal)
    assert not any(ch in number for ch in "e_xk") and float(digits) == abs(value)
    assert all(ch in group + decimal + "0123456789+-% \u00a0" for ch in number)  # a space may precede %
