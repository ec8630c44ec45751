"""Sign in with Miro: `/auth/login` sends the browser to Miro's authorize page with a one-time state and PKCE
S256; `/auth/callback` checks the state (one use, this browser, not expired) before anything reaches the token
endpoint, then records the user and their Miro team and stores the tokens encrypted. Sign out and uninstall."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from sqlalchemy import delete, select

from addon.adapters.orm import OAuthStateRow, UserRow
from addon.domain.errors import OkrError
from addon.web.errors import ApiError
from addon.web.extensions import store
from addon.web.ratelimit import limit_signin
from addon.web.session import load_user, login_required, oauth_client, token_store

bp = Blueprint("auth", __name__)
STATE_TTL = timedelta(minutes=10)  # as long as Miro keeps an authorization code


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _now() -> datetime:
    clock = current_app.config.get("CLOCK")
    return clock() if clock else datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _safe_next(value: str | None) -> str:
    # Only paths of this app: an absolute or scheme-relative URL would make sign-in an open redirect.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value[:300]
    return ""


@bp.before_app_request
def _user() -> None:
    load_user()


@bp.get("/")
def home():
    """The sign-in page, or the cycles of a signed-in user."""
    if g.user is not None:
        return redirect(url_for("cycles.index"))
    return render_template("auth/home.html", next=_safe_next(request.args.get("next")))


@bp.get("/healthz")
def health():
    """A liveness probe for load balancers: the process answers and reaches its store."""
    with store().engine.connect() as connection:
        connection.exec_driver_sql("select 1")
    return {"status": "ok"}


@bp.route("/auth/login", methods=["GET", "POST"])
def login():
    """Start signing in: remember a one-time state for this browser, then go to Miro's authorize page."""
    limit_signin()
    oauth = oauth_client()
    state, verifier, browser = secrets.token_urlsafe(32), secrets.token_urlsafe(64), secrets.token_urlsafe(32)
    now = _now()
    with store().engine.begin() as connection:
        connection.execute(delete(OAuthStateRow).where(OAuthStateRow.expires_at < now))
        connection.execute(
            OAuthStateRow.__table__.insert().values(
                state_hash=_hash(state),
                verifier=verifier,
                browser_hash=_hash(browser),
                next_url=_safe_next(request.values.get("next")),
                expires_at=now + STATE_TTL,
            )
        )
    session["oauth_browser"] = browser
    return redirect(oauth.authorization_url(state, verifier))


def _take_state(state: str) -> OAuthStateRow:
    """Consume a state: it must exist, belong to this browser and not have expired; it never works twice."""
    browser = session.pop("oauth_browser", None)
    with store().engine.begin() as connection:
        row = connection.execute(select(OAuthStateRow).where(OAuthStateRow.state_hash == _hash(state))).first()
        taken = connection.execute(delete(OAuthStateRow).where(OAuthStateRow.state_hash == _hash(state))).rowcount
    if row is None or taken != 1:
        raise ApiError(400, "bad_state", "This sign-in link was already used or was not started here: sign in again.")
    if browser is None or not secrets.compare_digest(_hash(browser), row.browser_hash):
        raise ApiError(400, "bad_state", "This sign-in was started in another browser: sign in again here.")
    if _aware(row.expires_at) <= _now():
        raise ApiError(400, "bad_state", "This sign-in took too long and expired: sign in again.")
    return row


def _record_user(token: dict) -> UserRow:
    """Create or update the user and their team from the token answer and Miro's token context."""
    from miro_client import MiroClient

    team_id, miro_user_id = str(token["team_id"]), str(token["user_id"])
    with MiroClient(token["access_token"], base_url=current_app.config["SETTINGS"].miro_api_url) as client:
        info = client.get_token_context()
    name = (info.get("user") or {}).get("name", "")
    team_name = (info.get("team") or {}).get("name", "")
    with store().engine.begin() as connection:
        row = connection.execute(
            select(UserRow).where(UserRow.team_id == team_id, UserRow.miro_user_id == miro_user_id)
        ).first()
        values = {"name": name, "team_name": team_name, "last_signin_at": _now()}
        if row is None:
            user_id = connection.execute(
                UserRow.__table__.insert().values(
                    team_id=team_id, miro_user_id=miro_user_id, created_at=_now(), **values
                )
            ).inserted_primary_key[0]
        else:
            user_id = row.id
            connection.execute(UserRow.__table__.update().where(UserRow.id == user_id).values(**values))
        return connection.execute(select(UserRow).where(UserRow.id == user_id)).first()


@bp.get("/auth/callback")
def callback():
    """Finish signing in (the redirect URI registered with Miro)."""
    limit_signin()
    state = request.args.get("state")
    if not state:
        raise ApiError(400, "bad_state", "The answer from Miro has no state: sign in again from this app.")
    row = _take_state(state)
    if request.args.get("error"):
        flash("Sign-in with Miro was cancelled.", "info")
        return redirect(url_for("auth.home"))
    code = request.args.get("code")
    if not code:
        raise ApiError(400, "missing_code", "The answer from Miro has no code: sign in again.")
    token = oauth_client().exchange(code, row.verifier)
    if not token.get("team_id") or not token.get("user_id"):
        raise ApiError(502, "bad_token_answer", "Miro's answer did not say which user and team signed in.")
    user = _record_user(token)
    token_store().save(user.team_id, user.miro_user_id, token)
    session.clear()  # a new session id on sign-in: nothing from before carries over
    session.permanent = True
    session["uid"], session["team"] = user.id, user.team_id
    return redirect(row.next_url or url_for("cycles.index"))


@bp.post("/auth/logout")
def logout():
    """Sign out of this app (the Miro connection stays, for the panel and the next sign-in)."""
    session.clear()
    flash("Signed out.", "info")
    return redirect(url_for("auth.home"))


@bp.post("/auth/uninstall")
@login_required
def uninstall():
    """Disconnect from Miro: revoke the tokens at Miro, forget them here, and sign out."""
    tokens = token_store()
    connection = tokens.get(g.user.team_id, g.user.miro_user_id)
    revoked, problem = True, None
    if connection is not None:
        tokens.delete(g.user.team_id, g.user.miro_user_id)  # forgotten here first, whatever Miro answers
        try:
            oauth_client().revoke(connection.access_token)
        except OkrError as error:  # Miro unreachable or refusing: the tokens are gone here all the same
            revoked, problem = False, error
    session.clear()
    if revoked:
        flash("Disconnected from Miro: the app's access was revoked.", "info")
    else:
        flash(
            f"Disconnected here, but {problem} Remove the app in your Miro profile's settings (Your apps) to be sure.",
            "error",
        )
    return redirect(url_for("auth.home"))
