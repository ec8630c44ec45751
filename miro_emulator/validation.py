"""Request-body validation against the official spec subset (`miro_emulator/spec/`), with jsonschema.

Schemas are taken from each operation's `requestBody`, `$ref`s are inlined once and validators compiled once, so
a request costs one validator pass. Two deliberate choices, both documented in docs/emulator.md:
- Numeric style fields (`fontSize`, `fillOpacity`, `borderWidth`...) are typed `string` in the spec, with their
  bounds as `minimum`/`maximum`. Strings must hold a number within those bounds. JSON numbers are refused (as the
  spec says) unless `lenient_numbers` is on, in which case they are accepted and stored as strings.
- Unknown properties are refused (`reject_unknown`), which catches client typos such as `fillcolour`.
"""

from __future__ import annotations

import copy
from functools import cache

from jsonschema import Draft4Validator, ValidationError, validators

from miro_emulator.errors import ApiError, field_error, invalid
from miro_emulator.spec import load_subset

MAX_DETAIL = 200  # characters of a validator message kept (it quotes the value, which may be huge)
_BASE_MIN = Draft4Validator.VALIDATORS["minimum"]
_BASE_MAX = Draft4Validator.VALIDATORS["maximum"]


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _bound(base, compare, word):
    def check(validator, bound, instance, schema):
        if isinstance(instance, str):
            value = _as_number(instance)
            if value is None:
                yield ValidationError(f"{instance!r} is not a number")
            elif compare(value, bound):
                yield ValidationError(f"{instance} is {word} {bound}")
            return
        yield from base(validator, bound, instance, schema)

    return check


# Draft 4 is what OpenAPI 3.0 schemas are written in; bounds also apply to numeric strings (see module doc).
SpecValidator = validators.extend(
    Draft4Validator,
    {
        "minimum": _bound(_BASE_MIN, lambda v, b: v < b, "less than the minimum of"),
        "maximum": _bound(_BASE_MAX, lambda v, b: v > b, "greater than the maximum of"),
    },
)


