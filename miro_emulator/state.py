"""In-memory model of the emulated Miro: organisation, teams, users, boards and their items, tokens.

One re-entrant lock (`Store.lock`) guards every mutation: the server is threaded and benchmarks send concurrent
bulk calls. Items store `x, y` exactly as Miro exposes them: board coordinates for top-level items, offsets from the
parent frame's top-left corner for children (so a child moves with its frame).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field

from miro_emulator import seed as seed_data
from miro_emulator.policy import default_policy, merge_policy

ROLES = ("viewer", "commenter", "editor", "coowner", "owner")
FIRST_ITEM_ID = 3458764600000000000  # int64 ids like Miro's, e.g. "3458764517517819000"


@dataclass
class User:
    """An emulated Miro user."""

    id: str
    name: str
    email: str
    team_ids: list[str]


@dataclass
class Team:
    """An emulated Miro team."""

    id: str
    name: str


@dataclass
class Token:
    """An access token: whose, for which app, which scopes, until when (None: never expires)."""

    access_token: str
    user_id: str
    team_id: str
    client_id: str
    scopes: list[str]
    expires_at: float | None = None
    refresh_token: str | None = None
    refresh_expires_at: float | None = None


@dataclass
class AuthCode:
    """A single-use authorization code (valid 10 minutes)."""

    code: str
    client_id: str
    redirect_uri: str
    user_id: str
    team_id: str
    expires_at: float


@dataclass
class Item:
    """A board item; `x, y` are relative to the parent frame's top-left when `parent_id` is set."""

    id: str
    type: str
    data: dict
    style: dict
    geometry: dict
    x: float
    y: float
    parent_id: str | None
    created_at: float
    created_by: str
    modified_at: float
    modified_by: str
    app_id: str | None = None
    tag_ids: list[str] = field(default_factory=list)


@dataclass
class Tag:
    """A board tag."""

    id: str
    title: str
    fill_color: str


@dataclass
class Connector:
    """A connector between two items (`start`/`end` hold id and position or snapTo)."""

    id: str
    start: dict
    end: dict
    shape: str
    captions: list
    style: dict
    created_at: float
    created_by: str
    modified_at: float
    modified_by: str


@dataclass
class Board:
    """A board with its members (user id -> role), items, tags and connectors."""

    id: str
    name: str
    description: str
    team_id: str
    project_id: str | None
    policy: dict
    owner_id: str
    members: dict[str, str]
    created_at: float
    created_by: str
    modified_at: float
    modified_by: str
    items: dict[str, Item] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)
    connectors: dict[str, Connector] = field(default_factory=dict)


