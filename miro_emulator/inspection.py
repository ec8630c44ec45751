"""Inspection and control under /_emulator/ (not part of Miro's API; never faulted, never charged).

GET  /_emulator/                       index page: boards, users, links
GET  /_emulator/stats                  {"requests": {"METHOD /route": n}, "credits": {user: spent}, ...}
POST /_emulator/reset[?state=1]        reset counters, credits and the fault sequence (state=1: delete boards)
GET|PUT /_emulator/faults              fault rates, script, seed, latency_ms, timeout_seconds, credits_per_minute
GET|PUT /_emulator/clock               {"offset_seconds": N}: how far Miro's clock runs ahead of the local one
GET|PUT /_emulator/edits               teammates' edits applied between a listing and the next request (races.py)
POST /_emulator/save                   write state to the --state file
GET  /_emulator/users                  users and teams; POST /_emulator/tokens {"user_id"} issues a token
GET  /_emulator/boards[/<id>]          boards as JSON; one board as an HTML page with its picture
GET  /_emulator/boards/<id>/picture.svg|png   the board drawn from its items
"""

from __future__ import annotations

import html

from flask import Blueprint, request

from miro_emulator.context import base_url, emulator, json_body, optional_body
from miro_emulator.errors import ApiError, invalid, json_response, not_found
from miro_emulator.faults import FaultInjector, FaultSpec
from miro_emulator.races import ScriptedEdit
from miro_emulator.serialize import connector_json, item_json

bp = Blueprint("inspection", __name__, url_prefix="/_emulator")


@bp.errorhandler(ApiError)
def _error(error: ApiError):
    return error.response()


@bp.route("/stats")
def stats():
    """Request counts by route, credits spent per user, injected faults."""
    emu = emulator()
    counts = emu.request_counts()
    return json_response(
        {
            "requests": counts,
            "credits": emu.limiter.spent_by_user(),
            "total_requests": sum(counts.values()),
            "faults_injected": emu.faults.injected_counts(),
            "boards": len(emu.store.boards),
            "items": emu.item_log.by_user(),  # {user id: {item id: {"GET": n, "PATCH": n}}}
            "clock_offset": emu.config.clock_offset,
        }
    )


@bp.route("/clock", methods=["GET", "PUT"])
def clock():
    """Read or set how many seconds Miro's clock runs ahead of the local one (negative: behind)."""
    emu = emulator()
    if request.method == "PUT":
        body = json_body()
        offset = body.get("offset_seconds") if isinstance(body, dict) else None
        if isinstance(offset, bool) or not isinstance(offset, int | float) or abs(offset) > 10 * 365 * 86400:
            raise invalid("offset_seconds must be a number of seconds (within ten years)", "offset_seconds")
        emu.config.clock_offset = float(offset)
    return json_response({"offset_seconds": emu.config.clock_offset, "now": emu.now()})


@bp.route("/edits", methods=["GET", "PUT"])
def edits():
    """List the scripted edits, or schedule more: one edit object or a list of them (see races.py)."""
    emu = emulator()
    if request.method == "PUT":
        body = json_body()
        for raw in body if isinstance(body, list) else [body]:
            emu.races.add(ScriptedEdit.from_json(raw), emu.store)
    return json_response(
        {
            "waiting": [e.to_json() for e in emu.races.waiting],
            "applied": [e.to_json() for e in emu.races.applied],
        }
    )


@bp.route("/reset", methods=["POST"])
def reset():
    """Reset counters (and boards with `?state=1`)."""
    emulator().reset(state=request.args.get("state") in ("1", "true", "yes"))
    return json_response({"reset": True})


def _fault_settings() -> dict:
    emu = emulator()
    return {
        **emu.faults.spec.to_json(),
        "seed": emu.faults.seed,
        "latency_ms": emu.config.latency_ms,
        "timeout_seconds": emu.config.timeout_seconds,
        "credits_per_minute": emu.limiter.per_minute,
        "sequence": emu.faults.sequence,
    }


@bp.route("/faults", methods=["GET", "PUT"])
def faults():
    """Read or change fault settings at runtime; a PUT restarts the request sequence."""
    emu = emulator()
    if request.method == "PUT":
        body = json_body()
        if not isinstance(body, dict):
            raise invalid("Body must be a JSON object")
        try:
            current = emu.faults.spec.to_json()
            spec = FaultSpec.from_json(
                {"rates": body.get("rates", current["rates"]), "script": body.get("script", current["script"])}
            )
            seed = int(body.get("seed", emu.faults.seed))
            emu.config.latency_ms = float(body.get("latency_ms", emu.config.latency_ms))
            emu.config.timeout_seconds = float(body.get("timeout_seconds", emu.config.timeout_seconds))
            emu.limiter.per_minute = int(body.get("credits_per_minute", emu.limiter.per_minute))
        except (TypeError, ValueError, KeyError) as error:
            raise invalid(f"Bad fault settings: {error}") from None
        emu.faults = FaultInjector(spec, seed)
    return json_response(_fault_settings())


