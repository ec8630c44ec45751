"""Plan files (YAML) read through a marshmallow schema into a domain Cycle, with errors that name the field."""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import yaml
from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from addon.domain.errors import PlanError
from addon.domain.method.model import (
    Cycle,
    Idea,
    KeyResult,
    KRKind,
    Level,
    Objective,
    ObjectiveType,
)
from addon.domain.numbers import NumberError, checked, parse_file_number

LANGUAGES = ("en", "fr")
THRESHOLDS = ("at_least", "at_most", "between")
# Limits that keep a plan a plan: the method asks for 3-5 objectives of 3-5 key results (rules M1, M4); these are
# far above that, so a mistaken file (a pasted export, a generated one) is refused instead of imported for minutes.
MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 12  # mappings and lists inside each other; a plan needs 7
MAX_OBJECTIVES, MAX_KEY_RESULTS, MAX_IDEAS = 10, 10, 100
DAY = "%Y-%m-%d"  # dates as YYYY-MM-DD only (ISO's basic 20270104 is easy to mistype into another day)
MAX_TITLE = 200  # characters of a cycle name, objective or key-result title, idea text
TEXT_KEYS = {"name", "title", "text", "learning_goal", "unit", "owner", "team"}
# The plan's language, set while its schema loads, so numbers written as text read as the cycle's cards do.
_PLAN_LANGUAGE: ContextVar[str] = ContextVar("plan_language", default="en")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def NonEmpty(value: str) -> None:  # noqa: N802 - reads as a validator name in field declarations
    """Refuse empty or blank text."""
    if not value.strip():
        raise ValidationError("must not be empty")


