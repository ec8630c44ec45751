"""OAuth 2.0 authorization code flow with expiring tokens and refresh-token rotation.

https://developers.miro.com/docs/getting-started-with-oauth,
https://developers.miro.com/reference/get-new-access-token-using-refresh-token. The approve page lists the
emulated users (`user_id` preselects one); approving redirects to the redirect URI with `code`, `state`,
`client_id` and `team_id`. Token endpoint parameters are read from the form body or the query string (the official
clients send them in the query).
"""

from __future__ import annotations

import html
import secrets
from urllib.parse import urlencode

from flask import Blueprint, redirect, request

from miro_emulator.context import emulator, json_body
from miro_emulator.errors import ApiError, empty_response, json_response, unauthorized
from miro_emulator.operations import api_route
from miro_emulator.pipeline import bearer_token
from miro_emulator.state import AuthCode

bp = Blueprint("oauth", __name__)
CODE_TTL = 600  # authorization codes expire 10 minutes after issuance


def oauth_error(message: str, status: int = 400) -> ApiError:
    """Return an OAuth error in Miro's error shape."""
    return ApiError(status, "oauthError", message)


def _check_app(client_id: str | None, redirect_uri: str | None) -> None:
    config = emulator().config
    if client_id != config.client_id:
        raise oauth_error("Invalid client_id: no app is registered with it.", 401)
    if redirect_uri not in config.redirect_uris:
        raise oauth_error("Redirect URI mismatch.", 401)


def _with_query(uri: str, params: dict) -> str:
    return uri + ("&" if "?" in uri else "?") + urlencode({k: v for k, v in params.items() if v is not None})


PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Miro emulator: install app</title>
<style>body{{font-family:sans-serif;max-width:34rem;margin:3rem auto}}label{{display:block;margin:.3rem 0}}
button{{margin:1rem .5rem 0 0;padding:.5rem 1.2rem}}</style></head><body>
<h1>Install app</h1><p>App <code>{client_id}</code> asks for <code>{scopes}</code>.</p>
<form method="post"><input type="hidden" name="client_id" value="{client_id}">
<input type="hidden" name="redirect_uri" value="{redirect_uri}"><input type="hidden" name="state" value="{state}">
<fieldset><legend>Sign in as</legend>{users}</fieldset>
<label>Team <select name="team_id">{teams}</select></label>
<button name="decision" value="approve" type="submit">Add (approve)</button>
<button name="decision" value="deny" type="submit">Cancel</button></form></body></html>"""


@bp.route("/oauth/authorize", methods=["GET"])
def authorize_page():
    """Show the install/approve page, or Miro's error for an unknown app or redirect URI."""
    emu = emulator()
    args = request.args
    if args.get("response_type", "code") != "code":
        raise oauth_error("Unsupported response_type: only `code` is supported.")
    _check_app(args.get("client_id"), args.get("redirect_uri"))
    chosen = args.get("user_id") or emu.default_user_id
    users = "".join(
        f'<label><input type="radio" name="user_id" value="{u.id}"{" checked" if u.id == chosen else ""}> '
        f"{html.escape(u.name)} &lt;{html.escape(u.email)}&gt;</label>"
        for u in emu.store.users.values()
    )
    teams = "".join(
        f'<option value="{t.id}"{" selected" if t.id == args.get("team_id") else ""}>{html.escape(t.name)}</option>'
        for t in emu.store.teams.values()
    )
    page = PAGE.format(
        client_id=html.escape(args["client_id"]),
        redirect_uri=html.escape(args["redirect_uri"]),
        state=html.escape(args.get("state", "")),
        scopes=" ".join(emu.config.scopes),
        users=users,
        teams=teams,
    )
    return page, 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.route("/oauth/authorize", methods=["POST"])
def authorize_decision():
    """Handle the approve page: redirect with a code (approve) or `error=access_denied` (deny)."""
    emu = emulator()
    form = request.form
    _check_app(form.get("client_id"), form.get("redirect_uri"))
    state = form.get("state") or None
    if form.get("decision") != "approve":
        return redirect(
            _with_query(
                form["redirect_uri"],
                {"error": "access_denied", "error_description": "The user denied the request", "state": state},
            )
        )
    user = emu.store.users.get(form.get("user_id", ""))
    if user is None:
        raise oauth_error("Unknown user.")
    team_id = form.get("team_id") if form.get("team_id") in user.team_ids else user.team_ids[0]
    code = AuthCode(
        secrets.token_urlsafe(24),
        form["client_id"],
        form["redirect_uri"],
        user.id,
        team_id,
        emu.now() + CODE_TTL,
    )
    with emu.store.lock:
        emu.store.codes[code.code] = code
    return redirect(
        _with_query(
            form["redirect_uri"],
            {"code": code.code, "state": state, "client_id": form["client_id"], "team_id": team_id},
        )
    )


