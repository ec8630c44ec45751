"""Who is signed in: the user and their Miro team (the tenant every query is scoped to), and their Miro gateway."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import current_app, g, redirect, request, session, url_for
from sqlalchemy import bindparam, select

from addon.adapters.orm import SecretRow, UserRow
from addon.web.errors import ApiError, wants_json
from addon.web.extensions import store


@dataclass(frozen=True)
class CurrentUser:
    """A signed-in user."""

    id: int
    miro_user_id: str
    name: str
    team_id: str
    team_name: str

    @property
    def tenant(self) -> str:
        """The tenant of everything this user sees: their Miro team."""
        return self.team_id


@functools.cache
def _user_query():
    # Built once: every request runs it, and composing the statement cost more than running it.
    return select(UserRow).where(UserRow.id == bindparam("id"))


def load_user() -> None:
    """Put the session's user (if any) on `g.user`; a session naming a deleted user is dropped."""
    g.user = None
    user_id = session.get("uid")
    if user_id is None:
        return
    with store().engine.connect() as connection:
        row = connection.execute(_user_query(), {"id": user_id}).first()
    if row is None or row.team_id != session.get("team"):
        session.clear()
        return
    g.user = CurrentUser(row.id, row.miro_user_id, row.name, row.team_id, row.team_name)


def login_required(view):
    """Refuse a view to anyone not signed in: a redirect to sign-in for pages, 401 for scripts."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if g.get("user") is None:
            if wants_json():
                raise ApiError(401, "unauthorized", "Sign in with Miro first.")
            return redirect(
                url_for("auth.home", next=request.full_path.rstrip("?") if request.method == "GET" else None)
            )
        return view(*args, **kwargs)

    return wrapper


def token_store():
    """The app's encrypted token store."""
    from addon.adapters.token_store import TokenCipher, TokenStore

    extensions = current_app.extensions
    if "okrboard_tokens" not in extensions:
        cipher = TokenCipher(current_app.config["SETTINGS"].token_keys)
        extensions["okrboard_tokens"] = TokenStore(
            store().engine, cipher, clock=current_app.config.get("CLOCK") or _now
        )
    return extensions["okrboard_tokens"]


@functools.cache
def _signin_query():
    # Built once, like the user query: composing a statement costs more than running it.
    return select(SecretRow.needs_signin).where(
        SecretRow.tenant_id == bindparam("team"), SecretRow.user_id == bindparam("user")
    )


def needs_signin(user: CurrentUser) -> bool:
    """Whether the user must sign in with Miro again (never connected, or Miro refused the refresh token); one
    column read, no token decrypted."""
    with store().engine.connect() as connection:
        flag = connection.execute(_signin_query(), {"team": user.team_id, "user": user.miro_user_id}).scalar()
    return flag is None or bool(flag)


def _now():
    from addon.adapters.orm import utcnow

    return utcnow()


def oauth_client():
    """The registered Miro app's OAuth endpoints."""
    from addon.adapters.miro_oauth import MiroOAuth

    return current_app.config.get("OAUTH_CLIENT") or MiroOAuth(current_app.config["SETTINGS"])


def user_gateway(user: CurrentUser):
    """A board gateway that acts on Miro as `user`."""
    from addon.adapters.miro_gateway import MiroGateway
    from addon.adapters.token_store import TokenSource
    from miro_client import MiroClient

    factory = current_app.config.get("GATEWAY_FACTORY")
    if factory is not None:
        return factory(user)
    source = TokenSource(token_store(), oauth_client().refresh, user.team_id, user.miro_user_id)
    return MiroGateway(MiroClient(source, base_url=current_app.config["SETTINGS"].miro_api_url))


# Miro's board roles that may change the board (https://developers.miro.com/reference/get-specific-board-member).
WRITING_ROLES = {"editor", "coowner", "owner"}


def require_board_writer(user: CurrentUser, cycle_id: int) -> None:
    """Refuse (403) a user whose role on the cycle's board does not let them change it (a viewer, a commenter)."""
    with store().unit(user.tenant) as uow:
        board = uow.boards.latest_board(uow.cycles.get(cycle_id).id)
    if board is None:
        return  # no board yet: nothing on Miro to protect
    role = user_gateway(user).member_role(board.miro_board_id, user.miro_user_id)
    if role not in WRITING_ROLES:
        shown = f"is {role}" if role else "is none (not a member)"
        raise ApiError(
            403,
            "board_role",
            f"Your role on this cycle's board {shown}: only its editors, co-owners and owners may generate, track, "
            "sync or record a check-in. Ask the board's owner for edit access in Miro.",
        )
