"""The one number grammar of the app: card text, command-line values and plan files all read numbers with it.

A number is, in this order:
- an optional sign (`-`, `+` or the minus sign U+2212);
- ASCII digits, either plain (`6500`) or grouped in threes by the language's thousands separator: a comma in
  English (`6,500`), a space in French (plain, no-break U+00A0 or narrow no-break U+202F: `6 500`);
- optionally the language's decimal mark and more digits: a point in English (`6.5`), a comma in French (`6,5`);
- optionally `%` (right after the number or after a space), which divides a share (a score, a confidence) by 100
  and is a unit anywhere else;
- then nothing, or whitespace before a unit (`6,500 partners`).

Anything else is refused with a message that says how to write it: exponents (`1e3`), hex (`0x10`), underscores,
suffixes (`1.2k`), other digits than 0-9, the other language's marks (`1.234` on a French board), and a number an
English board cannot tell apart from a European one (`6.500`: 6.5 or 6500?). Values stay within +/- MAXIMUM so
they are finite and exact to the cent.

Each refusal is a catalogue message (`number.*` in `method/messages.py`): `str(error)` is its English text, which
the command line and plan files show (their words are English); `error.said(language)` is the same message in a
board's language, for the card problems of a French board. The numbers a message suggests are written in the
style of the text that was read, so typing them in again works.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from addon.domain.method.messages import say

MAXIMUM = 1e15  # a thousand trillion: any business figure, still exact to the cent in a float
NBSP, NNBSP = "\u00a0", "\u202f"
MINUS = "\u2212"


class NumberError(ValueError):
    """Text that is not a number in the app's grammar; the message says what is wrong and how to write it."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(say(key, "en", **params))
        self.key, self.params = key, params

    def said(self, language: str) -> str:
        """Return the message in a language (English when the catalogue lacks it)."""
        return say(self.key, language, **self.params)


@dataclass(frozen=True)
class _Style:
    group: str  # characters that group thousands
    decimal: str
    example: str


STYLES = {
    "en": _Style(group=",", decimal=".", example="6,500.5"),
    "fr": _Style(group=f" {NBSP}{NNBSP}", decimal=",", example=f"6{NBSP}500,5"),
}


def _pattern(style: _Style) -> re.Pattern:
    group = "[" + re.escape(style.group) + "]"
    return re.compile(
        rf"(?P<sign>[-+{MINUS}]?)"
        rf"(?P<int>[0-9]{{1,3}}(?:{group}[0-9]{{3}})+|[0-9]+)"
        rf"(?:{re.escape(style.decimal)}(?P<frac>[0-9]+))?"
        rf"(?P<percent>[ {NBSP}{NNBSP}]?%)?"
    )


_PATTERNS = {language: _pattern(style) for language, style in STYLES.items()}
# What may not follow a number as its unit: more digits (`6 500` on an English board would read 6), a sign or
# mark, an exponent (`1 e3`), or a multiplier (`1.2 k`): each would store another number than the text says.
_NOT_A_UNIT = re.compile(r"^(?:[0-9.,+\-\u2212_]|[eE][-+]?[0-9]|[kKM]\b)")


def style_for(language: str) -> _Style:
    """Return the number style of a language (English when the language has none)."""
    return STYLES.get(language, STYLES["en"])


def read_number(text: str, language: str = "en", *, share: bool = False) -> tuple[float, str]:
    """Read a number at the start of `text`; return (value, the unit or text after it) or raise NumberError.

    With `share`, a `%` divides by 100 (70% is 0.7); otherwise it is left in the returned unit.
    """
    raw = text.strip()
    shown = raw if len(raw) <= 40 else raw[:39] + "…"
    match = _scan(raw, language)
    if match is None:
        raise _not_a_number(raw, shown, language)
    if language != "fr" and _ambiguous(match):
        decimal = (match["int"] + "." + match["frac"].rstrip("0")).rstrip(".")
        raise NumberError("number.ambiguous", raw=shown, thousands=match["int"] + match["frac"], decimal=decimal)
    value = _value(match)
    if abs(value) > MAXIMUM or not math.isfinite(value):
        raise NumberError("number.too_large", raw=shown, maximum=format_number(MAXIMUM, language, decimals=0))
    unit = raw[match.end() :].strip()
    if match["percent"]:
        if share:
            value /= 100
        else:
            unit = ("% " + unit).strip()
    return value + 0.0, unit


