"""Typed item endpoints: frames, cards, app cards, sticky notes, shapes and texts (create 201, get, patch, delete 204).

Paths and schemas: https://developers.miro.com/reference/create-frame-item and siblings. One set of views serves
every type; each route is registered under its own rule so stats and rate levels name the exact endpoint.
"""

from __future__ import annotations

from flask import Blueprint, g

from miro_emulator.board_ops import create_item, delete_item, update_item
from miro_emulator.context import base_url, board_for, emulator, item_of, json_body
from miro_emulator.errors import ApiError, empty_response, json_response
from miro_emulator.operations import api_route
from miro_emulator.rules import item_errors
from miro_emulator.serialize import TYPE_PATHS, item_json

bp = Blueprint("items", __name__)


def slug(item_type: str) -> str:
    """Return the type as it appears in operation ids (`sticky_note` -> `sticky-note`)."""
    return item_type.replace("_", "-")


def raise_if(errors: list[dict]) -> None:
    """Raise Miro's 400 for rule violations."""
    if errors:
        raise ApiError(400, "invalidParameters", errors[0]["message"], {"fields": errors})


def validated_update(op_id: str, body) -> tuple[dict, bool]:
    """Validate a PATCH body; `parent: null` (detach from the frame) is taken out before schema validation."""
    if isinstance(body, dict) and "parent" in body and body["parent"] is None:
        rest = emulator().validator.check(op_id, {k: v for k, v in body.items() if k != "parent"})
        return {**rest, "parent": None}, True
    return emulator().validator.check(op_id, body), False


def check_app_card_owner(item) -> None:
    """Only the app that created an app card may change it (https://developers.miro.com/docs/app-card)."""
    if item.type == "app_card" and item.app_id != g.token.client_id:
        raise ApiError(403, "forbiddenAccess", "This app card was created by another app and is read-only")


def _register(item_type: str) -> None:
    path = f"/v2/boards/<board_id>/{TYPE_PATHS[item_type]}"
    name = slug(item_type)

    def create(board_id):
        emu = emulator()
        body = emu.validator.check(f"create-{name}-item", json_body())
        with emu.store.lock:
            board = board_for(board_id, "write")
            raise_if(item_errors(emu.store, board, item_type, body))
            item = create_item(emu.store, board, item_type, body, g.user.id, g.token.client_id)
            out = item_json(base_url(), board, item, g.token.client_id)
        return json_response(out, 201)

    def get(board_id, item_id):
        with emulator().store.lock:
            board = board_for(board_id, "read")
            return json_response(item_json(base_url(), board, item_of(board, item_id, item_type), g.token.client_id))

    def patch(board_id, item_id):
        emu = emulator()
        body, _ = validated_update(f"update-{name}-item", json_body())
        with emu.store.lock:
            board = board_for(board_id, "write")
            item = item_of(board, item_id, item_type)
            check_app_card_owner(item)
            raise_if(item_errors(emu.store, board, item_type, body, existing=item))
            update_item(emu.store, board, item, body, g.user.id)
            out = item_json(base_url(), board, item, g.token.client_id)
        return json_response(out)

    def delete(board_id, item_id):
        with emulator().store.lock:
            board = board_for(board_id, "write")
            delete_item(board, item_of(board, item_id, item_type))
        return empty_response()

    api_route(bp, path, ["POST"], f"create-{name}-item", endpoint=f"create_{item_type}")(create)
    api_route(bp, f"{path}/<item_id>", ["GET"], f"get-{name}-item", endpoint=f"get_{item_type}")(get)
    api_route(bp, f"{path}/<item_id>", ["PATCH"], f"update-{name}-item", endpoint=f"update_{item_type}")(patch)
    api_route(bp, f"{path}/<item_id>", ["DELETE"], f"delete-{name}-item", endpoint=f"delete_{item_type}")(delete)


for _type in TYPE_PATHS:
    _register(_type)
