"""Items of any type: get, list, move, delete (https://developers.miro.com/reference/get-items).

Positions are item centres; for a child of a frame they are measured from the frame's top-left corner
(https://developers.miro.com/docs/boards#position-relative-to-parent-items).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..pagination import iter_cursor
from ..types import Item, Position
from . import OperationsBase, body, parent, query_params

# Miro accepts 10..50 items per page and defaults to 10 (https://developers.miro.com/reference/get-items).
MIN_ITEMS_LIMIT, MAX_ITEMS_LIMIT = 10, 50


def check_items_limit(limit: int) -> int:
    if not MIN_ITEMS_LIMIT <= limit <= MAX_ITEMS_LIMIT:
        raise ValueError(f"limit must be between {MIN_ITEMS_LIMIT} and {MAX_ITEMS_LIMIT}")
    return limit


class ItemsMixin(OperationsBase):
    """Operations on items of any type."""

    def get_item(self, board_id: str, item_id: str) -> Item:
        """Return any item in its generic form (no style)."""
        return self._call("get-specific-item", board_id=board_id, item_id=item_id)

    def iter_items(
        self,
        board_id: str,
        *,
        type: str | None = None,  # Miro's parameter name, though it shadows the builtin
        parent_item_id: str | None = None,
        limit: int = MAX_ITEMS_LIMIT,
    ) -> Iterator[Item]:
        """Yield a board's items (or a frame's children), fetching cursor pages lazily."""
        params = query_params(limit=check_items_limit(limit), type=type, parent_item_id=parent_item_id)
        operation = "get-items-within-frame" if parent_item_id is not None else "get-items"
        items = iter_cursor(lambda page: self._call(operation, params=page, board_id=board_id), params)
        if parent_item_id is None or type is None:
            return items
        # Field report (jira-miro-sync): Miro can ignore parent_item_id when type is also given. Drop items
        # that name another parent; keep those without parent metadata, which Miro omits on some types.
        return (item for item in items if (item.get("parent") or {}).get("id", parent_item_id) == parent_item_id)

    def count_items(self, board_id: str) -> int | None:
        """Return how many items the board has, from one short page's `total` (None when Miro gives none)."""
        page = self._call("get-items", params={"limit": str(MIN_ITEMS_LIMIT)}, board_id=board_id)
        total = page.get("total")
        return int(total) if isinstance(total, int) else None

    def update_item(
        self, board_id: str, item_id: str, *, position: Position | None = None, parent_id: str | None = None
    ) -> Item:
        """Move any item, or put it into a frame (the position is then relative to the frame)."""
        payload = body(position=position, parent=parent(parent_id))
        return self._call("update-item-position-or-parent", json=payload, board_id=board_id, item_id=item_id)

    def delete_item(self, board_id: str, item_id: str) -> None:
        """Delete any item."""
        self._call("delete-item", board_id=board_id, item_id=item_id)
