"""The schema of board layout files (marshmallow): every field checked, every label in every language.

Imported only to validate a layout that `board_layouts` has not validated before (see its cache).
"""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from addon.adapters.board_layouts import STICKY_COLOURS, TemplateError
from addon.domain.board.layout import BLOCK_ORDER, STICKY_ASPECT

HEX = validate.Regexp(r"^#[0-9a-fA-F]{6}$", error="must be a hex colour like #a6ccf5")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


class LabelText(dict):
    """A label's translations by language code (marks the dict so language checks can find it)."""


class Label(fields.Field):
    """A label: a mapping of language code to text (or, for month names, to a list of 12 names)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict) or not value:
            raise ValidationError("must map language codes to text, e.g. {en: Done, fr: Terminé}")
        for language, text in value.items():
            if not isinstance(language, str):
                raise ValidationError(f"language code {language!r} must be text")
            if isinstance(text, list):
                if len(text) != 12 or not all(isinstance(t, str) and t for t in text):
                    raise ValidationError(f"{language}: must list the 12 month names")
            elif not isinstance(text, str) or not text.strip():
                raise ValidationError(f"{language}: must be non-empty text")
        return LabelText(value)


def _positive(**kwargs):
    return fields.Float(required=True, validate=validate.Range(min=1), **kwargs)


def _size():
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf(["width", "height"])),
        values=fields.Float(validate=validate.Range(min=1)),
        required=True,
    )


class Strict(Schema):
    """Base schema: every field is known (a typo is an error, not silently ignored)."""

    class Meta:
        unknown = "raise"


class BoardSchema(Strict):
    gap = _positive()
    target_aspect = fields.Float(required=True, validate=validate.Range(min=0.2, max=10))
    arrangement = fields.List(fields.List(fields.String(validate=validate.OneOf(BLOCK_ORDER))), required=True)

    @validates_schema
    def every_block_once(self, data, **kwargs):
        placed = [block for row in data.get("arrangement", []) for block in row]
        if sorted(placed) != sorted(BLOCK_ORDER):
            raise ValidationError(f"must place each of {', '.join(BLOCK_ORDER)} exactly once", "arrangement")


class FontsSchema(Strict):
    title = fields.Integer(required=True, validate=validate.Range(min=10, max=288))
    heading = fields.Integer(required=True, validate=validate.Range(min=10, max=288))
    body = fields.Integer(required=True, validate=validate.Range(min=10, max=288))
    small = fields.Integer(required=True, validate=validate.Range(min=10, max=288))


class CardsSchema(Strict):
    key_result = _size()
    objective = _size()
    gap = _positive()


class StickySchema(Strict):
    width = _positive()
    shape = fields.String(required=True, validate=validate.OneOf(["square", "rectangle"]))


class ColoursSchema(Strict):
    frame = fields.String(required=True, validate=HEX)
    text = fields.String(required=True, validate=HEX)
    border = fields.String(required=True, validate=HEX)
    panel = fields.String(required=True, validate=HEX)
    placeholder = fields.String(required=True, validate=HEX)
    objective_types = fields.Dict(
        keys=fields.String(validate=validate.OneOf(["commitment", "inspirational", "learning", "unset"])),
        values=fields.String(validate=HEX),
        required=True,
    )
    idea_status = fields.Dict(
        keys=fields.String(validate=validate.OneOf(["not_started", "in_progress", "done"])),
        values=fields.String(validate=validate.OneOf(STICKY_COLOURS)),
        required=True,
    )


class HeaderSchema(Strict):
    width, height, padding = _positive(), _positive(), _positive()
    title_height, meta_height, block_height = _positive(), _positive(), _positive()
    max_findings = fields.Integer(required=True, validate=validate.Range(min=0))


class ObjectivesSchema(Strict):
    padding, gap = _positive(), _positive()
    kr_slots = fields.Integer(required=True, validate=validate.Range(min=1, max=10))
    reserved_objectives = fields.Integer(required=True, validate=validate.Range(min=1, max=10))
    placeholder_objectives = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    placeholder_key_results = fields.Integer(required=True, validate=validate.Range(min=1, max=5))


class ColumnSchema(Strict):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]+$"))
    status = fields.String(required=True, validate=validate.OneOf(["not_started", "in_progress", "at_risk", "done"]))
    colour = fields.String(required=True, validate=HEX)
    label = Label(required=True)


class KanbanSchema(Strict):
    padding, column_gap, column_padding, heading_height = _positive(), _positive(), _positive(), _positive()
    columns = fields.List(fields.Nested(ColumnSchema), required=True, validate=validate.Length(min=1))

    @validates_schema
    def unique_columns(self, data, **kwargs):
        for name in ("key", "status"):
            values = [column[name] for column in data.get("columns", [])]
            if len(set(values)) != len(values):
                raise ValidationError(f"each column needs its own {name}", "columns")


class QuadrantSchema(Strict):
    key = fields.String(required=True, validate=validate.OneOf(["quick_win", "big_bet", "fill_in", "money_pit"]))
    position = fields.String(
        required=True, validate=validate.OneOf(["top_left", "top_right", "bottom_left", "bottom_right"])
    )
    colour = fields.String(required=True, validate=HEX)
    label = Label(required=True)


class MarginSchema(Strict):
    top, bottom, left, right = _positive(), _positive(), _positive(), _positive()


class QuadrantSizeSchema(Strict):
    width, height = _positive(), _positive()


class MatrixSchema(Strict):
    gap, label_band = _positive(), _positive()
    quadrant = fields.Nested(QuadrantSizeSchema, required=True)
    margin = fields.Nested(MarginSchema, required=True)
    quadrants = fields.List(fields.Nested(QuadrantSchema), required=True, validate=validate.Length(equal=4))
    axes = fields.Dict(
        keys=fields.String(validate=validate.OneOf(["impact", "effort"])),
        values=Label(),
        required=True,
        validate=validate.Length(equal=2),
    )

    @validates_schema
    def one_per_corner(self, data, **kwargs):
        # impact goes up and effort right, so each corner has exactly one meaning
        expected = {
            "quick_win": "top_left",
            "big_bet": "top_right",
            "fill_in": "bottom_left",
            "money_pit": "bottom_right",
        }
        given = {q["key"]: q["position"] for q in data.get("quadrants", [])}
        if given and given != expected:
            raise ValidationError(
                "quadrants must be quick_win top_left, big_bet top_right, fill_in bottom_left "
                "and money_pit bottom_right (impact goes up, effort right)",
                "quadrants",
            )


class ScoreColourSchema(Strict):
    min = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    colour = fields.String(required=True, validate=HEX)


class LogSchema(Strict):
    padding, row_heading_width, cell_width = _positive(), _positive(), _positive()
    cell_height, heading_height = _positive(), _positive()
    empty_colour = fields.String(required=True, validate=HEX)
    score_colours = fields.List(fields.Nested(ScoreColourSchema), required=True, validate=validate.Length(min=1))


class SectionSchema(Strict):
    key = fields.String(required=True, validate=validate.OneOf(["worked", "did_not_work", "learned", "carry_over"]))
    colour = fields.String(required=True, validate=HEX)
    sticky = fields.String(required=True, validate=validate.OneOf(STICKY_COLOURS))
    label = Label(required=True)
    prompt = Label(required=True)


class RetroSchema(Strict):
    padding, gap = _positive(), _positive()
    columns = fields.Integer(required=True, validate=validate.Range(min=1, max=4))
    section = _size()
    sections = fields.List(fields.Nested(SectionSchema), required=True, validate=validate.Length(min=1))


class RollupSchema(Strict):
    panel = _size()
    padding, gap = _positive(), _positive()


def _label_group(names: list[str]) -> fields.Nested:
    return fields.Nested(Strict.from_dict({name: Label(required=True) for name in names}), required=True)


LABEL_NAMES = [
    "months",
    "date",
    "period",
    "level_company",
    "level_team",
    "parent_cycle",
    "checkins_heading",
    "checkin_line",
    "scoring_heading",
    "scoring_scale",
    "scoring_band",
    "findings_heading",
    "findings_none",
    "findings_more",
    "finding_line",
    "owner",
    "owner_missing",
    "aligned_to",
    "not_aligned",
    "learning_goal",
    "frame_header",
    "frame_objective",
    "frame_kanban",
    "frame_matrix",
    "frame_log",
    "frame_retro",
    "placeholder_objective",
    "placeholder_objective_hint",
    "placeholder_key_result",
    "log_corner",
    "log_checkin",
    "frame_rollup",
    "rollup_teams",
    "rollup_none",
    "rollup_team",
    "rollup_alignment",
    "rollup_company_objective",
    "rollup_team_objective",
    "rollup_unsupported",
    "rollup_unaligned",
    "rollup_flag",
]
LabelsSchema = Strict.from_dict(
    {
        **{name: Label(required=True) for name in LABEL_NAMES},
        "severity": _label_group(["error", "warning", "info"]),
        "rules": _label_group([f"M{n}" for n in range(1, 13)]),
        "types": _label_group(["commitment", "inspirational", "learning", "unset"]),
    },
    name="LabelsSchema",
)


class TemplateSchema(Strict):
    name = fields.String(required=True)
    languages = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")),
        required=True,
        validate=validate.Length(min=1),
    )
    board = fields.Nested(BoardSchema, required=True)
    fonts = fields.Nested(FontsSchema, required=True)
    cards = fields.Nested(CardsSchema, required=True)
    stickies = fields.Dict(
        keys=fields.String(validate=validate.OneOf(["idea"])), values=fields.Nested(StickySchema), required=True
    )
    colours = fields.Nested(ColoursSchema, required=True)
    header = fields.Nested(HeaderSchema, required=True)
    objectives = fields.Nested(ObjectivesSchema, required=True)
    kanban = fields.Nested(KanbanSchema, required=True)
    matrix = fields.Nested(MatrixSchema, required=True)
    log = fields.Nested(LogSchema, required=True)
    retro = fields.Nested(RetroSchema, required=True)
    rollup = fields.Nested(RollupSchema, required=True)
    labels = fields.Nested(LabelsSchema, required=True)

    @validates_schema
    def quadrants_hold_six_ideas(self, data, **kwargs):
        # A workshop of up to seven people puts several ideas in each quadrant: six stickies (3 x 2) of the
        # idea size must fit beside the label band.
        matrix, sticky = data.get("matrix"), data.get("stickies", {}).get("idea")
        if not matrix or not sticky:
            return
        width, height = sticky["width"], sticky["width"] * STICKY_ASPECT[sticky["shape"]]
        quadrant = matrix["quadrant"]
        if quadrant["width"] < 3 * width or quadrant["height"] - matrix["label_band"] < 2 * height:
            raise ValidationError(
                f"each quadrant must hold six idea stickies (3 x 2): at least {3 * width:g} wide and "
                f"{2 * height + matrix['label_band']:g} high with its label band",
                "matrix",
            )


def _flatten(messages, path: str = "") -> list[str]:
    """Turn marshmallow's nested error dict into `field.path: message` lines."""
    if isinstance(messages, dict):
        lines = []
        for key, value in messages.items():
            child = path if key == "_schema" else f"{path}.{key}" if path else str(key)
            lines += _flatten(value, child)
        return lines
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [f"{path or 'template'}: {message}" for message in messages]
    return [line for item in messages for line in _flatten(item, path)]


