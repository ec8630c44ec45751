"""The Miro operations this client calls: Miro's operation id, HTTP method, path and rate-limit level.

Ids and levels are those of Miro's OpenAPI spec (each operation's "Rate limiting: Level N",
https://developers.miro.com/reference/rate-limiting); a test checks this table against the spec.
Retries depend on `idempotent`: a POST creates something each time, and so does the PUT that copies a board.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Operation:
    """One Miro REST operation."""

    id: str
    method: str
    path: str
    level: int
    idempotent: bool

    def format_path(self, **params: str) -> str:
        """Return the path with each parameter URL-encoded (board ids contain '=')."""
        return self.path.format(**{name: quote(str(value), safe="") for name, value in params.items()})


def _op(op_id: str, method: str, path: str, level: int, *, idempotent: bool | None = None) -> Operation:
    if idempotent is None:
        idempotent = method in ("GET", "PATCH", "DELETE")
    return Operation(op_id, method, path, level, idempotent)


_BOARD = "/v2/boards/{board_id}"
_ITEM = _BOARD + "/items/{item_id}"

_TABLE = [
    _op("token-info", "GET", "/v1/oauth-token", 1),
    # Boards (https://developers.miro.com/reference/create-board)
    _op("create-board", "POST", "/v2/boards", 3),
    _op("get-boards", "GET", "/v2/boards", 1),
    _op("get-specific-board", "GET", _BOARD, 1),
    _op("update-board", "PATCH", _BOARD, 2),
    _op("copy-board", "PUT", "/v2/boards", 4, idempotent=False),
    _op("delete-board", "DELETE", _BOARD, 3),
    _op("share-board", "POST", _BOARD + "/members", 3),
    _op("get-board-members", "GET", _BOARD + "/members", 1),
    _op("get-specific-board-member", "GET", _BOARD + "/members/{board_member_id}", 1),
    # Generic items (https://developers.miro.com/reference/get-items)
    _op("get-items", "GET", _BOARD + "/items", 2),
    _op("get-items-within-frame", "GET", _BOARD + "/items", 2),
    _op("get-items-by-tag", "GET", _BOARD + "/items", 1),
    _op("get-specific-item", "GET", _ITEM, 1),
    _op("update-item-position-or-parent", "PATCH", _ITEM, 2),
    _op("delete-item", "DELETE", _ITEM, 3),
    # Bulk: level 2 per item (https://developers.miro.com/reference/create-items)
    _op("create-items", "POST", _BOARD + "/items/bulk", 2),
    # Connectors
    _op("create-connector", "POST", _BOARD + "/connectors", 2),
    _op("get-connectors", "GET", _BOARD + "/connectors", 2),
    _op("get-connector", "GET", _BOARD + "/connectors/{connector_id}", 1),
    _op("update-connector", "PATCH", _BOARD + "/connectors/{connector_id}", 2),
    _op("delete-connector", "DELETE", _BOARD + "/connectors/{connector_id}", 3),
    # Tags: every tag operation is level 1 (https://developers.miro.com/reference/create-tag)
    _op("create-tag", "POST", _BOARD + "/tags", 1),
    _op("get-tags-from-board", "GET", _BOARD + "/tags", 1),
    _op("get-tag", "GET", _BOARD + "/tags/{tag_id}", 1),
    _op("update-tag", "PATCH", _BOARD + "/tags/{tag_id}", 1),
    _op("delete-tag", "DELETE", _BOARD + "/tags/{tag_id}", 1),
    _op("attach-tag-to-item", "POST", _ITEM, 1),
    _op("remove-tag-from-item", "DELETE", _ITEM, 1),
    _op("get-tags-from-item", "GET", _ITEM + "/tags", 1),
]

# Typed item endpoints: create and update level 2, get level 1, delete level 3.
ITEM_PATHS: dict[str, str] = {
    "frame": "frames",
    "card": "cards",
    "app_card": "app_cards",
    "sticky_note": "sticky_notes",
    "shape": "shapes",
    "text": "texts",
}
for _type, _segment in ITEM_PATHS.items():
    _slug = _type.replace("_", "-")
    _TABLE += [
        _op(f"create-{_slug}-item", "POST", f"{_BOARD}/{_segment}", 2),
        _op(f"get-{_slug}-item", "GET", f"{_BOARD}/{_segment}/{{item_id}}", 1),
        _op(f"update-{_slug}-item", "PATCH", f"{_BOARD}/{_segment}/{{item_id}}", 2),
        _op(f"delete-{_slug}-item", "DELETE", f"{_BOARD}/{_segment}/{{item_id}}", 3),
    ]

OPERATIONS: dict[str, Operation] = {operation.id: operation for operation in _TABLE}
