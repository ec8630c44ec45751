"""The ports the services own: what a use case needs from Miro (a board gateway) and from the store (units of
work with their repositories, and leases). The adapters implement them; service tests may use in-memory fakes.

Services talk to Miro and to the database only through these: they import neither `miro_client`, SQLAlchemy
nor the ORM (a layering test checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from addon.domain.board.items import ListedItem, NewItem
from addon.domain.board.journal import JournalEntry
from addon.domain.errors import OkrError
from addon.domain.method.model import Cycle

# -- Miro ---------------------------------------------------------------------------------------------------------


class BoardError(OkrError):
    """Miro did not do what was asked; the message is fit to show. `transient`: trying again may work."""

    transient = False


class BoardUnavailable(BoardError):
    """Miro could not be reached or answered with a temporary failure (5xx, 429, timeout)."""

    transient = True


class BoardOutcomeUnknown(BoardUnavailable):
    """A create whose answer was lost: the item may exist on the board."""


class BoardNotFound(BoardError):
    """The board or item does not exist, or the user cannot see it."""


class BoardRefused(BoardError):
    """Miro refused the request (a bad request, no permission, a bad token)."""


@dataclass(frozen=True)
class BoardInfo:
    """A Miro board: its id, link and description, and who created it when Miro says."""

    id: str
    view_link: str | None = None
    description: str = ""
    creator_id: str | None = None
    creator_name: str = ""


@dataclass(frozen=True)
class CreditBudget:
    """Miro's request budget as last heard: credits per window, credits left (None: not heard yet, assume all),
    seconds until they come back (None: unknown)."""

    per_window: int
    window_seconds: float
    remaining: int | None = None
    resets_in: float | None = None


class BoardGateway(Protocol):
    """What the services ask of Miro."""

    concurrency: int  # how many requests may be in flight at once (the budget may allow fewer)
    clock_skew: float | None  # seconds Miro's and our clocks may disagree (OKRBOARD_CLOCK_SKEW; None: default)

    def create_board(self, name: str, description: str) -> BoardInfo: ...
    def get_board(self, board_id: str) -> BoardInfo: ...
    def find_board(self, marker: str) -> BoardInfo | None: ...
    def set_board_description(self, board_id: str, description: str) -> BoardInfo: ...
    def member_names(self, board_id: str) -> dict[str, str]: ...
    def create_one(self, board_id: str, item: NewItem) -> ListedItem: ...
    def create_chunk(self, board_id: str, items: list[NewItem]) -> list[ListedItem | BoardError]: ...
    def iter_items(self, board_id: str) -> Iterator[ListedItem]: ...
    def get_item(self, board_id: str, item_id: str) -> ListedItem: ...
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
    ) -> ListedItem: ...
    def miro_time(self) -> datetime | None:
        """Miro's clock at its latest answer (its Date header), or None when unknown."""
        ...

    def usage(self) -> dict: ...
    def credits_for(self, singles: int, in_bulk: int) -> int:
        """Return what creating `singles` items one request each and `in_bulk` items in bulk calls costs."""
        ...

    def credit_budget(self) -> CreditBudget: ...
    def on_wait(self, listener: Callable[[float], None] | None) -> None:
        """Call `listener(seconds)` whenever Miro's budget makes requests wait (None: stop)."""
        ...


# -- the store ----------------------------------------------------------------------------------------------------


class SyncBusy(OkrError):
    """Another sync of the same board holds the lease."""


class LeaseLost(SyncBusy):
    """The lease ran out while this sync worked and another took it over: this one stops before writing."""


class BoardLease(Protocol):
    """A held lease on a board."""

    def heartbeat(self) -> None:
        """Renew the lease if due; raise LeaseLost when another holder took it over."""
        ...


class CycleNotFound(OkrError):
    """No cycle with that id or name in this tenant."""


class CycleAmbiguous(OkrError):
    """Several cycles have the name asked for; the message lists their ids."""


def ambiguous(name: str, cycles: list[Cycle]) -> CycleAmbiguous:
    """Return the error for a name that several cycles share."""
    ids = ", ".join(f"{c.id} ({c.level}{' ' + c.team if c.team else ''}, {c.start})" for c in cycles)
    return CycleAmbiguous(f"{len(cycles)} cycles are named '{name}': ids {ids}. Name the cycle by its id.")