class PlanNumber(fields.Field):
    """A number written as on the cycle's cards (`10,000` in English, `10 000` in French); `share` reads `70%`."""

    def __init__(self, *, share: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.share = share

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            if isinstance(value, str):
                return parse_file_number(value, _PLAN_LANGUAGE.get(), share=self.share)
            return checked(value, "it")
        except NumberError as error:
            raise ValidationError(str(error).replace("it must be", "must be")) from None


def _title(**kwargs) -> fields.String:
    too_long = f"at most {MAX_TITLE} characters"
    return fields.String(validate=[NonEmpty, validate.Length(max=MAX_TITLE, error=too_long)], **kwargs)


def _at_most(count: int, what: str):
    def check(items: list) -> None:
        if len(items) > count:
            raise ValidationError(f"at most {count} {what} (this plan has {len(items)})")

    return check


class IdeaSchema(_Strict):
    text = _title(required=True)
    impact = PlanNumber(load_default=5.0, validate=validate.Range(0, 10))
    effort = PlanNumber(load_default=5.0, validate=validate.Range(0, 10))

    @post_load
    def make(self, data, **_):
        return Idea(**data)


class KeyResultSchema(_Strict):
    title = _title(required=True)
    kind = fields.Enum(KRKind, by_value=True, load_default=KRKind.INCREASE)
    start = PlanNumber(load_default=0.0)
    target = PlanNumber(load_default=None)
    current = PlanNumber(load_default=None)
    unit = fields.String(load_default="")
    owner = fields.String(load_default=None)
    due = fields.Date(DAY, load_default=None)
    weight = PlanNumber(load_default=1.0, validate=validate.Range(min=0, min_inclusive=False))
    confidence = PlanNumber(load_default=None, share=True, validate=validate.Range(0, 1))
    # A maintain key result's threshold: one of these three (see docs/scoring.md).
    at_least = PlanNumber(load_default=None)
    at_most = PlanNumber(load_default=None)
    between = fields.List(
        PlanNumber(), load_default=None, validate=validate.Length(equal=2, error="must be two numbers: [low, high]")
    )
    ideas = fields.List(fields.Nested(IdeaSchema), load_default=list, validate=_at_most(MAX_IDEAS, "ideas"))

    @validates_schema(pass_original=True)
    def check_threshold(self, data, original, **_):
        given = [name for name in THRESHOLDS if data.get(name) is not None]
        if not given:
            return
        if data.get("kind") is not KRKind.MAINTAIN:
            raise ValidationError("only a maintain key result has a threshold (kind: maintain)", given[0])
        if len(given) > 1:
            raise ValidationError(f"give one of at_least, at_most or between, not {' and '.join(given)}", given[1])
        for name in ("target", "start"):
            if isinstance(original, dict) and original.get(name) is not None:
                raise ValidationError(f"a maintain key result with {given[0]} has no {name}; drop it", name)
        between = data.get("between")
        if between and between[0] > between[1]:
            raise ValidationError(f"write the lower bound first: [{between[1]:g}, {between[0]:g}]", "between")

    @post_load
    def make(self, data, **_):
        between = data.pop("between")
        if between:
            data["at_least"], data["at_most"] = between
        return KeyResult(**data)


class ObjectiveSchema(_Strict):
    title = _title(required=True)
    type = fields.Enum(ObjectiveType, by_value=True, load_default=None)
    owner = fields.String(load_default=None)
    aligned_to = fields.String(load_default=None, validate=validate.Regexp(r"^O[1-9]$", error="must look like O2"))
    learning_goal = fields.String(load_default="")
    key_results = fields.List(
        fields.Nested(KeyResultSchema), load_default=list, validate=_at_most(MAX_KEY_RESULTS, "key results")
    )

    @post_load
    def make(self, data, **_):
        return Objective(**data)


class CycleHeaderSchema(_Strict):
    name = _title(required=True)
    level = fields.Enum(Level, by_value=True, load_default=Level.COMPANY)
    team = fields.String(load_default=None)
    parent = fields.String(load_default=None)
    start = fields.Date(DAY, required=True)
    end = fields.Date(DAY, required=True)
    language = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))
    checkins = fields.List(
        fields.Date(DAY), load_default=list, validate=validate.Length(equal=6, error="must list exactly 6 dates")
    )

    @validates_schema
    def check(self, data, **_):
        if data.get("level") is Level.TEAM and not data.get("team"):
            raise ValidationError("a team cycle needs a team name", "team")
        if data.get("level") is Level.COMPANY and data.get("parent"):
            raise ValidationError("only a team cycle has a parent", "parent")
        start, end, checkins = data.get("start"), data.get("end"), data.get("checkins") or []
        if start and end and start >= end:
            raise ValidationError(f"the cycle must end after it starts ({start})", "end")
        if start and end and any(not start <= day <= end for day in checkins):
            raise ValidationError("every check-in date must fall within the cycle", "checkins")
        if checkins != sorted(checkins):
            raise ValidationError("check-in dates must be in order", "checkins")


class PlanSchema(_Strict):
    cycle = fields.Nested(CycleHeaderSchema, required=True)
    objectives = fields.List(
        fields.Nested(ObjectiveSchema), load_default=list, validate=_at_most(MAX_OBJECTIVES, "objectives")
    )


@dataclass
class Plan:
    """A validated plan: its cycle and the parent cycle it names (a team plan's company cycle)."""

    cycle: Cycle
    parent: str | None


class _PlainLoader(yaml.SafeLoader):
    """A YAML loader that keeps dates and numbers as text: the schema reports bad dates by field, and numbers are
    read by the app's one grammar (YAML alone would read `0x10` as 16 and `1:30` as 90)."""


_AS_TEXT = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_PlainLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag not in _AS_TEXT]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _flatten(messages, prefix: str = "") -> list[tuple[str, str]]:
    """Turn marshmallow's nested error dict into (field path, message) pairs like objectives[1].title."""
    pairs = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":
                path = prefix
            elif isinstance(key, int):
                path = f"{prefix}[{key}]"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            pairs.extend(_flatten(value, path))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        pairs.extend((prefix or "plan", message) for message in messages)
    else:
        for message in messages:
            pairs.extend(_flatten(message, prefix))
    return pairs


