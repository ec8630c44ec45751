"""JSON views of emulated objects, in the shapes of the spec's response schemas.

`links` point at the emulator itself (Miro's point at https://api.miro.com) so that a client can follow them.
Item lists include `style` and `links` like live Miro responses do, although the spec's GenericItem omits them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from miro_emulator.geometry import position_json
from miro_emulator.policy import role_of

TYPE_PATHS = {
    "frame": "frames",
    "card": "cards",
    "app_card": "app_cards",
    "sticky_note": "sticky_notes",
    "shape": "shapes",
    "text": "texts",
}


def iso(timestamp: float) -> str:
    """Format epoch seconds as Miro does: ISO-8601 UTC with milliseconds and `Z`."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _user_ref(user_id: str) -> dict:
    return {"id": user_id, "type": "user"}


def _user_short(store, user_id: str) -> dict:
    user = store.users.get(user_id)
    return {"id": user_id, "name": user.name if user else "Unknown user", "type": "user"}


def item_json(base: str, board, item, app_id: str | None = None) -> dict:
    """Return an item as the typed endpoints, bulk create and the generic list return it."""
    data = dict(item.data)
    if item.type == "app_card":
        # Only the app that created an app card may change it (https://developers.miro.com/docs/app-card).
        data["owned"] = item.app_id == app_id
    board_url = f"{base}/v2/boards/{board.id}"
    out = {
        "id": item.id,
        "type": item.type,
        "data": data,
        "style": dict(item.style),
        "position": position_json(item),
        "geometry": dict(item.geometry),
        "createdAt": iso(item.created_at),
        "createdBy": _user_ref(item.created_by),
        "modifiedAt": iso(item.modified_at),
        "modifiedBy": _user_ref(item.modified_by),
        "links": {"self": f"{board_url}/{TYPE_PATHS[item.type]}/{item.id}"},
    }
    if item.type == "frame":
        out["links"]["related"] = f"{board_url}/items?parent_item_id={item.id}&limit=10&cursor="
    if item.parent_id:
        out["parent"] = {"id": item.parent_id, "links": {"self": f"{board_url}/items/{item.parent_id}"}}
    return out


def board_json(base: str, store, board, user, *, last_opened: bool = True, project: bool = True) -> dict:
    """Return a board as seen by `user` (their membership and role are part of it)."""
    team = store.teams.get(board.team_id)
    out = {
        "id": board.id,
        "type": "board",
        "name": board.name,
        "description": board.description,
        "team": {"id": board.team_id, "name": team.name if team else "", "type": "team"},
        "policy": {k: dict(v) for k, v in board.policy.items()},
        "viewLink": f"{base}/_emulator/boards/{board.id}",
        "owner": _user_short(store, board.owner_id),
        "currentUserMembership": {
            "id": user.id,
            "name": user.name,
            "role": role_of(board, user) or "viewer",
            "type": "board_member",
        },
        "createdAt": iso(board.created_at),
        "createdBy": _user_short(store, board.created_by),
        "modifiedAt": iso(board.modified_at),
        "modifiedBy": _user_short(store, board.modified_by),
        "links": {
            "self": f"{base}/v2/boards/{board.id}",
            "related": f"{base}/v2/boards/{board.id}/members?limit=20&offset=0",
        },
    }
    if last_opened:
        out["lastOpenedAt"] = iso(board.modified_at)
        out["lastOpenedBy"] = _user_short(store, board.modified_by)
    if project and board.project_id:
        out["project"] = {"id": board.project_id}
    return out


def member_json(base: str, store, board, user_id: str, links: bool = False) -> dict:
    """Return a board member."""
    out = {
        "id": user_id,
        "name": _user_short(store, user_id)["name"],
        "role": board.members[user_id],
        "type": "board_member",
    }
    if links:
        out["links"] = {"self": f"{base}/v2/boards/{board.id}/members/{user_id}"}
    return out


def tag_json(base: str, board, tag, links: bool = True) -> dict:
    """Return a tag (`links` only on single-tag responses, as in the spec)."""
    out = {"id": tag.id, "title": tag.title, "fillColor": tag.fill_color, "type": "tag"}
    if links:
        out["links"] = {"self": f"{base}/v2/boards/{board.id}/tags/{tag.id}"}
    return out


def connector_json(base: str, board, connector) -> dict:
    """Return a connector."""
    board_url = f"{base}/v2/boards/{board.id}"

    def end(point: dict) -> dict:
        return {
            "id": point["id"],
            "position": dict(point["position"]),
            "links": {"self": f"{board_url}/items/{point['id']}"},
        }

    return {
        "id": connector.id,
        "type": "connector",
        "shape": connector.shape,
        "startItem": end(connector.start),
        "endItem": end(connector.end),
        "captions": [dict(c) for c in connector.captions],
        "style": dict(connector.style),
        "isSupported": True,
        "createdAt": iso(connector.created_at),
        "createdBy": _user_ref(connector.created_by),
        "modifiedAt": iso(connector.modified_at),
        "modifiedBy": _user_ref(connector.modified_by),
        "links": {"self": f"{board_url}/connectors/{connector.id}"},
    }


def offset_page(url: str, data: list, total: int, offset: int, limit: int, query: dict | None = None) -> dict:
    """Return Miro's offset-paged envelope (boards, members, tags, items by tag)."""

    def link(at: int) -> str:
        return f"{url}?{urlencode({**(query or {}), 'limit': limit, 'offset': at})}"

    links = {"self": link(offset), "first": link(0), "last": link(max(0, (total - 1) // limit * limit))}
    if offset + limit < total:
        links["next"] = link(offset + limit)
    if offset > 0:
        links["prev"] = link(max(0, offset - limit))
    return {
        "data": data,
        "total": total,
        "size": len(data),
        "offset": offset,
        "limit": limit,
        "links": links,
        "type": "list",
    }


def cursor_page(
    url: str, data: list, total: int, limit: int, cursor: str | None, next_cursor: str | None, query: dict | None = None
) -> dict:
    """Return Miro's cursor-paged envelope (items, connectors); `cursor` is absent on the last page."""
    base_query = {**(query or {}), "limit": limit}
    links = {"self": f"{url}?{urlencode({**base_query, **({'cursor': cursor} if cursor else {})})}"}
    out = {"data": data, "total": total, "size": len(data), "limit": limit, "links": links}
    if next_cursor:
        out["cursor"] = next_cursor
        links["next"] = f"{url}?{urlencode({**base_query, 'cursor': next_cursor})}"
    return out
