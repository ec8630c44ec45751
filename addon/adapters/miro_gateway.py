"""The board gateway on Miro (through miro_client): planned items become Miro request bodies, Miro's items come
back as typed `ListedItem`s, and Miro's errors become the services' `BoardError`s."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from addon.domain.board.items import ListedItem, NewItem
from addon.domain.board.roles import ITEM_TYPES
from addon.services.ports import (
    BoardError,
    BoardInfo,
    BoardNotFound,
    BoardOutcomeUnknown,
    BoardRefused,
    BoardUnavailable,
    CreditBudget,
)
from miro_client import (
    LEVEL_CREDITS,
    MiroAPIError,
    MiroBulkCreateError,
    MiroClient,
    MiroCreateOutcomeUnknown,
    MiroError,
    MiroTransportError,
    NotFound,
    RateLimited,
    ServerError,
)
from miro_client.limiter import WINDOW_SECONDS
from miro_client.retry import Retrying

NAME_LIMIT, DESCRIPTION_LIMIT = 60, 300  # Miro's limits on a board's name and description


def create_body(item: NewItem) -> dict:
    """Return Miro's ItemCreate body for an item to create."""
    geometry = {"width": item.width}
    if not ITEM_TYPES[item.type].width_only and item.height is not None:
        geometry["height"] = item.height
    body = {
        "type": item.type,
        "data": dict(item.data),
        "style": dict(item.style),
        "position": {"x": round(item.x, 2), "y": round(item.y, 2)},
        "geometry": geometry,
    }
    if item.parent_id:
        body["parent"] = {"id": item.parent_id}
    return body


def listed_item(raw: dict) -> ListedItem:
    """Return the typed item of one item of Miro's JSON (as listed, created or read)."""
    position = raw.get("position") or {}
    geometry = raw.get("geometry") or {}
    x, y = position.get("x"), position.get("y")
    height = geometry.get("height")
    parent = (raw.get("parent") or {}).get("id")
    return ListedItem(
        id=str(raw["id"]),
        type=raw.get("type", ""),
        data=raw.get("data") or {},
        style=raw.get("style") or {},
        x=None if x is None else float(x),
        y=None if y is None else float(y),
        width=float(geometry.get("width") or 0.0),
        height=None if height is None else float(height),
        parent_id=None if parent is None else str(parent),
        modified_at=raw.get("modifiedAt"),
    )


def miro_item(item: ListedItem) -> dict:
    """Return a typed item in Miro's JSON shape (for the board picture, which draws Miro's items)."""
    return item.as_miro_json()


def board_error(error: MiroError) -> BoardError:
    """Return the services' error for a Miro error, keeping its message."""
    message = f"Miro did not answer as expected: {error}"
    if isinstance(error, MiroCreateOutcomeUnknown):
        return BoardOutcomeUnknown(message)
    if isinstance(error, NotFound):
        return BoardNotFound(message)
    if isinstance(error, RateLimited | ServerError | MiroTransportError):
        return BoardUnavailable(message)
    if isinstance(error, MiroAPIError):
        return BoardRefused(message)
    return BoardUnavailable(message)


@contextmanager
def _translated():
    try:
        yield
    except MiroError as error:
        raise board_error(error) from error


def _board(raw: dict) -> BoardInfo:
    me = raw.get("currentUserMembership") or {}
    return BoardInfo(
        id=str(raw["id"]),
        view_link=raw.get("viewLink"),
        description=raw.get("description") or "",
        creator_id=str(me["id"]) if me.get("id") else None,
        creator_name=me.get("name") or "",
    )


