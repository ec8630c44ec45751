"""Which spec operation a request is, with its rate-limit level and required scope, read from the spec subset.

Several operations share a URL and differ by query parameter (the spec splits them into `{board_id_PlatformTags}`
and `{board_id_PlatformContainers}` paths): listing items with `tag_id` is "get-items-by-tag" (Level 1), with
`parent_item_id` "get-items-within-frame"; `DELETE /items/{id}?tag_id=` detaches a tag instead of deleting the
item. Views are registered with `api_route`, which records the operation (or a chooser) per Flask endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from miro_emulator.ratelimit import LEVEL_CREDITS
from miro_emulator.spec import load_subset

ENDPOINT_OPS: dict[str, str | Callable] = {}
_PARAM = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


@dataclass(frozen=True)
class Operation:
    """A spec operation: id, rate-limit level and required scope (None for OAuth endpoints)."""

    op_id: str
    level: int | None
    scope: str | None


@cache
def operations() -> dict[str, Operation]:
    """Return every operation of the spec subset by operation id."""
    found = {}
    for item in load_subset()["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and "operationId" in op:
                found[op["operationId"]] = Operation(
                    op["operationId"], op.get("x-rate-limit-level"), op.get("x-required-scope")
                )
    return found


def api_route(blueprint, rule: str, methods: list[str], op: str | Callable, endpoint: str | None = None):
    """Register a view on `blueprint` for `rule` and remember which operation it serves."""

    def decorator(view):
        name = endpoint or view.__name__
        ENDPOINT_OPS[f"{blueprint.name}.{name}"] = op
        blueprint.add_url_rule(rule, endpoint=name, view_func=view, methods=methods)
        return view

    return decorator


def resolve(endpoint: str | None, args) -> Operation | None:
    """Return the operation a routed request performs."""
    op = ENDPOINT_OPS.get(endpoint or "")
    if callable(op):
        op = op(args)
    return operations().get(op) if op else None


def route_template(rule: str) -> str:
    """Turn Flask's `/v2/boards/<board_id>` into the spec's `/v2/boards/{board_id}`."""
    return _PARAM.sub(r"{\1}", rule)


def cost(operation: Operation, body) -> int:
    """Return the credits a request costs; bulk create costs Level 2 per item."""
    credits = LEVEL_CREDITS.get(operation.level or 0, 0)
    if operation.op_id == "create-items" and isinstance(body, list):
        return credits * max(1, len(body))
    return credits
