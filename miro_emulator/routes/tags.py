"""Tags: create, list (offset paging), get, update, delete; attach to / detach from cards and sticky notes
(https://developers.miro.com/reference/create-tag, https://developers.miro.com/reference/attach-tag-to-item)."""

from __future__ import annotations

from flask import Blueprint, request

from miro_emulator.context import base_url, board_for, emulator, int_arg, item_of, json_body
from miro_emulator.errors import empty_response, invalid, json_response, not_found
from miro_emulator.operations import api_route
from miro_emulator.rules import MAX_TAGS_PER_ITEM, TAGGABLE
from miro_emulator.serialize import offset_page, tag_json
from miro_emulator.state import Tag

bp = Blueprint("tags", __name__)


def _tag(board, tag_id: str) -> Tag:
    tag = board.tags.get(tag_id)
    if tag is None:
        raise not_found(f"Tag {tag_id} not found")
    return tag


def _check_unique(board, title: str, own_id: str | None = None) -> None:
    # Tag titles are case-sensitive and unique on a board.
    if any(t.title == title and t.id != own_id for t in board.tags.values()):
        raise invalid(f"A tag titled {title!r} already exists on this board", "title")


@api_route(bp, "/v2/boards/<board_id>/tags", ["POST"], "create-tag")
def create_tag(board_id):
    """Create a tag (201); the title must be unique on the board."""
    emu = emulator()
    body = emu.validator.check("create-tag", json_body())
    with emu.store.lock:
        board = board_for(board_id, "write")
        _check_unique(board, body["title"])
        tag = Tag(emu.store.new_id(), body["title"], body.get("fillColor", "red"))
        board.tags[tag.id] = tag
        return json_response(tag_json(base_url(), board, tag), 201)


@api_route(bp, "/v2/boards/<board_id>/tags", ["GET"], "get-tags-from-board")
def list_tags(board_id):
    """List the board's tags, offset-paged (limit 1..50, default 20)."""
    limit = int_arg("limit", 20, 1, 50)
    offset = int_arg("offset", 0, 0, 1 << 31)
    with emulator().store.lock:
        board = board_for(board_id, "read")
        tags = list(board.tags.values())
        page = [tag_json(base_url(), board, t, links=False) for t in tags[offset : offset + limit]]
    return json_response(offset_page(f"{base_url()}/v2/boards/{board_id}/tags", page, len(tags), offset, limit))


@api_route(bp, "/v2/boards/<board_id>/tags/<tag_id>", ["GET"], "get-tag")
def get_tag(board_id, tag_id):
    """Return one tag (the spec asks for boards:write here, oddly; the emulator follows the spec)."""
    with emulator().store.lock:
        board = board_for(board_id, "read")
        return json_response(tag_json(base_url(), board, _tag(board, tag_id)))


@api_route(bp, "/v2/boards/<board_id>/tags/<tag_id>", ["PATCH"], "update-tag")
def update_tag(board_id, tag_id):
    """Rename or recolour a tag."""
    emu = emulator()
    body = emu.validator.check("update-tag", json_body())
    with emu.store.lock:
        board = board_for(board_id, "write")
        tag = _tag(board, tag_id)
        if "title" in body:
            _check_unique(board, body["title"], tag.id)
            tag.title = body["title"]
        tag.fill_color = body.get("fillColor", tag.fill_color)
        return json_response(tag_json(base_url(), board, tag))


@api_route(bp, "/v2/boards/<board_id>/tags/<tag_id>", ["DELETE"], "delete-tag")
def delete_tag(board_id, tag_id):
    """Delete a tag and remove it from every item (204)."""
    with emulator().store.lock:
        board = board_for(board_id, "write")
        _tag(board, tag_id)
        del board.tags[tag_id]
        for item in board.items.values():
            if tag_id in item.tag_ids:
                item.tag_ids.remove(tag_id)
    return empty_response()


def _tag_id_arg() -> str:
    tag_id = request.args.get("tag_id")
    if not tag_id:
        raise invalid("Parameter [tag_id] is required", "tag_id")
    return tag_id


@api_route(bp, "/v2/boards/<board_id>/items/<item_id>", ["POST"], "attach-tag-to-item")
def attach_tag(board_id, item_id):
    """Attach `?tag_id=` to a card or sticky note (204; at most 8 tags per item)."""
    tag_id = _tag_id_arg()
    with emulator().store.lock:
        board = board_for(board_id, "write")
        item = item_of(board, item_id)
        _tag(board, tag_id)
        if item.type not in TAGGABLE:
            raise invalid(f"Tags can only be attached to cards and sticky notes, not to a {item.type}", "item_id")
        if tag_id not in item.tag_ids:
            if len(item.tag_ids) >= MAX_TAGS_PER_ITEM:
                raise invalid(f"An item can have at most {MAX_TAGS_PER_ITEM} tags", "tag_id")
            item.tag_ids.append(tag_id)
    return empty_response()


def detach_tag(board_id: str, item_id: str, tag_id: str):
    """Remove a tag from an item (204); called for `DELETE /items/{item_id}?tag_id=`."""
    if not tag_id:
        raise invalid("Parameter [tag_id] is required", "tag_id")
    with emulator().store.lock:
        board = board_for(board_id, "write")
        item = item_of(board, item_id)
        _tag(board, tag_id)
        if tag_id in item.tag_ids:
            item.tag_ids.remove(tag_id)
    return empty_response()


@api_route(bp, "/v2/boards/<board_id>/items/<item_id>/tags", ["GET"], "get-tags-from-item")
def item_tags(board_id, item_id):
    """Return the tags of an item as `{tags: [...]}`."""
    with emulator().store.lock:
        board = board_for(board_id, "read")
        item = item_of(board, item_id)
        tags = [tag_json(base_url(), board, board.tags[t], links=False) for t in item.tag_ids if t in board.tags]
    return json_response({"tags": tags})