class MiroGateway:
    """The services' board gateway, on a MiroClient."""

    def __init__(self, client: MiroClient, *, concurrency: int | None = None):
        self.client = client
        # Requests in flight: the client's ceiling by default; its limiter lets fewer go when credits run short.
        self.concurrency = concurrency or client.max_workers

    def create_board(self, name: str, description: str) -> BoardInfo:
        """Create a board (name and description cut to Miro's limits)."""
        with _translated():
            return _board(self.client.create_board(name=name[:NAME_LIMIT], description=description[:DESCRIPTION_LIMIT]))

    def get_board(self, board_id: str) -> BoardInfo:
        """Read a board."""
        with _translated():
            return _board(self.client.get_board(board_id))

    def find_board(self, marker: str) -> BoardInfo | None:
        """Return the board whose description carries a marker (to reconcile a create whose answer was lost)."""
        with _translated():
            found = next((b for b in self.client.iter_boards() if marker in (b.get("description") or "")), None)
        return _board(found) if found else None

    def set_board_description(self, board_id: str, description: str) -> BoardInfo:
        """Replace a board's description (cut to Miro's limit)."""
        with _translated():
            return _board(self.client.update_board(board_id, description=description[:DESCRIPTION_LIMIT]))

    def member_names(self, board_id: str) -> dict[str, str]:
        """Map board members' user ids to their names, for card assignees."""
        with _translated():
            return {str(m["id"]): m.get("name") or "" for m in self.client.iter_board_members(board_id)}

    def member_role(self, board_id: str, user_id: str) -> str | None:
        """The user's role on the board (viewer, commenter, editor, coowner, owner), or None if not a member."""
        try:
            with _translated():
                return self.client.get_board_member(board_id, user_id).get("role")
        except BoardNotFound:
            return None

    def create_one(self, board_id: str, item: NewItem) -> ListedItem:
        """Create one item through its typed endpoint."""
        body = create_body(item)
        fields = {key: body[key] for key in ("data", "style", "position", "geometry") if body.get(key)}
        create: Callable = getattr(self.client, f"create_{body['type']}")
        with _translated():
            if body["type"] == "frame":
                return listed_item(create(board_id, **fields))
            return listed_item(create(board_id, **fields, parent_id=(body.get("parent") or {}).get("id")))

    def create_bulk(self, board_id: str, bodies: list[dict]) -> list[dict]:
        """Create items in bulk (chunks of 20); raises MiroBulkCreateError on failure (kept for tests' hooks)."""
        return self.client.create_items_bulk(board_id, bodies)

    def create_chunk(self, board_id: str, items: list[NewItem]) -> list[ListedItem | BoardError]:
        """Create up to 20 items in one bulk call; return the item or the error per item, in order."""
        bodies = [create_body(item) for item in items]
        try:
            return [listed_item(raw) for raw in self.create_bulk(board_id, bodies)]
        except MiroBulkCreateError as error:
            outcomes: list[ListedItem | BoardError] = [listed_item(raw) if raw else raw for raw in error.results]
            for start, stop, cause in error.failures:
                outcomes[start:stop] = [board_error(cause)] * (stop - start)
            for start, stop in error.unsent:
                outcomes[start:stop] = [BoardUnavailable("not sent")] * (stop - start)
            return outcomes
        except MiroError as error:
            return [board_error(error)] * len(bodies)

    def iter_items(self, board_id: str) -> Iterator[ListedItem]:
        """Yield the board's items, page by page."""
        with _translated():
            for raw in self.client.iter_items(board_id):
                yield listed_item(raw)

    def count_items(self, board_id: str) -> int | None:
        """Return how many items the board has, as Miro counts them (None when it does not say)."""
        with _translated():
            return self.client.count_items(board_id)

    def get_item(self, board_id: str, item_id: str) -> ListedItem:
        """Read one item; raises BoardNotFound when it is gone."""
        with _translated():
            return listed_item(self.client.get_item(board_id, item_id))

    def update_item(
        self,
        board_id: str,
        item_type: str,
        item_id: str,
        *,
        data: dict | None = None,
        style: dict | None = None,
        position: dict | None = None,
        parent_id: str | None = None,
    ) -> ListedItem:
        """Patch an item through its typed endpoint (data and style need it), or the generic one for a move."""
        fields = {"data": data, "style": style, "position": position, "parent_id": parent_id}
        fields = {name: value for name, value in fields.items() if value}
        with _translated():
            if data or style:
                return listed_item(getattr(self.client, f"update_{item_type}")(board_id, item_id, **fields))
            return listed_item(self.client.update_item(board_id, item_id, **fields))

    def miro_time(self) -> datetime | None:
        """Miro's clock at its latest answer (the Date header), or None when no answer carried one."""
        return self.client.stats.server_time

    def usage(self) -> dict:
        """Return the client's request and credit counters, and the seconds it waited for credits."""
        return {**self.client.stats.snapshot(), "waited_seconds": self.client.limiter.waited}

    def credits_for(self, singles: int, in_bulk: int) -> int:
        """Creates are level 2, one request each or per item in bulk (https://developers.miro.com/reference/rate-limiting)."""
        return LEVEL_CREDITS[2] * (singles + in_bulk)

    def credit_budget(self) -> CreditBudget:
        """Return the budget as the client's last answers from Miro told it."""
        limiter = self.client.limiter
        return CreditBudget(limiter.budget, WINDOW_SECONDS, limiter.remaining, limiter.resets_in())

    def on_wait(self, listener: Callable[[float], None] | None) -> None:
        """Have the client tell `listener` how long it waits whenever the budget is spent."""
        self.client.limiter.on_wait = listener

    def on_retry(self, listener: Callable[[Retrying], None] | None) -> None:
        """Have the client tell `listener` of each request it sends again (after a 5xx, a 429, a timeout)."""
        self.client.on_retry = listener


class MiroNotConfigured(Exception):
    """No way to reach Miro was configured."""


def client_from_settings(settings, *, token: str | None = None, base_url: str | None = None) -> MiroClient:
    """Build a MiroClient from settings (MIRO_API_URL, MIRO_ACCESS_TOKEN) or explicit values."""
    token = token or settings.miro_access_token
    if not token:
        raise MiroNotConfigured(
            "No Miro token: set MIRO_ACCESS_TOKEN (for the emulator, the token it printed at start) and MIRO_API_URL."
        )
    return MiroClient(token, base_url=base_url or settings.miro_api_url)


def gateway_from_settings(settings) -> MiroGateway:
    """Build the board gateway for the configured Miro (or emulator)."""
    return MiroGateway(client_from_settings(settings))
