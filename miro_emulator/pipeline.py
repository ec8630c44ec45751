"""What happens around every API request (/v1, /v2): counting, latency, faults, authentication, scopes, credits.

Order: count -> scripted edits due (races.py) -> added latency -> fault decision (5xx/429/timeout answer at once
and change nothing) -> token -> item log -> scope -> credits -> the view -> rate-limit headers -> `lost`
fault (the change is kept, the response is replaced by a 5xx or the connection is dropped). /_emulator/ and
/oauth/authorize are never faulted or charged.
"""

from __future__ import annotations

import socket

from flask import Flask, g, request

from miro_emulator import operations
from miro_emulator.context import emulator, json_body
from miro_emulator.errors import (
    ApiError,
    json_response,
    payload_too_large,
    server_error,
    too_many_requests,
    unauthorized,
)
from miro_emulator.validation import check_query


def _drop_connection() -> bool:
    """Close the client's connection without an answer; False when the server does not expose its socket."""
    sock = request.environ.get("werkzeug.socket")
    if sock is None:
        return False
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    return True


def bearer_token() -> str | None:
    """Return the access token of the request (Authorization header, or the documented `access_token` query)."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.args.get("access_token") or None


def authenticate():
    """Return the Token of the request or raise 401 (missing, unknown/revoked, expired)."""
    emu = emulator()
    value = bearer_token()
    if value is None:
        raise unauthorized("tokenNotProvided", "No access token was provided in the request")
    token = emu.store.tokens.get(value)
    if token is None:
        raise unauthorized("invalidToken", "The access token is invalid or has been revoked")
    if token.expires_at is not None and emu.now() >= token.expires_at:
        raise unauthorized("tokenExpired", "The access token has expired")
    return token


def _quota_headers(emu) -> dict[str, str]:
    """Return the caller's current rate-limit headers without charging anything (empty for a bad token)."""
    try:
        token = authenticate()
    except ApiError:
        return {}
    return emu.limiter.charge(token.user_id, token.client_id, 0)[1]


def _before():
    path = request.path
    if not path.startswith(("/v2/", "/v1/")):
        return None
    emu = emulator()
    g.api = True
    rule = request.url_rule
    route_key = f"{request.method} {operations.route_template(rule.rule) if rule else '<unmatched>'}"
    emu.count(route_key)
    emu.races.before(route_key, emu)
    if (request.content_length or 0) > emu.config.max_body_bytes:
        raise payload_too_large(emu.config.max_body_bytes)
    if emu.config.latency_ms:
        emu.config.sleep(emu.config.latency_ms / 1000.0)
    fault = emu.faults.next(route_key)
    if fault is not None:
        if fault.kind == "timeout":
            emu.config.sleep(emu.config.timeout_seconds)
            if _drop_connection():
                return json_response({}, 504)
            return server_error(504).response()
        if fault.kind == "429":
            # Real Miro sends its X-RateLimit-* headers with a 429 too; clients wait until the reset they name.
            refused = too_many_requests().response()
            refused.headers.update(_quota_headers(emu))
            return refused
        if fault.kind == "5xx":
            return server_error(fault.status).response()
        g.fault = fault  # lost: handled once the change is applied
    operation = operations.resolve(request.endpoint, request.args)
    if operation is None or operation.scope is None:
        return None  # unrouted (404 handler) or an OAuth endpoint that checks its own credentials
    g.operation = operation
    token = authenticate()
    g.token = token
    g.user = emu.store.users[token.user_id]
    item_id = (request.view_args or {}).get("item_id")
    if item_id:
        emu.item_log.record(token.user_id, request.method, item_id)
    if operation.scope not in token.scopes:
        raise ApiError(
            403,
            "insufficientPermissions",
            f"The token lacks the required scope {operation.scope}",
            {"requiredScopes": [operation.scope]},
        )
    body = json_body(required=False) if operation.op_id == "create-items" else None
    allowed, headers = emu.limiter.charge(token.user_id, token.client_id, operations.cost(operation, body))
    g.rate_headers = headers
    if not allowed:
        raise too_many_requests()
    check_query(operation.op_id, request.args)  # charged like a bad body, which the view refuses
    return None


def _after(response):
    if not g.get("api"):
        return response
    headers = g.get("rate_headers")
    if headers:
        response.headers.update(headers)
    fault = g.get("fault")
    if fault is not None and fault.kind == "lost" and response.status_code < 400:
        if fault.status is None and _drop_connection():
            return response
        lost = server_error(fault.status or 502).response()
        if headers:
            lost.headers.update(headers)
        return lost
    return response


def install(app: Flask) -> None:
    """Hook the pipeline into the app."""
    app.before_request(_before)
    app.after_request(_after)