def _scan(raw: str, language: str) -> re.Match | None:
    """Match the grammar at the start of a text; None when the text does not follow it."""
    match = _PATTERNS["fr" if language == "fr" else "en"].match(raw)
    rest = raw[match.end() :] if match else raw
    if not match or (rest and not rest[0].isspace()) or _NOT_A_UNIT.match(rest.strip()):
        return None
    return match


def _value(match: re.Match) -> float:
    digits = re.sub(r"[^0-9]", "", match["int"]) + ("." + match["frac"] if match["frac"] else "")
    return -float(digits) if match["sign"] in ("-", MINUS) else float(digits)


def _not_a_number(raw: str, shown: str, language: str) -> NumberError:
    """Say how to write a number typed in the other language's style, else show this language's style."""
    match = _scan(raw, "en" if language == "fr" else "fr")
    if match is None:
        return NumberError("number.not_a_number", raw=shown, example=style_for(language).example)
    written = format_number(_value(match), language, decimals=6)
    if language != "fr":
        return NumberError("number.not_on_english_board", raw=shown, written=written)
    if _ambiguous(match):  # `1.234`: a grouped 1234 to some, 1.234 to others
        thousands = format_number(_value(match) * 1000, language)
        return NumberError("number.not_on_french_board_either", raw=shown, thousands=thousands, written=written)
    return NumberError("number.not_on_french_board", raw=shown, written=written)


def _ambiguous(match: re.Match) -> bool:
    # `6.500` reads 6.5 in English but 6500 to most of Europe; `0.500` and `6.5` can only mean one thing.
    integer, fraction = match["int"], match["frac"]
    return bool(fraction) and len(fraction) == 3 and "," not in integer and integer != "0" and len(integer) <= 3


def parse_number(text: str, language: str = "en", *, share: bool = False, unit_allowed: bool = False) -> float:
    """Read a whole text as one number (with a unit after it only when allowed) or raise NumberError."""
    value, unit = read_number(text, language, share=share)
    if unit and not (unit_allowed or unit == "%"):
        raise NumberError("number.unit_follows", raw=text.strip(), unit=unit)
    return value


_PLAIN = re.compile(r"(?P<sign>[-+]?)(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?")


def parse_file_number(text: str, language: str = "en", *, share: bool = False) -> float:
    """Read a number typed in a file (a plan): the language's style, or plain `99.5` as YAML and JSON write it.

    The plain form is refused where it is ambiguous (`1.234` in a French plan: 1.234 or 1234?).
    """
    try:
        return parse_number(text, language, share=share)
    except NumberError:
        plain = _PLAIN.fullmatch(text.strip())
        if plain is None or _ambiguous(plain):
            raise
        value = _value(plain)
        if abs(value) > MAXIMUM:
            raise
        return value + 0.0


def checked(value: float | int, what: str = "the value") -> float:
    """Return a number given as a number (a YAML value, an API field) as a float, or raise NumberError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NumberError("number.not_given", what=what)
    if not math.isfinite(value) or abs(value) > MAXIMUM:
        raise NumberError("number.not_finite", what=what, maximum=format_number(MAXIMUM, decimals=0))
    return float(value)


def format_number(value: float, language: str = "en", *, decimals: int = 2) -> str:
    """Write a number with thousands grouped and at most `decimals` decimals, in the language's style."""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if language == "fr":
        text = text.replace(",", NBSP).replace(".", ",")
    return text
