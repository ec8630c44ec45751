"""Text written to and read back from Miro items: escaping, numbers and the key-result card line.

Numbers are written and read with the app's one grammar (`addon.domain.numbers`): `10,000.5` on English boards,
`10 000,5` on French ones; a `%` on a score divides by 100 (`70%` is 0.7). Text that does not follow it is a
problem of that field, never a value.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

from addon.domain.method.messages import say
from addon.domain.method.model import KeyResult, KRKind
from addon.domain.method.scoring import MaintainForm, kr_progress, maintain_form
from addon.domain.numbers import NumberError, format_number, read_number

NBSP = "\u00a0"
SEPARATOR = " · "
# Card field labels; the parser knows all of them whatever the board language.
FIELD_LABELS = {
    "en": {
        "start": "Start",
        "target": "Target",
        "current": "Current",
        "score": "Score",
        "manual": "manual",
        "keep": "Keep",
        "between": "between {low} and {high}",
        "yes": "yes",
        "no": "no",
        "unknown": "?",
    },
    "fr": {
        "start": "Départ",
        "target": "Cible",
        "current": "Actuel",
        "score": "Score",
        "manual": "manuel",
        "keep": "Garder",
        "between": "entre {low} et {high}",
        "yes": "oui",
        "no": "non",
        "unknown": "?",
    },
}
# Field names as typed on the board (lower case) -> (field, language that spells it so).
_FIELD_NAMES = {
    "start": ("start", "en"),
    "target": ("target", "en"),
    "current": ("current", "en"),
    "score": ("score", None),
    "départ": ("start", "fr"),
    "depart": ("start", "fr"),
    "cible": ("target", "fr"),
    "actuel": ("current", "fr"),
}
_FIELD_RE = re.compile(r"(?i)\b(start|target|current|score|départ|depart|cible|actuel)\s*:")
_YES = {"yes", "done", "oui", "fait", "true"}
_NO = {"no", "non", "false"}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def labels_for(language: str) -> dict[str, str]:
    """Return the card field labels of a language (English when the language has none)."""
    return FIELD_LABELS.get(language, FIELD_LABELS["en"])


def escape_text(text: str) -> str:
    """Escape user text for Miro's inline-HTML content (& < >), dropping control characters."""
    # Quotes only matter inside attributes, which we never write; leaving them keeps French apostrophes
    # readable wherever Miro shows a field as plain text.
    return html.escape(_CONTROL_RE.sub("", str(text)), quote=False)


def html_lines(lines: list[str], *, bold_first: bool = False) -> str:
    """Return escaped paragraphs, one per line, the first one bold when asked."""
    parts = []
    for index, line in enumerate(lines):
        body = escape_text(line)
        parts.append(f"<p><strong>{body}</strong></p>" if bold_first and index == 0 else f"<p>{body}</p>")
    return "".join(parts)


