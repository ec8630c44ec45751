"""Connectors between items (https://developers.miro.com/reference/create-connector).

Connectors are not items: they are listed by their own cursor-paged endpoint, cannot be bulk-created and
cannot attach to frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..pagination import iter_cursor
from ..types import Connector, ConnectorEnd
from . import OperationsBase, body, query_params
from .items import MAX_ITEMS_LIMIT, check_items_limit
from .typed_items import Fields


class ConnectorsMixin(OperationsBase):
    """Connector operations."""

    def create_connector(
        self,
        board_id: str,
        *,
        start_item: ConnectorEnd | str,
        end_item: ConnectorEnd | str,
        shape: str | None = None,
        captions: list[dict[str, Any]] | None = None,
        style: Fields = None,
    ) -> Connector:
        """Connect two items (not frames); an end is an item id or `{id, snapTo | position}`."""
        payload = body(startItem=_end(start_item), endItem=_end(end_item), shape=shape, captions=captions, style=style)
        return self._call("create-connector", json=payload, board_id=board_id)

    def iter_connectors(self, board_id: str, *, limit: int = MAX_ITEMS_LIMIT) -> Iterator[Connector]:
        """Yield a board's connectors, fetching cursor pages lazily."""
        params = query_params(limit=check_items_limit(limit))
        return iter_cursor(lambda page: self._call("get-connectors", params=page, board_id=board_id), params)

    def get_connector(self, board_id: str, connector_id: str) -> Connector:
        """Return one connector."""
        return self._call("get-connector", board_id=board_id, connector_id=connector_id)

    def update_connector(
        self,
        board_id: str,
        connector_id: str,
        *,
        start_item: ConnectorEnd | str | None = None,
        end_item: ConnectorEnd | str | None = None,
        shape: str | None = None,
        captions: list[dict[str, Any]] | None = None,
        style: Fields = None,
    ) -> Connector:
        """Change a connector."""
        payload = body(startItem=_end(start_item), endItem=_end(end_item), shape=shape, captions=captions, style=style)
        return self._call("update-connector", json=payload, board_id=board_id, connector_id=connector_id)

    def delete_connector(self, board_id: str, connector_id: str) -> None:
        """Delete a connector."""
        self._call("delete-connector", board_id=board_id, connector_id=connector_id)


def _end(end: ConnectorEnd | str | None) -> dict[str, Any] | None:
    if end is None or isinstance(end, dict):
        return end
    return {"id": str(end)}
