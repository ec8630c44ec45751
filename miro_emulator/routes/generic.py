"""Generic item endpoints: list (cursor paging, `type`, `parent_item_id`; offset paging with `tag_id`), get,
move or re-parent, delete (or detach a tag with `?tag_id=`), and bulk create
(https://developers.miro.com/reference/get-items, https://developers.miro.com/reference/create-items)."""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, g, request

from miro_emulator.board_ops import create_item, delete_item, move_item, touch
from miro_emulator.context import base_url, board_for, emulator, int_arg, item_of, json_body
from miro_emulator.errors import ApiError, empty_response, field_error, invalid, json_response, not_found
from miro_emulator.operations import api_route
from miro_emulator.routes.items import raise_if, validated_update
from miro_emulator.routes.tags import detach_tag
from miro_emulator.rules import item_errors, parent_errors
from miro_emulator.serialize import TYPE_PATHS, cursor_page, item_json, offset_page

bp = Blueprint("generic", __name__)
LIST_TYPES = (
    "text",
    "shape",
    "sticky_note",
    "image",
    "document",
    "card",
    "app_card",
    "preview",
    "frame",
    "embed",
    "doc_format",
    "data_table_format",
)
BULK_TYPES = ("app_card", "text", "shape", "sticky_note", "image", "document", "card", "frame", "embed")
BULK_MAX = 20  # "up to 20 items" per bulk call (https://developers.miro.com/reference/create-items)


