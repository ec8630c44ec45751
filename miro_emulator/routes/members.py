"""Board members: share by email, list, get, change role, remove
(https://developers.miro.com/reference/share-board)."""

from __future__ import annotations

import re

from flask import Blueprint, g

from miro_emulator.context import base_url, board_for, emulator, int_arg, json_body
from miro_emulator.errors import empty_response, invalid, json_response, not_found
from miro_emulator.operations import api_route
from miro_emulator.policy import check_role_change
from miro_emulator.serialize import member_json, offset_page

bp = Blueprint("members", __name__)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@api_route(bp, "/v2/boards/<board_id>/members", ["POST"], "share-board")
def share_board(board_id):
    """Invite users by email with a role; `owner` acts as co-owner. Unknown emails are reported as failed."""
    emu = emulator()
    body = emu.validator.check("share-board", json_body())
    role = body.get("role", "commenter")
    role = "coowner" if role == "owner" else role
    successful, failed = [], []
    with emu.store.lock:
        board = board_for(board_id, "share")
        check_role_change(g.role, role)
        for email in body["emails"]:
            user = next((u for u in emu.store.users.values() if u.email.lower() == email.lower()), None)
            if not EMAIL.match(email):
                failed.append({"email": email, "reason": "Invalid email"})
            elif user is None:
                failed.append({"email": email, "reason": "User not found in the emulated organisation"})
            else:
                if board.members.get(user.id) != "owner":
                    board.members[user.id] = role
                successful.append(int(user.id))
    return json_response({"successful": successful, "failed": failed}, 201)


@api_route(bp, "/v2/boards/<board_id>/members", ["GET"], "get-board-members")
def list_members(board_id):
    """List board members, offset-paged (limit 1..50, default 20)."""
    store = emulator().store
    limit = int_arg("limit", 20, 1, 50)
    offset = int_arg("offset", 0, 0, 1 << 31)
    with store.lock:
        board = board_for(board_id, "read")
        ids = list(board.members)
        page = [member_json(base_url(), store, board, user_id) for user_id in ids[offset : offset + limit]]
    url = f"{base_url()}/v2/boards/{board_id}/members"
    return json_response(offset_page(url, page, len(ids), offset, limit))


def _member(board, member_id: str) -> str:
    if member_id not in board.members:
        raise not_found(f"Board member {member_id} not found")
    return member_id


@api_route(bp, "/v2/boards/<board_id>/members/<board_member_id>", ["GET"], "get-specific-board-member")
def get_member(board_id, board_member_id):
    """Return one member."""
    store = emulator().store
    with store.lock:
        board = board_for(board_id, "read")
        return json_response(member_json(base_url(), store, board, _member(board, board_member_id), links=True))


@api_route(bp, "/v2/boards/<board_id>/members/<board_member_id>", ["PATCH"], "update-board-member")
def update_member(board_id, board_member_id):
    """Change a member's role (co-owner rights needed; the owner's role cannot change)."""
    emu = emulator()
    body = emu.validator.check("update-board-member", json_body())
    with emu.store.lock:
        board = board_for(board_id, "manage")
        member_id = _member(board, board_member_id)
        role = body.get("role", "commenter")
        role = "coowner" if role == "owner" else role
        check_role_change(g.role, role)
        if board.members[member_id] == "owner":
            raise invalid("The board owner's role cannot be changed", "role")
        board.members[member_id] = role
        return json_response(member_json(base_url(), emu.store, board, member_id, links=True))


@api_route(bp, "/v2/boards/<board_id>/members/<board_member_id>", ["DELETE"], "remove-board-member")
def remove_member(board_id, board_member_id):
    """Remove a member (co-owner rights needed, or yourself); the owner cannot be removed."""
    store = emulator().store
    with store.lock:
        board = board_for(board_id, "read" if board_member_id == g.user.id else "manage")
        member_id = _member(board, board_member_id)
        if board.members[member_id] == "owner":
            raise invalid("The board owner cannot be removed", "board_member_id")
        del board.members[member_id]
    return empty_response()