def _label_problems(node, languages: list[str], path: str = "") -> list[str]:
    """Return every label that lacks a language, or whose translations disagree on {placeholders}."""
    if isinstance(node, LabelText):
        problems = [f"{path}: missing language '{lang}'" for lang in languages if lang not in node]
        present = [lang for lang in languages if lang in node and isinstance(node[lang], str)]
        if present:
            expected = set(PLACEHOLDER.findall(node[present[0]]))
            for lang in present[1:]:
                found = set(PLACEHOLDER.findall(node[lang]))
                if found != expected:
                    problems.append(
                        f"{path}.{lang}: uses placeholders {sorted(found)} but {present[0]} uses {sorted(expected)}"
                    )
        return problems
    if isinstance(node, dict):
        return [
            p
            for key, value in node.items()
            for p in _label_problems(value, languages, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(node, list):
        return [p for index, value in enumerate(node) for p in _label_problems(value, languages, f"{path}.{index}")]
    return []


def _plain(node):
    """Return the validated document with label markers turned back into plain dicts."""
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node


def validate_template(document, source: str = "<template>") -> dict:
    """Validate a parsed template document and return it; raise TemplateError naming each bad field."""
    if not isinstance(document, dict):
        raise TemplateError(source, ["template: must be a mapping of sections"])
    try:
        loaded = TemplateSchema().load(document)
    except ValidationError as error:
        raise TemplateError(source, _flatten(error.messages)) from None
    problems = _label_problems(loaded, loaded["languages"])
    if problems:
        raise TemplateError(source, problems)
    return _plain(loaded)
