"""Races on demand, for tests: a teammate's edit applied between a listing and the client's next request, and a
log of who read or wrote each item (so a test can check that every PATCH was preceded by a GET of that item).

Miro has no conditional update: a client that lists a board, decides, then PATCHes an item overwrites whatever a
person typed in between. `ScriptedEdit` makes that moment reproducible. It waits for a request of its `after`
route (the listing's pages, `GET /v2/boards/{board_id}/items`), and is applied once, right before the first API
request of any other route, so the client's listing shows the item as it was and its next request finds it changed.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass

from miro_emulator import board_ops
from miro_emulator.errors import invalid

LISTING = "GET /v2/boards/{board_id}/items"
PATCH_FIELDS = frozenset({"data", "style", "geometry", "position", "parent"})
LOG_SIZE = 10_000  # the ordered log keeps this many entries; the per-item counts keep everything


@dataclass
class ScriptedEdit:
    """An edit applied once, right before the first API request after a request of `after`.

    Either `action` (in-process: any callable, e.g. a teammate's REST call) or a PATCH `body` applied to
    `item_id` of `board_id` as `user_id`, the way `PATCH /v2/boards/{board_id}/items/{item_id}` would.
    """

    after: str = LISTING
    action: Callable[[], None] | None = None
    board_id: str | None = None
    item_id: str | None = None
    body: dict | None = None
    user_id: str | None = None
    armed: bool = False  # a request of `after` has been seen

    @classmethod
    def from_json(cls, raw: object) -> ScriptedEdit:
        """Read `{"after"?, "board_id", "item_id", "body", "user_id"?}`; raise Miro's 400 naming a bad field."""
        if not isinstance(raw, dict):
            raise invalid("An edit must be a JSON object", "body")
        for name in ("board_id", "item_id"):
            if not isinstance(raw.get(name), str) or not raw[name]:
                raise invalid(f"An edit needs {name}: the id of the item to change", name)
        body = raw.get("body")
        if not isinstance(body, dict) or not body or not set(body) <= PATCH_FIELDS:
            raise invalid(f"An edit's body is a PATCH body with some of {sorted(PATCH_FIELDS)}", "body")
        after = raw.get("after", LISTING)
        if not isinstance(after, str) or " " not in after:
            raise invalid("after is a route key such as 'GET /v2/boards/{board_id}/items'", "after")
        user = raw.get("user_id")
        return cls(after, None, raw["board_id"], raw["item_id"], body, user if isinstance(user, str) else None)

    def to_json(self) -> dict:
        """Describe the edit (an in-process action shows as `"action": true`)."""
        return {
            "after": self.after,
            "board_id": self.board_id,
            "item_id": self.item_id,
            "body": self.body,
            "user_id": self.user_id,
            "action": self.action is not None,
            "armed": self.armed,
        }


class RaceScript:
    """The scripted edits still to apply, and those applied; thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self.waiting: list[ScriptedEdit] = []
        self.applied: list[ScriptedEdit] = []

    def add(self, edit: ScriptedEdit, store=None) -> None:
        """Schedule an edit (refused, naming `user_id`, when `store` knows no such user)."""
        if store is not None and edit.user_id and store.find_user(edit.user_id) is None:
            raise invalid(f"An edit's user_id names no user: {edit.user_id}", "user_id")
        with self._lock:
            self.waiting.append(edit)

    def clear(self) -> None:
        """Drop every edit still waiting."""
        with self._lock:
            self.waiting.clear()

    def before(self, route_key: str, emu) -> None:
        """Called before each API request: apply the edits this request comes after, then arm the others."""
        with self._lock:
            due = [e for e in self.waiting if e.armed and e.after != route_key]
            self.waiting = [e for e in self.waiting if e not in due]
            for edit in self.waiting:
                edit.armed = edit.armed or edit.after == route_key
            self.applied.extend(due)
        for edit in due:  # outside the lock: an action may itself send requests to this emulator
            _apply(edit, emu)


def _apply(edit: ScriptedEdit, emu) -> None:
    if edit.action is not None:
        edit.action()
        return
    store = emu.store
    with store.lock:
        board = store.boards.get(edit.board_id)
        item = board.items.get(edit.item_id) if board else None
        if item is None:
            return  # deleted meanwhile: nothing left to edit
        user = store.find_user(edit.user_id) if edit.user_id else None
        board_ops.update_item(store, board, item, edit.body, user.id if user else emu.default_user_id)


class ItemLog:
    """Which user read (GET) or wrote (PATCH, DELETE) which item, counted and in order; thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self.counts: Counter[tuple[str, str, str]] = Counter()  # (user id, item id, method) -> requests
        self.order: deque[tuple[str, str, str]] = deque(maxlen=LOG_SIZE)  # (user id, method, item id)

    def record(self, user_id: str, method: str, item_id: str) -> None:
        """Note one request on one item."""
        with self._lock:
            self.counts[(user_id, item_id, method)] += 1
            self.order.append((user_id, method, item_id))

    def by_user(self) -> dict[str, dict[str, dict[str, int]]]:
        """Return `{user id: {item id: {"GET": n, "PATCH": n, ...}}}`."""
        out: dict[str, dict[str, dict[str, int]]] = {}
        with self._lock:
            for (user, item, method), n in sorted(self.counts.items()):
                out.setdefault(user, {}).setdefault(item, {})[method] = n
        return out

    def sequence(self, user_id: str | None = None) -> list[tuple[str, str]]:
        """Return the (method, item id) of the latest requests on items, oldest first (one user's, if given)."""
        with self._lock:
            return [(method, item) for user, method, item in self.order if user_id in (None, user)]

    def reset(self) -> None:
        """Forget everything."""
        with self._lock:
            self.counts.clear()
            self.order.clear()