def _line_of(node: yaml.Node | None, path: str) -> int | None:
    """Return the 1-based line of a field path in the composed YAML tree, or of its nearest parent."""
    line = node.start_mark.line + 1 if node else None
    for part in path.replace("[", ".[").split("."):
        if not part or node is None:
            continue
        child = None
        if part.startswith("[") and isinstance(node, yaml.SequenceNode):
            index = int(part[1:-1])
            child = node.value[index] if index < len(node.value) else None
        elif isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if key.value == part), None)
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _message(message: str) -> str:
    message = message.rstrip(".").replace("Missing data for required field", "is required")
    return message[:1].lower() + message[1:]


def _check_shape(text: str, source: str) -> None:
    """Refuse a plan too large, nested too deep, or using aliases, before anything builds its tree.

    The event stream is read without recursion, so a deeply nested file is a message, not a RecursionError."""
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise PlanError(source, [f"the file is {size:,} bytes; a plan file may have at most {MAX_FILE_BYTES:,}"])
    depth = 0
    for event in yaml.parse(text, Loader=_PlainLoader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1
            raise PlanError(source, [f"line {line}: aliases (*name) are not allowed in plan files; write it out"])
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1
                raise PlanError(source, [f"line {line}: nested deeper than {MAX_DEPTH} levels; a plan needs 7"])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _comments_in_text(text: str, tree: yaml.Node | None) -> list[str]:
    """Find titles and other texts that ` #` cut short (YAML reads the rest of the line as a comment), and keys
    given twice in one mapping (YAML keeps the last one without a word)."""
    problems, stack = [], [(tree, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                where = f"{path}.{name}" if path else name
                if name in seen:  # YAML would keep the last one silently: which did the person mean?
                    problems.append(f"{where}: given twice (line {key.start_mark.line + 1}); keep one")
                seen.add(name)
                if name in TEXT_KEYS and isinstance(value, yaml.ScalarNode) and value.style is None:
                    rest = text[value.end_mark.index :].split("\n", 1)[0]
                    if re.match(r"[ \t]+#", rest):
                        problems.append(
                            f"{where}: ' #' starts a YAML comment, so it would read only '{value.value}' "
                            f"(line {value.start_mark.line + 1}); put the whole text in quotes: "
                            f'{name}: "{value.value}{rest}"'
                        )
                else:
                    stack.append((value, where))
    return sorted(problems)


def parse_plan(text: str, source: str = "plan") -> Plan:
    """Validate plan text and return the Plan, or raise PlanError naming every bad field."""
    try:
        _check_shape(text, source)
        raw = yaml.load(text, Loader=_PlainLoader)  # noqa: S506 (a SafeLoader subclass)
        tree = yaml.compose(text, Loader=_PlainLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise PlanError(source, [f"{where}not valid YAML ({getattr(error, 'problem', error)})"]) from None
    cut = _comments_in_text(text, tree)
    if cut:
        raise PlanError(source, cut)
    if not isinstance(raw, dict):
        raise PlanError(source, ["the plan must be a mapping with 'cycle' and 'objectives'"])
    header = raw.get("cycle")
    language = header.get("language") if isinstance(header, dict) else None
    token = _PLAN_LANGUAGE.set(language if language in LANGUAGES else "en")
    try:
        data = PlanSchema().load(raw)
    except ValidationError as error:
        problems = []
        for path, message in _flatten(error.messages):
            line = _line_of(tree, path)
            problems.append(f"{path}: {_message(message)}" + (f" (line {line})" if line else ""))
        raise PlanError(source, problems) from None
    finally:
        _PLAN_LANGUAGE.reset(token)
    header = data["cycle"]
    parent = header.pop("parent")
    checkins = header.pop("checkins")
    cycle = Cycle(**header, checkin_dates=checkins, objectives=data["objectives"])
    return Plan(cycle=cycle, parent=parent)


def load_plan(path: str | Path) -> Plan:
    """Read and validate a plan file."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:  # refused before it is read into memory
            size = path.stat().st_size
            raise PlanError(str(path), [f"the file is {size:,} bytes; a plan file may have at most {MAX_FILE_BYTES:,}"])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PlanError(str(path), [f"cannot read the file ({error.__class__.__name__}: {error})"]) from None
    return parse_plan(text, str(path))
