"""Connectors: create (200, not 201), list (cursor paging), get, update, delete
(https://developers.miro.com/reference/create-connector). Frames cannot be connected; start and end differ."""

from __future__ import annotations

import copy

from flask import Blueprint, g, request

from miro_emulator.context import base_url, board_for, emulator, int_arg, json_body
from miro_emulator.errors import empty_response, field_error, json_response, not_found
from miro_emulator.geometry import absolute
from miro_emulator.operations import api_route
from miro_emulator.routes.generic import decode_cursor, encode_cursor
from miro_emulator.routes.items import raise_if
from miro_emulator.rules import endpoint_errors
from miro_emulator.serialize import connector_json, cursor_page
from miro_emulator.state import Connector

bp = Blueprint("connectors", __name__)
DEFAULT_STYLE = {
    "color": "#1a1a1a",
    "endStrokeCap": "stealth",
    "fontSize": "14",
    "startStrokeCap": "none",
    "strokeColor": "#000000",
    "strokeStyle": "normal",
    "strokeWidth": "1.0",
    "textOrientation": "aligned",
}
SNAP_POINTS = {
    "top": ("50.0%", "0.0%"),
    "right": ("100.0%", "50.0%"),
    "bottom": ("50.0%", "100.0%"),
    "left": ("0.0%", "50.0%"),
}


def _endpoint(board, end: dict, other_id: str) -> dict:
    """Resolve `snapTo` (or nothing, which means `auto`) into the relative position Miro reports."""
    if "position" in end:
        return {"id": end["id"], "position": dict(end["position"])}
    side = end.get("snapTo", "auto")
    if side == "auto":
        (x1, y1), (x2, y2) = absolute(board, board.items[end["id"]]), absolute(board, board.items[other_id])
        if abs(x2 - x1) >= abs(y2 - y1):
            side = "right" if x2 >= x1 else "left"
        else:
            side = "bottom" if y2 >= y1 else "top"
    x, y = SNAP_POINTS[side]
    return {"id": end["id"], "position": {"x": x, "y": y}}


def _check(board, start: dict, end: dict) -> None:
    errors = endpoint_errors(board, "startItem", start) + endpoint_errors(board, "endItem", end)
    if start.get("id") and start.get("id") == end.get("id"):
        errors.append(field_error("endItem.id", "A connector cannot start and end at the same item"))
    raise_if(errors)


@api_route(bp, "/v2/boards/<board_id>/connectors", ["POST"], "create-connector")
def create_connector(board_id):
    """Connect two items (200)."""
    emu = emulator()
    body = emu.validator.check("create-connector", json_body())
    with emu.store.lock:
        board = board_for(board_id, "write")
        start, end = body["startItem"], body["endItem"]
        _check(board, start, end)
        now = emu.store.clock()
        connector = Connector(
            id=emu.store.new_id(),
            start=_endpoint(board, start, end["id"]),
            end=_endpoint(board, end, start["id"]),
            shape=body.get("shape", "curved"),
            captions=copy.deepcopy(body.get("captions") or []),
            style={**DEFAULT_STYLE, **(body.get("style") or {})},
            created_at=now,
            created_by=g.user.id,
            modified_at=now,
            modified_by=g.user.id,
        )
        board.connectors[connector.id] = connector
        return json_response(connector_json(base_url(), board, connector))


@api_route(bp, "/v2/boards/<board_id>/connectors", ["GET"], "get-connectors")
def list_connectors(board_id):
    """List connectors in cursor pages of 10..50 (default 10)."""
    limit = int_arg("limit", 10, 10, 50)
    cursor = request.args.get("cursor") or None
    start = decode_cursor(cursor) if cursor else None
    with emulator().store.lock:
        board = board_for(board_id, "read")
        connectors = list(board.connectors.values())
        first = (
            0 if start is None else next((n for n, c in enumerate(connectors) if int(c.id) >= start), len(connectors))
        )
        page = [connector_json(base_url(), board, c) for c in connectors[first : first + limit]]
        after = connectors[first + limit].id if first + limit < len(connectors) else None
    url = f"{base_url()}/v2/boards/{board_id}/connectors"
    return json_response(
        cursor_page(url, page, len(connectors), limit, cursor, encode_cursor(after) if after else None)
    )


def _connector(board, connector_id: str) -> Connector:
    connector = board.connectors.get(connector_id)
    if connector is None:
        raise not_found(f"Connector {connector_id} not found")
    return connector


@api_route(bp, "/v2/boards/<board_id>/connectors/<connector_id>", ["GET"], "get-connector")
def get_connector(board_id, connector_id):
    """Return one connector."""
    with emulator().store.lock:
        board = board_for(board_id, "read")
        return json_response(connector_json(base_url(), board, _connector(board, connector_id)))


@api_route(bp, "/v2/boards/<board_id>/connectors/<connector_id>", ["PATCH"], "update-connector")
def update_connector(board_id, connector_id):
    """Change a connector's ends, shape, captions or style."""
    emu = emulator()
    body = emu.validator.check("update-connector", json_body())
    with emu.store.lock:
        board = board_for(board_id, "write")
        connector = _connector(board, connector_id)
        start = {"id": connector.start["id"], **(body.get("startItem") or {})}
        end = {"id": connector.end["id"], **(body.get("endItem") or {})}
        _check(board, start, end)
        if "startItem" in body:
            connector.start = _endpoint(board, start, end["id"])
        if "endItem" in body:
            connector.end = _endpoint(board, end, start["id"])
        connector.shape = body.get("shape", connector.shape)
        if "captions" in body:
            connector.captions = copy.deepcopy(body["captions"])
        connector.style.update(body.get("style") or {})
        connector.modified_at = max(emu.store.clock(), connector.modified_at + 0.001)
        connector.modified_by = g.user.id
        return json_response(connector_json(base_url(), board, connector))


@api_route(bp, "/v2/boards/<board_id>/connectors/<connector_id>", ["DELETE"], "delete-connector")
def delete_connector(board_id, connector_id):
    """Delete a connector (204)."""
    with emulator().store.lock:
        board = board_for(board_id, "write")
        _connector(board, connector_id)
        del board.connectors[connector_id]
    return empty_response()