@bp.route("/save", methods=["POST"])
def save():
    """Save state to the configured --state file."""
    emu = emulator()
    if not emu.config.state_file:
        raise invalid("No state file configured (start with --state FILE)")
    emu.store.save(emu.config.state_file)
    return json_response({"saved": emu.config.state_file})


@bp.route("/users")
def users():
    """List emulated users and teams."""
    store = emulator().store
    return json_response(
        {
            "users": [
                {"id": u.id, "name": u.name, "email": u.email, "team_ids": u.team_ids} for u in store.users.values()
            ],
            "teams": [{"id": t.id, "name": t.name} for t in store.teams.values()],
        }
    )


@bp.route("/tokens", methods=["POST"])
def tokens():
    """Issue a non-expiring token for a user of the default app: {"user_id", "scopes"?}."""
    emu = emulator()
    body = optional_body()
    if not isinstance(body, dict):
        raise invalid("Body must be a JSON object")
    user = emu.store.find_user(str(body.get("user_id", "")))
    if user is None:
        raise not_found("Unknown user")
    token = emu.store.issue_token(user.id, emu.config.client_id, body.get("scopes") or emu.config.scopes)
    return json_response({"access_token": token.access_token, "user_id": user.id}, 201)


@bp.route("/boards")
def boards():
    """List all boards (whoever owns them)."""
    store = emulator().store
    with store.lock:
        out = [
            {
                "id": b.id,
                "name": b.name,
                "owner_id": b.owner_id,
                "team_id": b.team_id,
                "items": len(b.items),
                "view": f"{base_url()}/_emulator/boards/{b.id}",
            }
            for b in store.boards.values()
        ]
    return json_response({"boards": out})


def board_items(board_id: str) -> tuple[str, list[dict]]:
    """Return a board's name and its items (plus connectors) as `GET /v2/boards/{id}/items` returns them."""
    store = emulator().store
    with store.lock:
        board = store.boards.get(board_id)
        if board is None:
            raise not_found(f"Board {board_id} not found")
        items = [item_json(base_url(), board, item) for item in board.items.values()]
        items += [connector_json(base_url(), board, c) for c in board.connectors.values()]
        return board.name, items


def renderer():
    """The board renderer shared with the app's `okrboard board render` (the `board_picture` package)."""
    import board_picture.render

    return board_picture.render


@bp.route("/boards/<board_id>/picture.<fmt>")
def picture(board_id, fmt):
    """Draw the board as SVG or PNG."""
    if fmt not in ("svg", "png"):
        raise not_found("Use picture.svg or picture.png")
    name, items = board_items(board_id)
    data = renderer().render_board_bytes(items, fmt=fmt, title=name)
    return data, 200, {"Content-Type": "image/svg+xml" if fmt == "svg" else "image/png"}


@bp.route("/boards/<board_id>")
def board_page(board_id):
    """An HTML page showing the board's picture."""
    name, items = board_items(board_id)
    counts: dict[str, int] = {}
    for item in items:
        counts[item["type"]] = counts.get(item["type"], 0) + 1
    summary = ", ".join(f"{n} {t}" for t, n in sorted(counts.items())) or "empty board"
    title = html.escape(name)
    url = f"/_emulator/boards/{board_id}/picture"
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body style='font-family:sans-serif;margin:1rem'><h1>{title}</h1><p>{html.escape(summary)} · "
        f"<a href='{url}.svg'>SVG</a> · <a href='{url}.png'>PNG</a> · <a href='/_emulator/'>all boards</a></p>"
        f"<img src='{url}.svg' style='max-width:100%;border:1px solid #ccc'></body></html>"
    )


@bp.route("/")
def index():
    """Index page: boards, users and inspection links."""
    store = emulator().store
    with store.lock:
        rows = (
            "".join(
                f"<li><a href='/_emulator/boards/{b.id}'>{html.escape(b.name)}</a> ({len(b.items)} items)</li>"
                for b in store.boards.values()
            )
            or "<li>no boards yet</li>"
        )
        people = "".join(
            f"<li>{html.escape(u.name)} — {u.id} — {html.escape(u.email)}</li>" for u in store.users.values()
        )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Miro emulator</title></head>"
        f"<body style='font-family:sans-serif;margin:1rem'><h1>Miro emulator</h1><h2>Boards</h2><ul>{rows}</ul>"
        f"<h2>Users</h2><ul>{people}</ul><p><a href='stats'>stats</a> · <a href='faults'>faults</a></p>"
        "</body></html>"
    )
