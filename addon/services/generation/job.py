"""One generation job: what it creates, on which board, through which ports, and what its rounds have learnt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from addon.domain.board.items import NewItem, relative_position
from addon.domain.board.layout import PlannedItem
from addon.domain.board.roles import stands_for_key_result
from addon.domain.errors import OkrError
from addon.domain.method.model import Cycle
from addon.domain.sync.cards import member_for
from addon.services.ports import BoardError, BoardGateway, Store

BULK_SIZE = 20  # items per bulk call (https://developers.miro.com/reference/create-items)
Progress = Callable[[int, int], None]


class GenerationError(OkrError):
    """Generation stopped; the journal keeps what was done, and running it again resumes."""


@dataclass(frozen=True)
class BoardTarget:
    """The board being generated: its journal row and its Miro id."""

    row_id: int
    miro_id: str
    view_link: str | None


@dataclass
class Job:
    """A generation's shared state, read and updated by its rounds."""

    store: Store
    tenant: str
    gateway: BoardGateway
    cycle: Cycle
    board: BoardTarget
    items: dict[str, PlannedItem]  # the plan by key
    concurrency: int
    progress: Progress = lambda done, total: None  # noqa: E731 - a default no-op callback
    assignees: dict[str, str] | None = None  # key-result ref -> Miro user id; None until the members are known
    done: int = 0
    total: int = 0

    def advance(self, count: int) -> None:
        """Count confirmed items and report progress."""
        self.done += count
        self.progress(self.done, self.total)

    def new_item(self, item: PlannedItem, ids: dict[str, str]) -> NewItem:
        """Return what to create for a planned item, its parent frame given by Miro id (from `ids`)."""
        x, y, parent_id = item.x, item.y, None
        if item.parent_key is not None:
            frame = self.items[item.parent_key]
            x, y = relative_position(item.x, item.y, (frame.x, frame.y, frame.width, frame.height))
            parent_id = ids.get(item.parent_key)
        data = item.data
        if stands_for_key_result(item.role) and item.entity in (self.assignees or {}):
            data = {**data, "assigneeId": self.assignees[item.entity]}
        return NewItem(item.type, data, item.style, round(x, 2), round(y, 2), item.width, item.height, parent_id)

    def send_frame(self, items: list[NewItem]) -> list:
        """Create one frame (frames are not bulk-created); return its outcome as a one-item list."""
        try:
            return [self.gateway.create_one(self.board.miro_id, items[0])]
        except BoardError as error:
            return [error]

    def send_chunk(self, items: list[NewItem]) -> list:
        """Create up to BULK_SIZE items in one bulk call; return the item or the error per item."""
        return self.gateway.create_chunk(self.board.miro_id, items)

    def member_assignees(self) -> dict[str, str]:
        """Look up the board's members for card assignees (cards carry assigneeId)."""
        if not any(kr.owner for _, kr in self.cycle.key_results_by_ref().values()):
            return {}
        try:
            return assignees_among(self.cycle, self.gateway.member_names(self.board.miro_id))
        except BoardError:
            return {}  # assignees are a convenience; owners stay in the card text


def assignees_among(cycle: Cycle, members: dict[str, str]) -> dict[str, str]:
    """Map key-result refs to the member (user id -> name) the owner names: full name, or unique first name."""
    found = {ref: member_for(members, kr.owner) for ref, (_, kr) in cycle.key_results_by_ref().items()}
    return {ref: member_id for ref, member_id in found.items() if member_id}
