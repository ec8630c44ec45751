"""The app's door to Miro: planned items become Miro request bodies; Miro's items come back as plain dicts."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from miro_client import MiroBulkCreateError, MiroClient, MiroError, MiroTransportError

# Sticky notes take a width or a height, texts only a width (https://developers.miro.com/docs/stickies).
WIDTH_ONLY = {"sticky_note", "text"}


@dataclass(frozen=True)
class Placement:
    """Where an item goes: its parent frame's Miro id and its position as Miro expects it."""

    parent_id: str | None
    x: float
    y: float


def relative_position(x: float, y: float, frame: tuple[float, float, float, float] | None) -> tuple[float, float]:
    """Convert an absolute centre to Miro's frame-relative one (from the frame's top-left corner)."""
    if frame is None:
        return x, y
    fx, fy, width, height = frame
    return x - (fx - width / 2), y - (fy - height / 2)


def create_body(item, placement: Placement) -> dict:
    """Return Miro's ItemCreate body for a planned item at a placement."""
    geometry = {"width": item.width}
    if item.type not in WIDTH_ONLY and item.height is not None:
        geometry["height"] = item.height
    body = {
        "type": item.type,
        "data": item.data,
        "style": item.style,
        "position": {"x": round(placement.x, 2), "y": round(placement.y, 2)},
        "geometry": geometry,
    }
    if placement.parent_id:
        body["parent"] = {"id": placement.parent_id}
    return body


class MiroGateway:
    """Creates, lists and updates board items through miro_client."""

    def __init__(self, client: MiroClient, *, concurrency: int = 4):
        self.client = client
        self.concurrency = concurrency

    def create_board(self, name: str, description: str) -> dict:
        """Create a board and return it (id, viewLink)."""
        return self.client.create_board(name=name[:60], description=description[:300])

    def find_board(self, marker: str) -> dict | None:
        """Return the board whose description carries a marker (to reconcile a create whose answer was lost)."""
        return next((b for b in self.client.iter_boards() if marker in (b.get("description") or "")), None)

    def member_names(self, board_id: str) -> dict[str, str]:
        """Map board members' user ids to their names, for card assignees."""
        return {str(m["id"]): m.get("name") or "" for m in self.client.iter_board_members(board_id)}

    def create_one(self, board_id: str, body: dict) -> dict:
        """Create one item through its typed endpoint."""
        fields = {key: body[key] for key in ("data", "style", "position", "geometry") if body.get(key)}
        create = getattr(self.client, f"create_{body['type']}")
        if body["type"] == "frame":
            return create(board_id, **fields)
        return create(board_id, **fields, parent_id=(body.get("parent") or {}).get("id"))

    def create_many(self, board_id: str, bodies: list[dict]) -> list[dict | BaseException]:
        """Create items one request each, concurrently; return the item or the error per body, in order."""

        def attempt(body):
            try:
                return self.create_one(board_id, body)
            except Exception as error:  # noqa: BLE001 - every failure is reported back per item
                return error

        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="okr-create") as pool:
            return list(pool.map(attempt, bodies))

    def create_bulk(self, board_id: str, bodies: list[dict]) -> list[dict]:
        """Create items in bulk (chunks of 20 sent concurrently); raises MiroBulkCreateError on failure."""
        return self.client.create_items_bulk(board_id, bodies)

    def create_chunk(self, board_id: str, bodies: list[dict]) -> list[dict | MiroError]:
        """Create up to 20 items in one bulk call; return the item or the error per body, in order."""
        try:
            return list(self.create_bulk(board_id, bodies))
        except MiroBulkCreateError as error:
            outcomes: list[dict | MiroError] = list(error.results)
            for start, stop, cause in error.failures:
                outcomes[start:stop] = [cause] * (stop - start)
            for start, stop in error.unsent:
                outcomes[start:stop] = [MiroTransportError("not sent", sent=False)] * (stop - start)
            return outcomes
        except MiroError as error:
            return [error] * len(bodies)

    def iter_items(self, board_id: str, *, parent_item_id: str | None = None) -> Iterator[dict]:
        """Yield the board's items (or one frame's), page by page."""
        return self.client.iter_items(board_id, parent_item_id=parent_item_id)

    def update_card(self, board_id: str, item_id: str, **fields) -> dict:
        """Patch a card's data, position or parent."""
        return self.client.update_card(board_id, item_id, **fields)

    def move_item(self, board_id: str, item_id: str, *, position: dict, parent_id: str | None) -> dict:
        """Move any item (a card, or a sticky the team wrote a key result on), into a frame if given."""
        return self.client.update_item(board_id, item_id, position=position, parent_id=parent_id)

    def update_shape(self, board_id: str, item_id: str, **fields) -> dict:
        """Patch a shape's data or style."""
        return self.client.update_shape(board_id, item_id, **fields)

    def update_sticky_note(self, board_id: str, item_id: str, **fields) -> dict:
        """Patch a sticky note's data or style."""
        return self.client.update_sticky_note(board_id, item_id, **fields)

    def usage(self) -> dict:
        """Return the client's request and credit counters."""
        return self.client.stats.snapshot()


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