def inline(node, schemas: dict, closed: bool, depth: int = 0):
    """Return a copy of `node` with `$ref`s replaced by their schemas; `closed` forbids unknown properties."""
    if depth > 40:
        raise ValueError("schema nesting too deep (recursive $ref?)")
    if isinstance(node, list):
        return [inline(value, schemas, closed, depth + 1) for value in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return inline(schemas[node["$ref"].rsplit("/", 1)[1]], schemas, closed, depth + 1)
    result = {key: inline(value, schemas, closed, depth + 1) for key, value in node.items()}
    if closed and "properties" in result and "oneOf" not in result:
        result.setdefault("additionalProperties", False)
    return result


def _field_of(error: ValidationError, prefix: str) -> str:
    path = [str(part) for part in error.absolute_path]
    if error.validator == "required":
        path.append(error.message.split("'")[1])
    elif error.validator == "additionalProperties":
        extra = error.message.split("'")[1] if "'" in error.message else ""
        path.append(extra)
    return prefix + ".".join(path) if path else prefix.rstrip(".") or "body"


def _message(error: ValidationError, field: str) -> str:
    if error.validator == "required":
        return f"Field [{field}] is required"
    if error.validator == "additionalProperties":
        return f"Field [{field}] is not recognised"
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return f"Field [{field}] has an invalid value {error.instance!r}; expected one of: {allowed}"
    if error.validator == "type":
        return f"Field [{field}] must be of type {error.validator_value}, got {type(error.instance).__name__}"
    if error.validator in ("maxLength", "minLength") and isinstance(error.instance, str):
        bound = "at most" if error.validator == "maxLength" else "at least"
        return f"Field [{field}] must be {bound} {error.validator_value} characters long, got {len(error.instance)}"
    detail = error.message if len(error.message) <= MAX_DETAIL else error.message[:MAX_DETAIL] + "..."
    return f"Field [{field}] is invalid: {detail}"


def coerce_numbers(schema: dict, value):
    """Turn JSON numbers into strings where the schema wants a string (lenient mode)."""
    if isinstance(value, dict) and "properties" in schema:
        return {k: coerce_numbers(schema["properties"].get(k, {}), v) for k, v in value.items()}
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [coerce_numbers(schema["items"], v) for v in value]
    if schema.get("type") == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def field_errors(validator, instance, prefix: str = "") -> list[dict]:
    """Return the `context.fields` entries for every schema violation of `instance`, by field path."""
    found = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        field = _field_of(error, prefix)
        found.append(field_error(field, _message(error, field)))
    return found


class BodyValidator:
    """Validates request bodies of spec operations, by operation id."""

    def __init__(self, *, reject_unknown: bool = True, lenient_numbers: bool = False):
        self.reject_unknown = reject_unknown
        self.lenient_numbers = lenient_numbers
        spec = load_subset()
        self._schemas = spec["components"]["schemas"]
        self._ops = {
            op["operationId"]: op
            for item in spec["paths"].values()
            for op in item.values()
            if isinstance(op, dict) and "operationId" in op
        }
        self._compiled: dict[str, tuple[dict, SpecValidator]] = {}

    def _validator(self, op_id: str) -> tuple[dict, SpecValidator]:
        if op_id not in self._compiled:
            body = self._ops[op_id]["requestBody"]["content"]["application/json"]["schema"]
            schema = inline(copy.deepcopy(body), self._schemas, self.reject_unknown)
            self._compiled[op_id] = (schema, SpecValidator(schema))
        return self._compiled[op_id]

    def schema(self, op_id: str) -> dict:
        """Return the inlined request-body schema of an operation (closed when unknown fields are refused)."""
        return self._validator(op_id)[0]

    def errors(self, op_id: str, body, prefix: str = "") -> tuple[object, list[dict]]:
        """Return (body, field errors); in lenient mode the returned body has numbers turned into strings."""
        schema, validator = self._validator(op_id)
        if self.lenient_numbers:
            body = coerce_numbers(schema, body)
        return body, field_errors(validator, body, prefix)

    def check(self, op_id: str, body):
        """Return the (possibly coerced) body, or raise Miro's 400 naming every invalid field."""
        if not isinstance(body, dict):
            raise invalid("Request body must be a JSON object", "body")
        body, found = self.errors(op_id, body)
        if found:
            raise ApiError(400, "invalidParameters", found[0]["message"], {"fields": found})
        return body


@cache
def response_schema(op_id: str, status: str) -> dict | None:
    """Return the inlined response schema of an operation (used by the fidelity tests)."""
    spec = load_subset()
    for item in spec["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == op_id:
                content = (op["responses"].get(status) or {}).get("content") or {}
                schema = (content.get("application/json") or {}).get("schema")
                return inline(schema, spec["components"]["schemas"], False) if schema else None
    return None


@cache
def _query_lengths(op_id: str) -> dict[str, tuple[int | None, int | None]]:
    """Return (minLength, maxLength) of the query parameters of an operation that have either."""
    for path_item in load_subset()["paths"].values():
        for op in path_item.values():
            if isinstance(op, dict) and op.get("operationId") == op_id:
                return {
                    p["name"]: (p["schema"].get("minLength"), p["schema"].get("maxLength"))
                    for p in op.get("parameters", [])
                    if p.get("in") == "query" and {"minLength", "maxLength"} & set(p.get("schema", {}))
                }
    return {}


def check_query(op_id: str, args) -> None:
    """Raise Miro's 400 when a query parameter is shorter or longer than the spec allows (e.g. `query` <= 500)."""
    for name, (low, high) in _query_lengths(op_id).items():
        value = args.get(name)
        if value is None:
            continue
        if high is not None and len(value) > high:
            raise invalid(f"Parameter [{name}] must be at most {high} characters long, got {len(value)}", name)
        if low is not None and len(value) < low:
            raise invalid(f"Parameter [{name}] must be at least {low} characters long, got {len(value)}", name)
