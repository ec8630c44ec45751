"""The JSON API `/api/v1`: cycles, key results, check-ins, jobs; marshmallow at the boundary; errors as
`{error: {code, message, fields}}`; bearer auth with the panel's id token, or a session (then CSRF on writes)."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy import select

from addon.adapters.orm import UserRow
from addon.services.kr_update import KRUpdateError, update_key_result
from addon.web.app import csrf
from addon.web.clock import today
from addon.web.errors import ApiError
from addon.web.extensions import store
from addon.web.id_token import IdTokenRefused, verify
from addon.web.jobs import get_job, runner
from addon.web.schemas import JobRequest, KeyResultPatch, load, score_text
from addon.web.session import CurrentUser, require_board_writer, user_gateway

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer calls carry no cookie; session calls are checked in `_authenticate`


def bearer_user(token: str) -> CurrentUser:
    """The user a panel id token stands for; they must have connected the app to Miro once."""
    settings = current_app.config["SETTINGS"]
    try:
        identity = verify(token, settings.miro_client_id or "", settings.miro_client_secret or "")
    except IdTokenRefused as refused:
        raise ApiError(401, "bad_id_token", str(refused)) from None
    with store().engine.connect() as connection:
        row = connection.execute(
            select(UserRow).where(UserRow.team_id == identity.team_id, UserRow.miro_user_id == identity.miro_user_id)
        ).first()
    if row is None:
        raise ApiError(401, "not_connected", "Open OKR Board once and sign in with Miro to connect this team.")
    return CurrentUser(row.id, row.miro_user_id, row.name, row.team_id, row.team_name)


@bp.before_request
def _authenticate() -> None:
    header = request.headers.get("Authorization", "")
    if request.endpoint == "api.openapi":
        return
    if header.startswith("Bearer "):
        g.user = bearer_user(header[7:].strip())
        return
    if g.get("user") is None:
        raise ApiError(401, "unauthorized", "Send the panel's id token as a bearer token, or sign in.")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        try:
            csrf.protect()  # a cookie-authenticated write must carry the session's X-CSRFToken header
        except CSRFError as error:
            message = f"Send the session's CSRF token in X-CSRFToken ({error.description})."
            raise ApiError(400, "csrf_failed", message) from None


def _cycle_summary(cycle) -> dict:
    return {
        "id": cycle.id,
        "name": cycle.name,
        "level": str(cycle.level),
        "team": cycle.team,
        "start": cycle.start.isoformat(),
        "end": cycle.end.isoformat(),
        "status": str(cycle.status),
        "url": url_for("api.cycle", cycle_id=cycle.id),
    }


@bp.get("/cycles")
def cycles():
    """The cycles of the caller's team."""
    with store().unit(g.user.tenant) as uow:
        return jsonify({"cycles": [_cycle_summary(c) for c in uow.cycles.list()]})


@bp.get("/cycles/<int:cycle_id>")
def cycle(cycle_id: int):
    """A cycle: objectives and key results with scores, bands and health, findings, schedule, board. The answer
    carries an ETag of the cycle's version; a client sending it back in If-None-Match gets 304 while unchanged."""
    from addon.web.cycles import cycle_entry

    day = today()
    entry = cycle_entry(g.user.tenant, cycle_id, day)
    etag = entry.version.etag(cycle_id, day)
    if etag in request.if_none_match:
        return current_app.response_class(status=304, headers={"ETag": f'"{etag}"'})
    if "json" not in entry.made:
        entry.made["json"] = jsonify(entry.view).get_data(as_text=True)
    answer = current_app.response_class(entry.made["json"], mimetype="application/json")
    answer.set_etag(etag)
    return answer


@bp.get("/boards/<board_id>/cycle")
def board_cycle(board_id: str):
    """The cycle whose newest board is this Miro board (what the panel asks first)."""
    from addon.web.cycles import dashboard_view
    from addon.web.view_cache import cycle_of_board

    found = cycle_of_board(store().engine, g.user.tenant, board_id)
    if found is None:
        raise ApiError(404, "not_found", "No cycle of your team uses this board.")
    return jsonify(dashboard_view(g.user.tenant, found, today(), board_items=True))


@bp.patch("/cycles/<int:cycle_id>/key-results/<ref>")
def patch_key_result(cycle_id: int, ref: str):
    """Change a key result's current value, manual score, confidence or comment; the next sync shows it."""
    require_board_writer(g.user, cycle_id)
    body = request.get_json(silent=True)
    raw = body if isinstance(body, dict) else None
    values = load(KeyResultPatch(), raw)
    if "score" in (raw or {}):
        values["score"] = score_text(raw["score"])
    if not values:
        raise ApiError(400, "invalid_fields", "Send at least one field.", {"current": ["send a field to change"]})
    try:
        updated = update_key_result(store(), g.user.tenant, str(cycle_id), ref, **values)
    except KRUpdateError as error:
        message = str(error)
        name = next((n for n in ("current", "score", "confidence") if message.startswith(f"--{n}")), None)
        if name is None:
            raise ApiError(404, "not_found", message) from None
        message = message.replace(f"--{name}: ", "", 1)
        raise ApiError(400, "invalid_fields", "Some fields are not valid.", {name: [message]}) from None
    return jsonify(
        {
            "ref": updated.ref,
            "title": updated.title,
            "current": updated.current,
            "manual_score": updated.manual_score,
            "score": round(updated.score, 2),
            "confidence": updated.confidence,
            "comment": updated.comment,
        }
    )


def _job(row) -> dict:
    return {
        "id": row.id,
        "cycle_id": row.cycle_id,
        "kind": row.kind,
        "state": row.state,
        "done": row.done,
        "total": row.total,
        "result": row.result,
        "error": row.error,
        "url": url_for("api.job", job_id=row.id),
    }


@bp.post("/cycles/<int:cycle_id>/jobs")
def start_job(cycle_id: int):
    """Start generate, track, sync or check-in in the background (202, with the job to poll)."""
    from addon.services import cycles as cycle_service

    values = load(JobRequest(), request.get_json(silent=True))
    found, _ = cycle_service.load_cycle(store(), g.user.tenant, str(cycle_id))
    require_board_writer(g.user, found.id)
    params = {"on": today().isoformat(), "note": values["note"]} if values["kind"] == "checkin" else {}
    job_id = runner().submit(g.user, found.id, values["kind"], user_gateway(g.user), params)
    return jsonify(_job(get_job(g.user.tenant, job_id))), 202


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    """A job's progress and outcome."""
    return jsonify(_job(get_job(g.user.tenant, job_id)))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document of this API."""
    from addon.web.openapi import document

    return jsonify(document())
