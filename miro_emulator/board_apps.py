"""Miro's board with an installed app, for the app's panel: the board page loads the app's `sdkUri` headless and
its panel in iframes, with a stand-in Web SDK (`/_emulator/sdk/v2/miro.js`) that answers `miro.board.getInfo`,
`getSelection`, `getIdToken`, `getUserInfo`, `ui.on` and `ui.openPanel` from the page, as Miro's does
(https://developers.miro.com/docs/web-sdk-reference-guide). Id tokens are JWTs signed with the app's client
secret (HS256), naming the user and team, with the app's client id as audience.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

from flask import Blueprint, request, send_from_directory
from joserfc import jwt
from joserfc.jwk import OctKey

from miro_emulator.context import emulator
from miro_emulator.errors import json_response, not_found
from miro_emulator.inspection import board_items

bp = Blueprint("board_apps", __name__, url_prefix="/_emulator")
STATIC = Path(__file__).with_name("static")
ID_TOKEN_TTL = 600  # seconds; the SDK asks again for each call, as Miro's does
SELECTABLE = ("card", "sticky_note", "app_card")


def mint_id_token(client_id: str, client_secret: str, user_id: str, team_id: str, now: float) -> str:
    """An id token as Miro's Web SDK hands it to an app."""
    claims = {"iss": "miro", "aud": client_id, "user": user_id, "team": team_id, "iat": int(now)}
    claims["exp"] = int(now) + ID_TOKEN_TTL
    return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, OctKey.import_key(client_secret.encode()))


def _plain(text: str | None) -> str:
    import board_picture.render

    return board_picture.render.plain(text or "")


@bp.route("/sdk/v2/miro.js")
def sdk_script():
    """The stand-in Web SDK the app's pages load instead of Miro's."""
    return send_from_directory(STATIC, "miro-sdk.js", mimetype="text/javascript", max_age=0)


@bp.route("/static/<path:name>")
def static_file(name: str):
    """The board page's own script."""
    return send_from_directory(STATIC, name, max_age=0)


@bp.route("/boards/<board_id>/id-token", methods=["POST"])
def id_token(board_id: str):
    """Mint an id token for the board page's user (the app's panel asks through the stand-in SDK)."""
    emu = emulator()
    board = emu.store.boards.get(board_id)
    if board is None:
        raise not_found(f"Board {board_id} not found")
    user_id = (request.get_json(silent=True) or {}).get("user") or emu.default_user_id
    user = emu.store.users.get(user_id)
    if user is None or board.team_id not in user.team_ids:
        raise not_found("That user is not in the board's team")
    token = mint_id_token(emu.config.client_id, emu.config.client_secret, user.id, board.team_id, emu.config.clock())
    return json_response({"token": token, "user": {"id": user.id, "name": user.name}})


@bp.route("/boards/<board_id>/app")
def board_with_app(board_id: str):
    """The board with the app installed: its picture, selectable items, the app's icon, the app's iframes."""
    app_url = (request.args.get("app") or "").rstrip("/")
    if not app_url.startswith(("http://", "https://")):
        raise not_found("Give the app's address: ?app=http://127.0.0.1:5000")
    name, items = board_items(board_id)
    user = request.args.get("user") or emulator().default_user_id
    chips = "".join(
        f'<button type="button" class="item" data-id="{html.escape(i["id"])}">'
        f"{html.escape(_plain((i.get('data') or {}).get('title') or (i.get('data') or {}).get('content'))[:60])}"
        "</button>"
        for i in items
        if i["type"] in SELECTABLE
    )
    config = json.dumps({"board": board_id, "app": app_url, "user": user, "sdkUri": app_url + "/panel/sdk"})
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(name)} · Miro emulator</title>"
        "<link rel='stylesheet' href='/_emulator/static/board-app.css'>"
        "<script src='/_emulator/static/board-app.js' defer></script></head><body>"
        f"<header><strong>{html.escape(name)}</strong>"
        "<button type='button' id='app-icon' title='OKR Board'>OKR Board</button></header>"
        f"<div class='layout'><section class='board'><img src='/_emulator/boards/{board_id}/picture.svg' alt='board'>"
        f"<h2>Items (click to select)</h2><div id='items'>{chips}</div></section>"
        "<aside id='panel-slot' hidden><iframe id='app-panel' title='app panel'></iframe></aside></div>"
        "<iframe id='app-sdk' title='app' hidden></iframe>"
        f"<script type='application/json' id='emulator-config'>{html.escape(config, quote=False)}</script>"
        f"<p class='meta'>Generated {time.strftime('%Y-%m-%d %H:%M')}</p></body></html>"
    )