def encode_cursor(item_id: str) -> str:
    """Return an opaque cursor for the page starting at `item_id` (Miro's look like base64 of `<id>~`)."""
    return base64.b64encode(f"{item_id}~".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """Return the item id a cursor starts at, or raise 400."""
    try:
        return int(base64.b64decode(cursor, validate=True).decode().rstrip("~"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid("Parameter [cursor] is not a valid cursor", "cursor") from None


def _list_op(args) -> str:
    if "tag_id" in args:
        return "get-items-by-tag"
    return "get-items-within-frame" if "parent_item_id" in args else "get-items"


@api_route(bp, "/v2/boards/<board_id>/items", ["GET"], _list_op)
def list_items(board_id):
    """List items: cursor pages of 10..50 (default 10), filtered by `type` and/or `parent_item_id`."""
    if "tag_id" in request.args:
        return _items_by_tag(board_id)
    limit = int_arg("limit", 10, 10, 50)
    item_type = request.args.get("type")
    if item_type is not None and item_type not in LIST_TYPES:
        raise invalid(f"Parameter [type] must be one of {', '.join(LIST_TYPES)}", "type")
    cursor = request.args.get("cursor") or None
    start = decode_cursor(cursor) if cursor else None
    parent_id = request.args.get("parent_item_id")
    store = emulator().store
    with store.lock:
        board = board_for(board_id, "read")
        if parent_id is not None and parent_id not in board.items:
            raise not_found(f"Item {parent_id} not found")
        matching = [
            i
            for i in board.items.values()
            if (item_type is None or i.type == item_type) and (parent_id is None or i.parent_id == parent_id)
        ]
        first = 0
        if start is not None:
            first = next((n for n, item in enumerate(matching) if int(item.id) >= start), len(matching))
        page = matching[first : first + limit]
        after = matching[first + limit] if first + limit < len(matching) else None
        data = [item_json(base_url(), board, item, g.token.client_id) for item in page]
    query = {k: request.args[k] for k in ("type", "parent_item_id") if k in request.args}
    next_cursor = encode_cursor(after.id) if after else None
    return json_response(
        cursor_page(f"{base_url()}/v2/boards/{board_id}/items", data, len(matching), limit, cursor, next_cursor, query)
    )


def _items_by_tag(board_id):
    limit = int_arg("limit", 20, 1, 50)
    offset = int_arg("offset", 0, 0, 1 << 31)
    tag_id = request.args["tag_id"]
    store = emulator().store
    with store.lock:
        board = board_for(board_id, "read")
        if tag_id not in board.tags:
            raise not_found(f"Tag {tag_id} not found")
        tagged = [i for i in board.items.values() if tag_id in i.tag_ids]
        data = [item_json(base_url(), board, i, g.token.client_id) for i in tagged[offset : offset + limit]]
    url = f"{base_url()}/v2/boards/{board_id}/items"
    return json_response(offset_page(url, data, len(tagged), offset, limit, {"tag_id": tag_id}))


@api_route(bp, "/v2/boards/<board_id>/items/bulk", ["POST"], "create-items")
def create_bulk(board_id):
    """Create 1..20 items in one transaction: one invalid item and nothing is created (201)."""
    emu = emulator()
    body = json_body()
    if not isinstance(body, list):
        raise invalid("Request body must be an array of items", "body")
    if not 1 <= len(body) <= BULK_MAX:
        raise invalid(f"A bulk request must hold 1 to {BULK_MAX} items, got {len(body)}", "body")
    with emu.store.lock:
        board = board_for(board_id, "write")
        errors, accepted = [], []
        for index, entry in enumerate(body):
            item_type = entry.get("type") if isinstance(entry, dict) else None
            if item_type not in BULK_TYPES:
                errors.append(
                    field_error(f"{index}.type", f"Field [{index}.type] must be one of {', '.join(BULK_TYPES)}")
                )
                continue
            if item_type not in TYPE_PATHS:
                errors.append(field_error(f"{index}.type", f"The emulator does not support {item_type} items"))
                continue
            rest, found = emu.bulk_validator.errors(item_type, entry, index)
            if not found:
                found = [
                    {**e, "field": f"{index}.{e['field']}"} for e in item_errors(emu.store, board, item_type, rest)
                ]
            errors += found
            accepted.append((item_type, rest))
        if errors:
            raise ApiError(
                400,
                "invalidParameters",
                f"Bulk create failed, no item was created: {errors[0]['message']}",
                {"fields": errors},
            )
        items = [create_item(emu.store, board, t, rest, g.user.id, g.token.client_id) for t, rest in accepted]
        data = [item_json(base_url(), board, item, g.token.client_id) for item in items]
    return json_response({"type": "bulk-list", "data": data}, 201)


@api_route(bp, "/v2/boards/<board_id>/items/<item_id>", ["GET"], "get-specific-item")
def get_item(board_id, item_id):
    """Return any item."""
    with emulator().store.lock:
        board = board_for(board_id, "read")
        return json_response(item_json(base_url(), board, item_of(board, item_id), g.token.client_id))


@api_route(bp, "/v2/boards/<board_id>/items/<item_id>", ["PATCH"], "update-item-position-or-parent")
def move(board_id, item_id):
    """Move an item and/or change its parent frame (positions read in the new parent's coordinates)."""
    emu = emulator()
    body, detach = validated_update("update-item-position-or-parent", json_body())
    with emu.store.lock:
        board = board_for(board_id, "write")
        item = item_of(board, item_id)
        raise_if(
            parent_errors(board, item.type, body, existing=item)
            + item_errors(emu.store, board, item.type, {"position": body.get("position") or {}})
        )
        move_item(
            board,
            item,
            body.get("position"),
            "parent" in body,
            None if detach else (body.get("parent") or {}).get("id"),
        )
        touch(emu.store, item, g.user.id)
        return json_response(item_json(base_url(), board, item, g.token.client_id))


def _delete_op(args) -> str:
    return "remove-tag-from-item" if "tag_id" in args else "delete-item"


@api_route(bp, "/v2/boards/<board_id>/items/<item_id>", ["DELETE"], _delete_op)
def delete(board_id, item_id):
    """Delete an item (204) - or, with `?tag_id=`, only remove that tag from it (the same URL!)."""
    if "tag_id" in request.args:
        return detach_tag(board_id, item_id, request.args["tag_id"])
    with emulator().store.lock:
        board = board_for(board_id, "write")
        delete_item(board, item_of(board, item_id))
    return empty_response()
