"""Tags on cards and sticky notes (https://developers.miro.com/reference/create-tag).

Tag changes made through the REST API show on an open board only after a refresh, and a card or
sticky note holds at most 8 tags.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..pagination import iter_offset
from ..types import Item, Tag
from . import OperationsBase, body
from .boards import MAX_OFFSET_LIMIT, check_offset_limit


class TagsMixin(OperationsBase):
    """Tag operations."""

    def create_tag(self, board_id: str, *, title: str, fill_color: str | None = None) -> Tag:
        """Create a tag (title unique on the board, at most 120 characters)."""
        return self._call("create-tag", json=body(title=title, fillColor=fill_color), board_id=board_id)

    def iter_tags(self, board_id: str, *, limit: int = MAX_OFFSET_LIMIT) -> Iterator[Tag]:
        """Yield a board's tags, fetching pages lazily."""
        return iter_offset(
            lambda page: self._call("get-tags-from-board", params=page, board_id=board_id),
            {},
            check_offset_limit(limit),
        )

    def get_tag(self, board_id: str, tag_id: str) -> Tag:
        """Return one tag."""
        return self._call("get-tag", board_id=board_id, tag_id=tag_id)

    def update_tag(self, board_id: str, tag_id: str, *, title: str | None = None, fill_color: str | None = None) -> Tag:
        """Rename or recolour a tag."""
        payload = body(title=title, fillColor=fill_color)
        return self._call("update-tag", json=payload, board_id=board_id, tag_id=tag_id)

    def delete_tag(self, board_id: str, tag_id: str) -> None:
        """Delete a tag, which removes it from every item."""
        self._call("delete-tag", board_id=board_id, tag_id=tag_id)

    def attach_tag(self, board_id: str, item_id: str, tag_id: str) -> None:
        """Attach a tag to a card or sticky note."""
        self._call("attach-tag-to-item", params={"tag_id": str(tag_id)}, board_id=board_id, item_id=item_id)

    def detach_tag(self, board_id: str, item_id: str, tag_id: str) -> None:
        """Remove a tag from an item (the same URL as deleting the item, plus `tag_id`)."""
        if not tag_id:
            # Without tag_id this request would delete the item itself.
            raise ValueError("tag_id is required")
        self._call("remove-tag-from-item", params={"tag_id": str(tag_id)}, board_id=board_id, item_id=item_id)

    def get_item_tags(self, board_id: str, item_id: str) -> list[Tag]:
        """Return the tags on an item (Miro's `tags` list)."""
        result = self._call("get-tags-from-item", board_id=board_id, item_id=item_id)
        return list((result or {}).get("tags") or [])

    def iter_items_by_tag(self, board_id: str, tag_id: str, *, limit: int = MAX_OFFSET_LIMIT) -> Iterator[Item]:
        """Yield the items carrying a tag (this list pages by offset, unlike other item lists)."""
        return iter_offset(
            lambda page: self._call("get-items-by-tag", params=page, board_id=board_id),
            {"tag_id": str(tag_id)},
            check_offset_limit(limit),
        )