def _token_response(token) -> dict:
    return {
        "user_id": token.user_id,
        "team_id": token.team_id,
        "access_token": token.access_token,
        "refresh_token": token.refresh_token,
        "expires_in": emulator().config.access_token_ttl,
        "scope": " ".join(token.scopes),
        "token_type": "bearer",
    }


@bp.route("/v1/oauth/token", methods=["POST"])
def token():
    """Exchange a code, or a refresh token (the old access/refresh pair stops working), for a new token pair."""
    emu = emulator()
    config, store = emu.config, emu.store
    params = {**request.args.to_dict(), **request.form.to_dict()}
    if params.get("client_id") != config.client_id or params.get("client_secret") != config.client_secret:
        raise oauth_error("Client authentication failed: wrong client_id or client_secret.", 401)
    now = emu.now()
    with store.lock:
        if params.get("grant_type") == "authorization_code":
            code = store.codes.pop(params.get("code", ""), None)
            if code is None or code.expires_at <= now or code.client_id != params["client_id"]:
                raise oauth_error("Invalid authorization code: unknown, expired or already used.")
            if params.get("redirect_uri") != code.redirect_uri:
                raise oauth_error("Redirect URI mismatch.", 401)
            user_id, team_id, scopes = code.user_id, code.team_id, config.scopes
        elif params.get("grant_type") == "refresh_token":
            old = store.tokens.get(store.refresh_tokens.get(params.get("refresh_token", ""), ""))
            if old is None or old.client_id != params["client_id"] or (old.refresh_expires_at or 0) <= now:
                raise oauth_error("Invalid refresh token: unknown, expired or already used.")
            store.revoke(old.access_token)  # rotation: the old pair stops working
            user_id, team_id, scopes = old.user_id, old.team_id, old.scopes
        else:
            raise oauth_error("Unsupported grant_type: use authorization_code or refresh_token.")
        issued = store.issue_token(
            user_id,
            config.client_id,
            scopes,
            team_id=team_id,
            ttl=config.access_token_ttl,
            refresh_ttl=config.refresh_token_ttl,
        )
    return json_response(_token_response(issued))


@api_route(bp, "/v1/oauth-token", ["GET"], "token-info")
def token_info():
    """Describe the bearer token: user, team, organisation, scopes."""
    emu = emulator()
    value = bearer_token()
    if value is None:
        raise unauthorized("tokenNotProvided", "No access token was provided in the request")
    token = emu.store.tokens.get(value)
    if token is None or (token.expires_at is not None and token.expires_at <= emu.now()):
        raise ApiError(400, "invalidToken", "Invalid token provided")
    user, team = emu.store.users[token.user_id], emu.store.teams[token.team_id]
    user_ref = {"type": "user", "name": user.name, "id": user.id}
    return json_response(
        {
            "type": "oauth_token",
            "organization": {"type": "organization", "name": emu.store.org["name"], "id": emu.store.org["id"]},
            "team": {"type": "team", "name": team.name, "id": team.id},
            "createdBy": user_ref,
            "user": user_ref,
            "scopes": list(token.scopes),
        }
    )


@api_route(bp, "/v2/oauth/revoke", ["POST"], "revoke-token-v2")
def revoke_v2():
    """Revoke an access token (and its refresh token) given the app's credentials in a JSON body (204)."""
    emu = emulator()
    body = emu.validator.check("revoke-token-v2", json_body())
    if body["clientId"] != emu.config.client_id or body["clientSecret"] != emu.config.client_secret:
        raise oauth_error("Client authentication failed: wrong clientId or clientSecret.", 401)
    if not emu.store.revoke(body["accessToken"]):
        raise ApiError(404, "notFound", "Token not found")
    return empty_response()


@api_route(bp, "/v1/oauth/revoke", ["POST"], "revoke-token")
def revoke_v1():
    """Deprecated revoke with the token in the query string (204, 400 when unknown)."""
    if not emulator().store.revoke(request.args.get("access_token", "")):
        raise ApiError(400, "invalidToken", "Invalid token provided")
    return empty_response()