class Store:
    """All emulated state, with helpers that tests use to seed users, boards, memberships and tokens."""

    def __init__(self, seed: int = 0, clock=time.time):
        self.lock = threading.RLock()
        self.seed = seed
        self.clock = clock
        self.org = dict(seed_data.ORGANIZATION)
        self.teams = {t["id"]: Team(**t) for t in seed_data.TEAMS}
        self.users = {u["id"]: User(**u) for u in seed_data.USERS}
        self.boards: dict[str, Board] = {}
        self.tokens: dict[str, Token] = {}
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> access token
        self.codes: dict[str, AuthCode] = {}
        self.next_id = FIRST_ITEM_ID
        self.board_counter = 0

    # ids -----------------------------------------------------------------------------------------
    def new_id(self) -> str:
        """Return a fresh int64 id string (items, tags, connectors, users share the space, like Miro)."""
        with self.lock:
            self.next_id += 1
            return str(self.next_id)

    def new_board_id(self) -> str:
        """Return a board id shaped like Miro's (`uXjV` + 7 base64url characters + `=`), stable per seed."""
        with self.lock:
            self.board_counter += 1
            digest = hashlib.sha256(f"{self.seed}:board:{self.board_counter}".encode()).digest()
        return base64.urlsafe_b64encode(b"\xb9\x78\xd5" + digest[:5]).decode()

    # users, teams, tokens --------------------------------------------------------------------------
    def find_user(self, ref: str) -> User | None:
        """Find a user by id, email or (case-insensitive) first name."""
        ref_lower = ref.lower()
        for user in self.users.values():
            if ref in (user.id, user.email) or user.name.split()[0].lower() == ref_lower:
                return user
        return None

    def add_team(self, name: str) -> Team:
        """Create a team."""
        with self.lock:
            team = Team(self.new_id(), name)
            self.teams[team.id] = team
            return team

    def add_user(self, name: str, email: str | None = None, team_ids: list[str] | None = None) -> User:
        """Create a user (in the first team unless teams are given)."""
        with self.lock:
            user_id = self.new_id()
            email = email or f"{name.split()[0].lower()}.{user_id[-4:]}@example.com"
            user = User(user_id, name, email, list(team_ids or [next(iter(self.teams))]))
            self.users[user.id] = user
            return user

    def issue_token(
        self,
        user_id: str,
        client_id: str,
        scopes: list[str],
        *,
        team_id: str | None = None,
        ttl: float | None = None,
        refresh_ttl: float | None = None,
        access_token: str | None = None,
    ) -> Token:
        """Create an access token (with a refresh token when `ttl` is set, as for expiring-token apps)."""
        with self.lock:
            if user_id not in self.users:
                raise KeyError(f"unknown user {user_id}")
            now = self.clock()
            token = Token(
                access_token=access_token or "emu_" + secrets.token_urlsafe(24),
                user_id=user_id,
                team_id=team_id or self.users[user_id].team_ids[0],
                client_id=client_id,
                scopes=list(scopes),
                expires_at=now + ttl if ttl else None,
            )
            if ttl:
                token.refresh_token = "emur_" + secrets.token_urlsafe(32)
                token.refresh_expires_at = now + (refresh_ttl or 60 * 24 * 3600)
                self.refresh_tokens[token.refresh_token] = token.access_token
            self.tokens[token.access_token] = token
            return token

    def revoke(self, access_token: str) -> bool:
        """Revoke an access token and its refresh token; return False if it was unknown."""
        with self.lock:
            token = self.tokens.pop(access_token, None)
            if token and token.refresh_token:
                self.refresh_tokens.pop(token.refresh_token, None)
            return token is not None

    # boards -----------------------------------------------------------------------------------------
    def create_board(
        self,
        owner_id: str,
        name: str = "Untitled",
        *,
        team_id: str | None = None,
        description: str = "",
        policy: dict | None = None,
        project_id: str | None = None,
    ) -> Board:
        """Create a board owned by `owner_id` (used by the API and by tests that seed boards)."""
        with self.lock:
            now = self.clock()
            board = Board(
                id=self.new_board_id(),
                name=name,
                description=description,
                team_id=team_id or self.users[owner_id].team_ids[0],
                project_id=project_id,
                policy=merge_policy(default_policy(), policy or {}),
                owner_id=owner_id,
                members={owner_id: "owner"},
                created_at=now,
                created_by=owner_id,
                modified_at=now,
                modified_by=owner_id,
            )
            self.boards[board.id] = board
            return board

    def set_member(self, board_id: str, user_id: str, role: str) -> None:
        """Give a user a role on a board (or remove them with role None)."""
        with self.lock:
            board = self.boards[board_id]
            if role is None:
                board.members.pop(user_id, None)
            else:
                board.members[user_id] = role

    def clear_boards(self) -> None:
        """Delete every board."""
        with self.lock:
            self.boards.clear()

    # persistence --------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        """Return all state as JSON-ready data."""
        with self.lock:
            return {
                "version": 1,
                "next_id": self.next_id,
                "board_counter": self.board_counter,
                "teams": [asdict(t) for t in self.teams.values()],
                "users": [asdict(u) for u in self.users.values()],
                "tokens": [asdict(t) for t in self.tokens.values()],
                "boards": [asdict(b) for b in self.boards.values()],
            }

    def load_json(self, data: dict) -> None:
        """Replace all state with `to_json` output."""
        with self.lock:
            self.next_id = data["next_id"]
            self.board_counter = data["board_counter"]
            self.teams = {t["id"]: Team(**t) for t in data["teams"]}
            self.users = {u["id"]: User(**u) for u in data["users"]}
            self.tokens = {t["access_token"]: Token(**t) for t in data["tokens"]}
            self.refresh_tokens = {t.refresh_token: t.access_token for t in self.tokens.values() if t.refresh_token}
            self.boards = {}
            for raw in data["boards"]:
                raw = dict(raw)
                items = {k: Item(**v) for k, v in raw.pop("items").items()}
                tags = {k: Tag(**v) for k, v in raw.pop("tags").items()}
                connectors = {k: Connector(**v) for k, v in raw.pop("connectors").items()}
                self.boards[raw["id"]] = Board(**raw, items=items, tags=tags, connectors=connectors)

    def save(self, path: str) -> None:
        """Write state to `path` atomically."""
        tmp = f"{path}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(self.to_json(), handle)
        os.replace(tmp, path)

    def load(self, path: str) -> None:
        """Load state from `path`."""
        with open(path, encoding="utf-8") as handle:
            self.load_json(json.load(handle))
