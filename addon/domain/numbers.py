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
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAXIMUM = 1e15  # a thousand trillion: any business figure, still exact to the cent in a float
NBSP, NNBSP = "\u00a0", "\u202f"
MINUS = "\u2212"


class NumberError(ValueError):
    """Text that is not a number in the app's grammar; the message says what is wrong and how to write it."""


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
        raise NumberError(f"'{shown}' is not a number{_hint(raw, language)}")
    if language != "fr" and _ambiguous(match):
        decimal = (match["int"] + "." + match["frac"].rstrip("0")).rstrip(".")
        raise NumberError(
            f"'{shown}' is ambiguous on an English board: write {match['int']}{match['frac']} for thousands "
            f"or {decimal} for a decimal"
        )
    value = _value(match)
    if abs(value) > MAXIMUM or not math.isfinite(value):
        raise NumberError(f"'{shown}' is too large (at most {MAXIMUM:,.0f})")
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


def _hint(raw: str, language: str) -> str:
    """Say how to write a number typed in the other language's style, else show this language's style."""
    match = _scan(raw, "en" if language == "fr" else "fr")
    if match is None:
        return f" (write it like {style_for(language).example})"
    board = "a French" if language == "fr" else "an English"
    written = format_number(_value(match), language, decimals=6)
    if language == "fr" and _ambiguous(match):  # `1.234`: a grouped 1234 to some, 1.234 to others
        return f" on {board} board (write {format_number(_value(match) * 1000, language)} or {written})"
    return f" on {board} board (write {written})"


def _ambiguous(match: re.Match) -> bool:
    # `6.500` reads 6.5 in English but 6500 to most of Europe; `0.500` and `6.5` can only mean one thing.
    integer, fraction = match["int"], match["frac"]
    return bool(fraction) and len(fraction) == 3 and "," not in integer and integer != "0" and len(integer) <= 3


def parse_number(text: str, language: str = "en", *, share: bool = False, unit_allowed: bool = False) -> float:
    """Read a whole text as one number (with a unit after it only when allowed) or raise NumberError."""
    value, unit = read_number(text, language, share=share)
    if unit and not (unit_allowed or unit == "%"):
        raise NumberError(f"'{text.strip()}' is not a number: '{unit}' follows it")
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
        raise NumberError(f"{what} must be a number")
    if not math.isfinite(value) or abs(value) > MAXIMUM:
        raise NumberError(f"{what} must be a finite number of at most {MAXIMUM:,.0f}")
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
