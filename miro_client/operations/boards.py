"""Boards, board members and the token context (https://developers.miro.com/reference/create-board)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..pagination import iter_offset
from ..types import Board, BoardMember, TokenContext
from . import OperationsBase, body, query_params

# Boards and members page by offset with at most 50 per page (https://developers.miro.com/reference/get-boards).
MAX_OFFSET_LIMIT = 50


def check_offset_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_OFFSET_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_OFFSET_LIMIT}")
    return limit


class BoardsMixin(OperationsBase):
    """Board operations."""

    def get_token_context(self) -> TokenContext:
        """Return the token's user, team, organization and scopes (GET /v1/oauth-token)."""
        return self._call("token-info")

    def create_board(
        self,
        *,
        name: str | None = None,
        description: str | None = None,
        team_id: str | None = None,
        project_id: str | None = None,
        policy: dict[str, Any] | None = None,
    ) -> Board:
        """Create a board."""
        payload = body(name=name, description=description, teamId=team_id, projectId=project_id, policy=policy)
        return self._call("create-board", json=payload)

    def get_board(self, board_id: str) -> Board:
        """Return one board."""
        return self._call("get-specific-board", board_id=board_id)

    def iter_boards(
        self,
        *,
        team_id: str | None = None,
        project_id: str | None = None,
        query: str | None = None,
        owner: str | None = None,
        sort: str | None = None,
        limit: int = MAX_OFFSET_LIMIT,
    ) -> Iterator[Board]:
        """Yield the boards the user can see, fetching pages lazily."""
        params = query_params(team_id=team_id, project_id=project_id, query=query, owner=owner, sort=sort)
        return iter_offset(lambda page: self._call("get-boards", params=page), params, check_offset_limit(limit))

    def update_board(
        self,
        board_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        team_id: str | None = None,
        project_id: str | None = None,
        policy: dict[str, Any] | None = None,
    ) -> Board:
        """Change a board's name, description, team, project or sharing policy."""
        payload = body(name=name, description=description, teamId=team_id, projectId=project_id, policy=policy)
        return self._call("update-board", json=payload, board_id=board_id)

    def copy_board(
        self,
        board_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        team_id: str | None = None,
        policy: dict[str, Any] | None = None,
    ) -> Board:
        """Copy a board with its content; never re-sent, as each attempt makes a new board."""
        payload = body(name=name, description=description, teamId=team_id, policy=policy)
        return self._call("copy-board", params={"copy_from": board_id}, json=payload)

    def delete_board(self, board_id: str) -> None:
        """Delete a board (to the Trash on paid plans)."""
        self._call("delete-board", board_id=board_id)

    def share_board(
        self,
        board_id: str,
        *,
        emails: list[str],
        role: str | None = None,
        message: str | None = None,
    ) -> dict[str, Any]:
        """Invite up to 20 people by email; return Miro's `{successful, failed}` result."""
        payload = body(emails=list(emails), role=role, message=message)
        return self._call("share-board", json=payload, board_id=board_id)

    def iter_board_members(self, board_id: str, *, limit: int = MAX_OFFSET_LIMIT) -> Iterator[BoardMember]:
        """Yield a board's members, fetching pages lazily."""
        return iter_offset(
            lambda page: self._call("get-board-members", params=page, board_id=board_id),
            {},
            check_offset_limit(limit),
        )

    def get_board_member(self, board_id: str, board_member_id: str) -> BoardMember:
        """Return one member of a board."""
        return self._call("get-specific-board-member", board_id=board_id, board_member_id=board_member_id)