class _TextCollector(HTMLParser):
    """Collect the text of inline HTML, turning block ends and <br> into newlines."""

    BREAKS = {"br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BREAKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(content: str | None) -> str:
    """Return the text of Miro inline HTML: tags stripped, entities decoded, blocks and <br> as newlines."""
    collector = _TextCollector()
    collector.feed(content or "")
    collector.close()
    lines = [" ".join(line.replace(NBSP, " ").split()) for line in "".join(collector.parts).split("\n")]
    return "\n".join(line for line in lines if line)


def format_score(score: float, language: str = "en") -> str:
    """Write a 0..1 score with two decimals (0.65 / 0,65)."""
    text = f"{score:.2f}"
    return text.replace(".", ",") if language == "fr" else text


def format_value(value: float | None, unit: str, language: str, kind: KRKind) -> str:
    """Write a key-result value with its unit (milestones as yes/no, a missing value as ?)."""
    words = labels_for(language)
    if value is None:
        return words["unknown"]
    if kind is KRKind.MILESTONE:
        return words["yes"] if value >= 1 else words["no"]
    number = format_number(value, language)
    if not unit:
        return number
    if unit == "%":
        return f"{number}{NBSP}%" if language == "fr" else f"{number}%"
    return f"{number} {unit}"


def format_threshold(kr: KeyResult, language: str = "en") -> str | None:
    """Write a maintain key result's threshold: `Keep ≥ 99.5%`, `Garder ≤ 25 ms`, `Keep between 8 and 10`."""
    form = maintain_form(kr) if kr.kind is KRKind.MAINTAIN else None
    if form is None or form is MaintainForm.START_TARGET:
        return None
    words = labels_for(language)
    if form is MaintainForm.AT_LEAST:
        bound = f"≥ {format_value(kr.at_least, kr.unit, language, kr.kind)}"
    elif form is MaintainForm.AT_MOST:
        bound = f"≤ {format_value(kr.at_most, kr.unit, language, kr.kind)}"
    else:
        low = format_number(kr.at_least, language)
        bound = words["between"].format(low=low, high=format_value(kr.at_most, kr.unit, language, kr.kind))
    return f"{words['keep']} {bound}"


def format_percent(share: float, language: str = "en") -> str:
    """Write a share as a whole percentage in the language's style (125% / 125 %)."""
    return format_value(round(share * 100), "%", language, KRKind.INCREASE)


def format_kr_description(kr: KeyResult, score: float, *, language: str = "en") -> str:
    """Return a key-result card description: escaped HTML with target (or threshold), current value and score.

    A key result beyond its target shows its progress beside the capped score: `Score: 1.00 (125%)`.
    """
    words = labels_for(language)
    colon = f"{NBSP}:" if language == "fr" else ":"
    fields = []
    threshold = format_threshold(kr, language)
    if threshold:
        fields.append(threshold)
    else:
        if kr.start and kr.kind is not KRKind.MILESTONE:
            fields.append(f"{words['start']}{colon} {format_value(kr.start, kr.unit, language, kr.kind)}")
        target = 1.0 if kr.kind is KRKind.MILESTONE else kr.target
        fields.append(f"{words['target']}{colon} {format_value(target, kr.unit, language, kr.kind)}")
    # The unit is written once, after the target, to keep the card short ("%" reads better on both).
    current_unit = kr.unit if kr.unit == "%" else ""
    fields.append(f"{words['current']}{colon} {format_value(kr.current, current_unit, language, kr.kind)}")
    score_text = format_score(score, language)
    progress = kr_progress(kr)
    if kr.manual_score is not None:
        score_text += f" ({words['manual']})"
    elif round(progress * 100) > 100:
        score_text += f" ({format_percent(progress, language)})"
    fields.append(f"{words['score']}{colon} {score_text}")
    return f"<p>{escape_text(SEPARATOR.join(fields))}</p>"


def format_placeholder_description(language: str = "en") -> str:
    """Return the description of a placeholder key-result card: the fields the team fills in."""
    words = labels_for(language)
    colon = f"{NBSP}:" if language == "fr" else ":"
    names = ("target", "current", "score")
    return f"<p>{escape_text(SEPARATOR.join(f'{words[n]}{colon} ?' for n in names))}</p>"


@dataclass
class ParsedCard:
    """What a key-result card's text says: values read, and the problems of fields that could not be read."""

    current: float | None = None
    score: float | None = None
    target: float | None = None
    score_manual: bool = False
    at_least: float | None = None  # a maintain card's `Keep ≥ …` / `Keep between … and …`
    at_most: float | None = None
    language: str = "en"
    fields: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _split_fields(text: str) -> list[tuple[str, str, str | None, str]]:
    """Split card text into (field, label as typed, language, raw value) in order of appearance."""
    matches = list(_FIELD_RE.finditer(text))
    found = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        raw = re.split(r"[·|\n;]", text[match.end() : end], maxsplit=1)[0].strip()
        name, language = _FIELD_NAMES[match.group(1).lower()]
        found.append((name, match.group(1), language, raw))
    return found


def _read_value(
    label: str, raw: str, language: str, *, is_score: bool, says: str = "en"
) -> tuple[float | None, str | None]:
    """Return (value, problem) for one field's raw text, the problem said in `says`; a bad field never yields a
    value."""
    if raw == "?" or raw == "":
        return None, None
    if not is_score and raw.lower() in _YES | _NO:
        return (1.0 if raw.lower() in _YES else 0.0), None
    try:
        value, rest = read_number(raw, language, share=is_score)
    except NumberError as error:
        if is_score and error.key == "number.not_a_number":  # no hint from the other language: how scores read
            example = say("card.score_example_fr" if language == "fr" else "card.score_example", says)
            return None, say("card.not_a_score", says, label=label, raw=raw, example=example)
        return None, say("card.bad_number", says, label=label, problem=error.said(says))
    if is_score:
        example = say("card.score_example", says)
        if rest.strip() and not re.fullmatch(r"\s*\([^)]*\)\s*", rest):
            return None, say("card.not_a_score", says, label=label, raw=raw, example=example)
        if not 0.0 <= value <= 1.0:
            return None, say("card.score_outside", says, label=label, raw=raw, example=example)
    return value, None


_THRESHOLD_RE = re.compile(r"(?i)(?:^|[·|\n;])\s*(?P<word>keep|garder)\b(?P<rest>[^·|\n;]*)")
_BETWEEN_RE = re.compile(r"(?i)^(?:between|entre)\s+(?P<low>.+?)\s+(?:and|et)\s+(?P<high>.+)$")


def _read_threshold(text: str, parsed: ParsedCard, says: str = "en") -> None:
    """Read a maintain card's threshold line (`Keep ≥ 99.5%`, `Garder entre 8 et 10`) into the parsed card."""
    match = _THRESHOLD_RE.search(text)
    if match is None:
        return
    word, rest = match["word"], match["rest"].strip()
    language = "fr" if word.lower() == "garder" else "en"
    parsed.fields.append("threshold")
    try:
        between = _BETWEEN_RE.match(rest)
        if between:
            low, high = read_number(between["low"], language)[0], read_number(between["high"], language)[0]
            parsed.at_least, parsed.at_most = low, high
        elif rest[:1] in ("≥", "≤") or rest[:2] in (">=", "<="):
            value = read_number(rest.lstrip("≥≤<>="), language)[0]
            parsed.at_least, parsed.at_most = (value, None) if rest[:1] in ("≥", ">") else (None, value)
        else:
            raise NumberError("number.not_a_number", raw=rest, example="")  # said as a threshold problem below
    except NumberError:
        example = say("card.threshold_example_fr" if language == "fr" else "card.threshold_example", says)
        parsed.problems.append(say("card.not_a_threshold", says, label=word, raw=rest, example=example))
        parsed.at_least = parsed.at_most = None


def parse_kr_description(content: str, language: str = "en") -> ParsedCard:
    """Read `Current`/`Actuel`, `Score` (and `Target`/`Cible`, a `Keep`/`Garder` threshold) from a card's HTML.

    Numbers are read in the language of the labels typed (`Actuel` is French) or, for labels both languages
    share (`Score`), in the board's `language`.
    """
    text = plain_text(content)
    fields = _split_fields(text)
    languages = {lang for _, _, lang, _ in fields if lang}
    parsed = ParsedCard(language=languages.pop() if len(languages) == 1 else language)
    counts: dict[str, int] = {}
    for name, _, _, _ in fields:
        counts[name] = counts.get(name, 0) + 1
    for name, label, field_language, raw in fields:
        if name not in parsed.fields:
            parsed.fields.append(name)
        if name == "start":
            continue
        if counts[name] > 1:
            problem = say("card.repeated_field", language, label=label, count=counts[name])
            if problem not in parsed.problems:
                parsed.problems.append(problem)
            continue
        value, problem = _read_value(
            label, raw, field_language or parsed.language, is_score=name == "score", says=language
        )
        if problem:
            parsed.problems.append(problem)
            continue
        setattr(parsed, name, value)
        if name == "score" and value is not None:
            parsed.score_manual = bool(re.search(r"\((manual|manuel)\)", raw, re.IGNORECASE))
    _read_threshold(text, parsed, says=language)
    return parsed


def format_card_title(ref: str, title: str) -> str:
    """Return a card title `KR1.2 · title`, escaped for Miro."""
    return escape_text(f"{ref}{SEPARATOR}{title}" if title else ref)


_TITLE_RE = re.compile(r"^\s*(?P<ref>(?:KR\d+\.\d+|O\d+))\s*[·:\-–]\s*(?P<title>.*)$", re.DOTALL)


def parse_card_title(content: str) -> tuple[str | None, str]:
    """Return (ref or None, title) from a card title as Miro returns it."""
    text = " ".join(plain_text(content).split())
    match = _TITLE_RE.match(text)
    return (match["ref"], match["title"].strip()) if match else (None, text)


def format_due_date(day: date) -> str:
    """Return a Miro card dueDate for a day: noon UTC, so the day shows the same in most time zones."""
    return f"{day.isoformat()}T12:00:00.000Z"


def parse_due_date(value: str | None) -> date | None:
    """Return the day a Miro dueDate stands for (noon UTC is ours; others are a local midnight, rounded)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if (moment.hour, moment.minute, moment.second) == (12, 0, 0):
        return moment.date()
    # A date picked in Miro is the user's local midnight: between 10:00 the day before and 12:00 UTC.
    return (moment + timedelta(hours=12)).date()


def truncate(text: str, limit: int) -> str:
    """Shorten text to at most `limit` characters, ending with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"
