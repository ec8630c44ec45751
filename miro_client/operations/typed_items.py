"""Typed item endpoints: frames, cards, app cards, sticky notes, shapes and texts.

Each type has its own create/get/update path (https://developers.miro.com/reference/create-card-item); the
typed GET returns `style`, which the generic item endpoints leave out.
"""

from __future__ import annotations

from typing import Any

from ..types import Geometry, Item, Position
from . import OperationsBase, body, parent

Fields = dict[str, Any] | None


def _slug(item_type: str) -> str:
    return item_type.replace("_", "-")


class TypedItemsMixin(OperationsBase):
    """Create, read and change items of one type."""

    def _create(self, item_type: str, board_id: str, **fields: Any) -> Item:
        return self._call(f"create-{_slug(item_type)}-item", json=body(**fields), board_id=board_id)

    def _update(self, item_type: str, board_id: str, item_id: str, **fields: Any) -> Item:
        payload = body(**fields)
        return self._call(f"update-{_slug(item_type)}-item", json=payload, board_id=board_id, item_id=item_id)

    def _get(self, item_type: str, board_id: str, item_id: str) -> Item:
        return self._call(f"get-{_slug(item_type)}-item", board_id=board_id, item_id=item_id)

    # Frames cannot be nested through the REST API, so they take no parent.
    def create_frame(
        self,
        board_id: str,
        *,
        data: Fields,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
    ) -> Item:
        """Create a frame."""
        return self._create("frame", board_id, data=data, style=style, position=position, geometry=geometry)

    def create_card(
        self,
        board_id: str,
        *,
        data: Fields = None,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
        parent_id: str | None = None,
    ) -> Item:
        """Create a card (title, description, assigneeId, dueDate)."""
        return self._create(
            "card",
            board_id,
            data=data,
            style=style,
            position=position,
            geometry=geometry,
            parent=parent(parent_id),
        )

    def create_app_card(
        self,
        board_id: str,
        *,
        data: Fields = None,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
        parent_id: str | None = None,
    ) -> Item:
        """Create an app card (only this app can edit it afterwards)."""
        return self._create(
            "app_card",
            board_id,
            data=data,
            style=style,
            position=position,
            geometry=geometry,
            parent=parent(parent_id),
        )

    def create_sticky_note(
        self,
        board_id: str,
        *,
        data: Fields = None,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
        parent_id: str | None = None,
    ) -> Item:
        """Create a sticky note (geometry: width or height, not both)."""
        return self._create(
            "sticky_note",
            board_id,
            data=data,
            style=style,
            position=position,
            geometry=geometry,
            parent=parent(parent_id),
        )

    def create_shape(
        self,
        board_id: str,
        *,
        data: Fields = None,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
        parent_id: str | None = None,
    ) -> Item:
        """Create a shape (numeric style values are strings, e.g. fontSize "14")."""
        return self._create(
            "shape",
            board_id,
            data=data,
            style=style,
            position=position,
            geometry=geometry,
            parent=parent(parent_id),
        )

    def create_text(
        self,
        board_id: str,
        *,
        data: Fields,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
        parent_id: str | None = None,
    ) -> Item:
        """Create a text item (geometry: width and rotation only)."""
        return self._create(
            "text",
            board_id,
            data=data,
            style=style,
            position=position,
            geometry=geometry,
            parent=parent(parent_id),
        )

    def update_frame(
        self,
        board_id: str,
        item_id: str,
        *,
        data: Fields = None,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
    ) -> Item:
        """Change a frame."""
        return self._update("frame", board_id, item_id, data=data, style=style, position=position, geometry=geometry)

    def update_card(
        self,
        board_id: str,
        item_id: str,
        *,
        data: Fields = None,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
        parent_id: str | None = None,
    ) -> Item:
        """Change a card."""
        return self._update(
            "card",
            board_id,
            item_id,
            data=data,
            style=style,
            position=position,
            geometry=geometry,
            parent=parent(parent_id),
        )

    def update_app_card(
        self,
        board_id: str,
        item_id: str,
        *,
        data: Fields = None,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
        parent_id: str | None = None,
    ) -> Item:
        """Change an app card this app created."""
        return self._update(
            "app_card",
            board_id,
            item_id,
            data=data,
            style=style,
            position=position,
            geometry=geometry,
            parent=parent(parent_id),
        )

    def update_sticky_note(
        self,
        board_id: str,
        item_id: str,
        *,
        data: Fields = None,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
        parent_id: str | None = None,
    ) -> Item:
        """Change a sticky note."""
        return self._update(
            "sticky_note",
            board_id,
            item_id,
            data=data,
            style=style,
            position=position,
            geometry=geometry,
            parent=parent(parent_id),
        )

    def update_shape(
        self,
        board_id: str,
        item_id: str,
        *,
        data: Fields = None,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
        parent_id: str | None = None,
    ) -> Item:
        """Change a shape."""
        return self._update(
            "shape",
            board_id,
            item_id,
            data=data,
            style=style,
            position=position,
            geometry=geometry,
            parent=parent(parent_id),
        )

    def update_text(
        self,
        board_id: str,
        item_id: str,
        *,
        data: Fields = None,
        style: Fields = None,
        position: Position | None = None,
        geometry: Geometry | None = None,
        parent_id: str | None = None,
    ) -> Item:
        """Change a text item."""
        return self._update(
            "text",
            board_id,
            item_id,
            data=data,
            style=style,
            position=position,
            geometry=geometry,
            parent=parent(parent_id),
        )

    def get_frame(self, board_id: str, item_id: str) -> Item:
        """Return a frame with its style."""
        return self._get("frame", board_id, item_id)

    def get_card(self, board_id: str, item_id: str) -> Item:
        """Return a card with its style."""
        return self._get("card", board_id, item_id)

    def get_app_card(self, board_id: str, item_id: str) -> Item:
        """Return an app card with its style."""
        return self._get("app_card", board_id, item_id)

    def get_sticky_note(self, board_id: str, item_id: str) -> Item:
        """Return a sticky note with its style."""
        return self._get("sticky_note", board_id, item_id)

    def get_shape(self, board_id: str, item_id: str) -> Item:
        """Return a shape with its style."""
        return self._get("shape", board_id, item_id)

    def get_text(self, board_id: str, item_id: str) -> Item:
        """Return a text item with its style."""
        return self._get("text", board_id, item_id)
