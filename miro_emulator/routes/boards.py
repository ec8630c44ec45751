"""Boards: create, list (offset paging), get, update, copy, delete (https://developers.miro.com/reference/boards)."""

from __future__ import annotations

from flask import Blueprint, g, request

from miro_emulator.board_ops import copy_content
from miro_emulator.context import base_url, board_for, emulator, int_arg, json_body, optional_body
from miro_emulator.errors import ApiError, empty_response, invalid, json_response, not_found
from miro_emulator.operations import api_route
from miro_emulator.policy import merge_policy, role_of
from miro_emulator.serialize import board_json, offset_page

bp = Blueprint("boards", __name__)
SORTS = ("default", "last_modified", "last_opened", "last_created", "alphabetically")


def _team_for(team_id: str | None) -> str:
    """Return the team a board goes to: the given one (the user must belong to it) or the token's team."""
    store = emulator().store
    if team_id is None:
        return g.token.team_id
    if team_id not in store.teams:
        raise not_found(f"Team {team_id} not found")
    if team_id not in g.user.team_ids:
        raise ApiError(403, "forbiddenAccess", f"You are not a member of team {team_id}")
    return team_id


@api_route(bp, "/v2/boards", ["POST"], "create-board")
def create_board():
    """Create a board owned by the current user (201)."""
    emu = emulator()
    body = emu.validator.check("create-board", optional_body())
    board = emu.store.create_board(
        g.user.id,
        body.get("name", "Untitled"),
        team_id=_team_for(body.get("teamId")),
        description=body.get("description", ""),
        policy=body.get("policy"),
        project_id=body.get("projectId"),
    )
    return json_response(board_json(base_url(), emu.store, board, g.user, last_opened=False), 201)


@api_route(bp, "/v2/boards", ["GET"], "get-boards")
def list_boards():
    """List the boards the current user can open, offset-paged (limit 1..50, default 20)."""
    store = emulator().store
    limit = int_arg("limit", 20, 1, 50)
    offset = int_arg("offset", 0, 0, 1 << 31)
    sort = request.args.get("sort", "default")
    if sort not in SORTS:
        raise invalid(f"Parameter [sort] must be one of {', '.join(SORTS)}", "sort")
    args = request.args
    with store.lock:
        boards = [b for b in store.boards.values() if role_of(b, g.user)]
        if args.get("team_id"):
            boards = [b for b in boards if b.team_id == args["team_id"]]
        if args.get("project_id"):
            boards = [b for b in boards if b.project_id == args["project_id"]]
        if not args.get("team_id") and not args.get("project_id"):
            # Miro ignores query/owner when team_id or project_id is given.
            if args.get("query"):
                boards = [b for b in boards if args["query"].lower() in b.name.lower()]
            if args.get("owner"):
                boards = [b for b in boards if b.owner_id == args["owner"]]
        if sort == "alphabetically":
            boards.sort(key=lambda b: b.name.lower())
        elif sort == "last_created" or (sort == "default" and args.get("team_id")):
            boards.sort(key=lambda b: b.created_at, reverse=True)
        else:
            boards.sort(key=lambda b: b.modified_at, reverse=True)
        page = [board_json(base_url(), store, b, g.user) for b in boards[offset : offset + limit]]
    query = {k: v for k, v in args.items() if k in ("team_id", "project_id", "query", "owner", "sort")}
    return json_response(offset_page(f"{base_url()}/v2/boards", page, len(boards), offset, limit, query))


@api_route(bp, "/v2/boards", ["PUT"], "copy-board")
def copy_board():
    """Copy a board (`?copy_from=`) with its items, tags and connectors (201, Level 4)."""
    emu = emulator()
    source_id = request.args.get("copy_from")
    if not source_id:
        raise invalid("Parameter [copy_from] is required", "copy_from")
    body = emu.validator.check("copy-board", optional_body())
    with emu.store.lock:
        source = board_for(source_id, "copy")
        team_id = body.get("teamId") or (source.team_id if source.team_id in g.user.team_ids else None)
        board = emu.store.create_board(
            g.user.id,
            body.get("name", source.name),
            team_id=_team_for(team_id),
            description=body.get("description", source.description),
            policy=merge_policy(source.policy, body.get("policy") or {}),
        )
        copy_content(emu.store, source, board, g.user.id)
        out = board_json(base_url(), emu.store, board, g.user, last_opened=False, project=False)
    return json_response(out, 201)


@api_route(bp, "/v2/boards/<board_id>", ["GET"], "get-specific-board")
def get_board(board_id):
    """Return one board."""
    store = emulator().store
    with store.lock:
        board = board_for(board_id, "read")
        return json_response(board_json(base_url(), store, board, g.user))


@api_route(bp, "/v2/boards/<board_id>", ["PATCH"], "update-board")
def update_board(board_id):
    """Rename, describe, move or re-share a board (policy and team changes need co-owner rights)."""
    emu = emulator()
    body = emu.validator.check("update-board", json_body())
    with emu.store.lock:
        board = board_for(board_id, "manage" if ("policy" in body or "teamId" in body) else "write")
        if "teamId" in body:
            board.team_id = _team_for(body["teamId"])
        for key, attr in (("name", "name"), ("description", "description"), ("projectId", "project_id")):
            if key in body:
                setattr(board, attr, body[key])
        if "policy" in body:
            board.policy = merge_policy(board.policy, body["policy"])
        board.modified_at = max(emu.store.clock(), board.modified_at + 0.001)
        board.modified_by = g.user.id
        out = board_json(base_url(), emu.store, board, g.user, last_opened=False)
    return json_response(out)


@api_route(bp, "/v2/boards/<board_id>", ["DELETE"], "delete-board")
def delete_board(board_id):
    """Delete a board (owner or co-owner), 204."""
    store = emulator().store
    with store.lock:
        board_for(board_id, "delete")
        store.boards.pop(board_id, None)
    return empty_response()
