"""Validation of one bulk-create item (https://developers.miro.com/reference/create-items) against the spec.

Each item is checked against the create schema of its own type (`create-text-item` for a text...), which gives
the required fields and the per-type rules. The bulk schema itself (`ItemCreate`) does not tie `data` and `style`
to `type`: each is a oneOf of every item type's schemas, without a discriminator, and `geometry` is the full
`Geometry`. So `{"type": "text", "data": {"content": "a", "shape": "rectangle"}}` is valid there, its data being
a `ShapeData`; Miro's official Python client sends exactly that (its `ItemCreate.from_dict` keeps the first
schema that fits, `ShapeData`). A field that the item's type lacks is therefore accepted when its object matches
one of the bulk schema's branches (closed, as the emulator reads every schema), and is then dropped: a text has
no shape. A field that no branch declares is refused as unknown, as everywhere else.
"""

from __future__ import annotations

from miro_emulator.errors import field_error
from miro_emulator.validation import BodyValidator, SpecValidator, coerce_numbers, field_errors


def _branches(schema: dict) -> list[dict]:
    return schema.get("oneOf") or schema.get("anyOf") or [schema]


class BulkItemValidator:
    """Checks bulk items by their type's own schema, letting through what the bulk schema allows besides."""

    def __init__(self, validator: BodyValidator):
        self.validator = validator
        item = validator.schema("create-items")["items"]
        self._bulk = {
            name: [(branch, SpecValidator(branch)) for branch in _branches(schema)]
            for name, schema in item["properties"].items()
            if all("properties" in branch for branch in _branches(schema))
        }

    def errors(self, item_type: str, entry: dict, index: int) -> tuple[dict, list[dict]]:
        """Return (the item's body without `type` and foreign fields, field errors named `<index>.<field>`)."""
        op_id = f"create-{item_type.replace('_', '-')}-item"
        own_schema = self.validator.schema(op_id)["properties"]
        body, foreign_errors = {}, []
        for key, value in entry.items():
            if key == "type":
                continue
            own = (own_schema.get(key) or {}).get("properties")
            foreign = [name for name in value if name not in own] if isinstance(value, dict) and own else []
            if not foreign or key not in self._bulk or not self.validator.reject_unknown:
                body[key] = value
                continue
            foreign_errors += self._foreign_errors(key, value, foreign, f"{index}.{key}.")
            body[key] = {name: part for name, part in value.items() if name in own}
        body, found = self.validator.errors(op_id, body, f"{index}.")
        return body, found + foreign_errors

    def _foreign_errors(self, key: str, value: dict, foreign: list[str], prefix: str) -> list[dict]:
        """Errors unless `value` (with its fields of other item types) matches one branch of the bulk schema."""
        declared = {name for branch, _ in self._bulk[key] for name in branch["properties"]}
        unknown = [name for name in foreign if name not in declared]
        if unknown:
            return [field_error(prefix + name, f"Field [{prefix}{name}] is not recognised") for name in unknown]
        candidates = [(b, v) for b, v in self._bulk[key] if set(foreign) & set(b["properties"])]
        best: list[dict] = []
        for branch, validator in candidates:
            instance = coerce_numbers(branch, value) if self.validator.lenient_numbers else value
            found = field_errors(validator, instance, prefix)
            if not found:
                return []
            if not best or len(found) < len(best):
                best = found
        return best
