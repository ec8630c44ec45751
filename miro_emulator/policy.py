"""Board sharing policy and roles: who may read, write, share, copy or delete a board.

Roles rank viewer < commenter < editor < coowner < owner (https://help.miro.com/hc/en-us/articles/360017572054).
A user's role is their membership, else what the board's `teamAccess` grants to members of the board's team, else
what `organizationAccess` grants inside the organisation. A user with no role gets 403 when the board belongs to
one of their teams (they can see it exists) and 404 otherwise.
"""

from __future__ import annotations

import copy

from miro_emulator.errors import ApiError, forbidden, not_found

RANK = {"viewer": 0, "commenter": 1, "editor": 2, "coowner": 3, "owner": 4}
ACCESS_ROLE = {"view": "viewer", "comment": "commenter", "edit": "editor"}


def default_policy() -> dict:
    """Return the policy of a new board (paid-plan defaults: private to its members)."""
    return {
        "permissionsPolicy": {
            "collaborationToolsStartAccess": "all_editors",
            "copyAccess": "anyone",
            "sharingAccess": "team_members_with_editing_rights",
        },
        "sharingPolicy": {
            "access": "private",
            "accessPasswordRequired": False,
            "inviteToAccountAndBoardLinkAccess": "no_access",
            "organizationAccess": "private",
            "teamAccess": "private",
        },
    }


def merge_policy(current: dict, change: dict) -> dict:
    """Return `current` updated with the (partial) BoardPolicyChange `change`."""
    merged = copy.deepcopy(current)
    for part in ("permissionsPolicy", "sharingPolicy"):
        merged[part].update(change.get(part) or {})
    return merged


def role_of(board, user) -> str | None:
    """Return the user's effective role on the board, or None."""
    role = board.members.get(user.id)
    if role:
        return role
    sharing = board.policy["sharingPolicy"]
    if board.team_id in user.team_ids and sharing.get("teamAccess") in ACCESS_ROLE:
        return ACCESS_ROLE[sharing["teamAccess"]]
    return ACCESS_ROLE.get(sharing.get("organizationAccess"))


def require(board, user, need: str) -> str:
    """Return the user's role if it allows `need` (read, write, share, copy, manage, delete); else raise."""
    role = role_of(board, user)
    if role is None:
        if board.team_id in user.team_ids:
            raise forbidden("You do not have access to this board")
        raise not_found(f"Board {board.id} not found")
    rank = RANK[role]
    permissions = board.policy["permissionsPolicy"]
    if need == "read":
        allowed = True
    elif need == "write":
        allowed = rank >= RANK["editor"]
    elif need == "share":
        minimum = "coowner" if permissions.get("sharingAccess") == "owner_and_coowners" else "editor"
        allowed = rank >= RANK[minimum]
    elif need == "copy":
        allowed = {
            "anyone": True,
            "team_members": board.team_id in user.team_ids or rank >= RANK["editor"],
            "team_editors": rank >= RANK["editor"],
            "board_owner": role == "owner",
        }.get(permissions.get("copyAccess", "anyone"), True)
    elif need in ("manage", "delete"):
        allowed = rank >= RANK["coowner"]
    else:  # pragma: no cover - programming error
        raise ValueError(need)
    if not allowed:
        raise forbidden(f"Your role on this board ({role}) does not allow this operation")
    return role


def check_role_change(actor_role: str, new_role: str) -> None:
    """Refuse giving a role above the actor's own (an editor cannot make co-owners)."""
    if RANK.get(new_role, 0) > RANK[actor_role] and actor_role != "owner":
        raise ApiError(403, "forbiddenAccess", f"A {actor_role} cannot grant the role {new_role}")