@dataclass(frozen=True)
class BoardRecord:
    """A board the app generated for a cycle."""

    id: int
    cycle_id: int
    miro_board_id: str
    view_link: str | None
    language: str
    last_synced_at: datetime | None = None
    synced_stamp: str | None = None  # the store state (cycle revisions, layout) its last complete sync left
    marker: str | None = None  # what the board's description carries to say it belongs to this cycle and store


@dataclass(frozen=True)
class CycleSummary:
    """A cycle's id, name, parent and revision (a counter of its saves), read without its objectives."""

    id: int
    name: str
    parent_id: int | None
    revision: int
    closed: bool = False


class CycleRepository(Protocol):
    """A tenant's cycles."""

    def add(self, cycle: Cycle) -> Cycle: ...
    def save(self, cycle: Cycle) -> Cycle: ...
    def get(self, cycle_id: int) -> Cycle: ...
    def find(self, id_or_name: str) -> Cycle: ...
    def list(self) -> list[Cycle]: ...
    def summary(self, id_or_name: str) -> CycleSummary: ...
    def children(self, parent_id: int) -> list[CycleSummary]: ...
    def delete(self, cycle_id: int) -> None: ...


class BoardJournal(Protocol):
    """The boards of a tenant's cycles and the items the app placed on them."""

    def latest_board(self, cycle_id: int) -> BoardRecord | None: ...
    def board(self, cycle_id: int, miro_board_id: str) -> BoardRecord | None: ...
    def add_board(
        self, cycle_id: int, miro_board_id: str, view_link: str | None, language: str, marker: str | None = None
    ) -> BoardRecord: ...
    def boards_with_id(self, miro_board_id: str) -> list[BoardRecord]: ...
    def set_marker(self, board_id: int, marker: str) -> None: ...
    def plan(self, board_id: int, items: Iterable[tuple[str, str, str | None]]) -> int: ...
    def entries(self, board_id: int, keys: Iterable[str] | None = None) -> dict[str, JournalEntry]: ...
    def mark_sent(self, board_id: int, keys: Iterable[str]) -> None: ...
    def record_created(self, board_id: int, created: Mapping[str, tuple[str, dict, str | None]]) -> None: ...
    def update_synced(self, board_id: int, key: str, synced: dict, modified_at: str | None) -> None: ...
    def set_state(self, board_id: int, key: str, state: str) -> None: ...
    def add_item(
        self, board_id: int, key: str, role: str, entity: str | None, item_id: str, synced: dict, modified: str | None
    ) -> None: ...
    def retag(self, board_id: int, key: str, role: str, entity: str | None) -> None: ...
    def record_conflicts(self, board_id: int, conflicts: Iterable[dict]) -> None: ...
    def conflicts(self, cycle_id: int, limit: int = 200) -> list[dict]: ...
    def edit_times(self, cycle_id: int) -> dict[tuple[str, int], dict[str, str]]: ...
    def mark_synced(self, board_id: int, when: datetime, stamp: str | None = None) -> None: ...
    def record_problems(self, board_id: int, problems: list[dict]) -> None: ...
    def problems(self, board_id: int) -> list[dict]: ...
    def save_picture(self, board_id: int, checkin: int, png: bytes) -> None: ...
    def pictures(self, cycle_id: int) -> dict[int, bytes]: ...


class UnitOfWork(Protocol):
    """What a use case works with inside one transaction."""

    cycles: CycleRepository
    boards: BoardJournal

    def lock_cycle(self, cycle_id: int) -> None:
        """Hold the cycle until the transaction ends, so a read-then-write never loses a concurrent edit."""


class StoreReads(Protocol):
    """Reads in one transaction that write nothing: `cycles.summary` and `children`; `boards.latest_board`,
    `board`, `entries` and `problems` (what a sync reads before it knows whether anything changed)."""

    cycles: CycleRepository
    boards: BoardJournal


class Store(Protocol):
    """Transactions on the app's data, and leases shared by every process."""

    def unit(self, tenant_id: str) -> AbstractContextManager[UnitOfWork]: ...
    def reader(self, tenant_id: str) -> AbstractContextManager[StoreReads]: ...

    def board_lease(
        self, miro_board_id: str, *, holder: str | None = None, clock: Callable[[], datetime] | None = None
    ) -> AbstractContextManager[BoardLease]:
        """The lease that lets one sync of a board run at a time; raises SyncBusy when it is taken."""
        ...
