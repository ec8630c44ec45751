"""marshmallow schemas at the API's boundary: what a request may send, checked field by field."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from addon.web.errors import ApiError

JOB_KINDS = ("generate", "track", "sync", "checkin")


class Number(fields.Field):
    """A number as a person types it: a JSON number, or text read by the app's one number grammar later."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValidationError("must be a number or a number written as text")
        if isinstance(value, str) and not value.strip():
            raise ValidationError("must not be empty")
        return str(value)


class KeyResultPatch(Schema):
    """A quick update of a key result (from the panel or a script)."""

    current = Number()
    score = fields.Raw(allow_none=True)
    confidence = Number()
    comment = fields.String(validate=validate.Length(max=500))


class JobRequest(Schema):
    """An action to run on a cycle."""

    kind = fields.String(required=True, validate=validate.OneOf(JOB_KINDS))
    note = fields.String(load_default="", validate=validate.Length(max=500))


def load(schema: Schema, data) -> dict:
    """Validate a JSON body; a refusal names every field at fault."""
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_body", "The body must be a JSON object.")
    try:
        return schema.load(data)
    except ValidationError as error:
        problems = {
            name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for name, msgs in error.messages.items()
        }
        raise ApiError(400, "invalid_fields", "Some fields are not valid.", problems) from None


def score_text(value) -> str | None:
    """A manual score: a number, text, or null to clear it (read by the number grammar later)."""
    if value is None:
        return "none"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ApiError(400, "invalid_fields", "Some fields are not valid.", {"score": ["must be a number or null"]})
    return str(value)
