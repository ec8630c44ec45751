"""Cycle views kept between requests, so an unchanged cycle is not loaded through the ORM and rendered again.

Each request first reads the cycle's *version* in one SQLAlchemy Core query: the cycle's `revision` (bumped by every
save: sync, check-in, key-result update, plan changes), its creation time (an id SQLite reuses after a delete is a
new cycle), the parent's revision (findings check alignment), the newest board with its last sync's problems, and
the count and newest id of recorded conflicts. A cached view is used only while that version and the day are the
same. Entries are keyed by tenant, cycle and day, hold no per-user data (CSRF token, name, role, sign-in state),
and the least recently used one is dropped beyond `MAX_ENTRIES`. Each app (each store) has its own cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Engine

from addon.adapters import tables
from addon.adapters.orm import BoardItemRow, BoardRow, SyncConflictRow

VIEW_CACHE = "okrboard_views"  # its key in app.extensions
MAX_ENTRIES = 256  # a view is a few kilobytes: 256 cycles viewed today stay well under a few megabytes


@dataclass(frozen=True)
class CycleVersion:
    """What a cycle's dashboard depends on besides the day, read in one query."""

    revision: int
    created_at: str
    parent_revision: int | None
    board_id: int | None
    miro_board_id: str | None
    board_link: str | None
    last_synced_at: datetime | None  # naive UTC: SQLite gives back naive times, PostgreSQL aware ones
    sync_problems: str  # the board's problem record as JSON text (comparable, hashable)
    conflicts: tuple[int, int | None]

    def etag(self, cycle_id: int, day: date) -> str:
        """A validator for HTTP answers built from this version on `day`."""
        text = repr((cycle_id, day.isoformat(), self))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def problems(self) -> list[dict]:
        """The last sync's problems on the newest board (none before a sync)."""
        return json.loads(self.sync_problems)


@functools.cache
def _version_query():
    # Built once (constructing the aliases and subqueries costs more than running them); the ids are bound per call.
    cycle, parent = tables.cycles, tables.cycles.alias("parent")
    boards, conflicts = BoardRow.__table__, SyncConflictRow.__table__
    # The subqueries read their own alias of `boards`, correlated with the outer cycle only.
    older = boards.alias("any_board")
    of_cycle = older.c.cycle_id == cycle.c.id
    newest_board = select(func.max(older.c.id)).where(of_cycle).correlate(cycle).scalar_subquery()
    conflict_rows = conflicts.join(older, conflicts.c.board_id == older.c.id)
    count = select(func.count(conflicts.c.id)).select_from(conflict_rows).where(of_cycle).correlate(cycle)
    newest = select(func.max(conflicts.c.id)).select_from(conflict_rows).where(of_cycle).correlate(cycle)
    tenant = bindparam("tenant")
    return (
        select(
            cycle.c.revision,
            cycle.c.created_at,
            parent.c.revision,
            boards.c.id,
            boards.c.miro_board_id,
            boards.c.view_link,
            boards.c.last_synced_at,
            boards.c.sync_problems,
            count.scalar_subquery(),
            newest.scalar_subquery(),
        )
        .select_from(
            cycle.outerjoin(parent, (parent.c.id == cycle.c.parent_id) & (parent.c.tenant_id == tenant)).outerjoin(
                boards, boards.c.id == newest_board
            )
        )
        .where(cycle.c.id == bindparam("cycle_id"), cycle.c.tenant_id == tenant)
    )


def cycle_version(engine: Engine, tenant: str, cycle_id: int) -> CycleVersion | None:
    """The version of a tenant's cycle, or None when the tenant has no such cycle."""
    with engine.connect() as connection:
        row = connection.execute(_version_query(), {"tenant": tenant, "cycle_id": cycle_id}).first()
    if row is None:
        return None
    revision, created, parent_revision, board_id, miro_id, link, synced, problems, n, last = row
    return CycleVersion(
        revision,
        str(created),
        parent_revision,
        board_id,
        miro_id,
        link,
        utc_naive(synced),
        json.dumps(problems or [], sort_keys=True),
        (n, last),
    )


def cycle_of_board(engine: Engine, tenant: str, miro_board_id: str) -> int | None:
    """The tenant's newest cycle whose newest board is this Miro board (what the panel asks first), or None."""
    cycle, boards = tables.cycles, BoardRow.__table__
    newer = boards.alias("newer")
    superseded = select(newer.c.id).where(newer.c.cycle_id == boards.c.cycle_id, newer.c.id > boards.c.id).exists()
    query = (
        select(cycle.c.id)
        .join(boards, boards.c.cycle_id == cycle.c.id)
        .where(cycle.c.tenant_id == tenant, boards.c.miro_board_id == miro_board_id, ~superseded)
        .order_by(cycle.c.id.desc())
        .limit(1)
    )
    with engine.connect() as connection:
        return connection.execute(query).scalar()


def utc_naive(moment: datetime | None) -> datetime | None:
    """A stored time as naive UTC, whichever database gave it back."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def key_result_items(engine: Engine, board_id: int) -> dict[str, str]:
    """Which board item stands for which key result on a board (the panel shows a selected card's key result)."""
    from addon.domain.board.roles import stands_for_key_result

    items = BoardItemRow.__table__
    query = select(items.c.miro_item_id, items.c.entity, items.c.role).where(
        items.c.board_id == board_id, items.c.miro_item_id.is_not(None)
    )
    with engine.connect() as connection:
        return {item: entity for item, entity, role in connection.execute(query) if stands_for_key_result(role)}


@dataclass
class CachedView:
    """A cycle's view at one version, and what was made from it (rendered HTML, JSON text)."""

    version: CycleVersion
    view: dict
    made: dict[str, str] = field(default_factory=dict)


class ViewCache:
    """A bounded, thread-safe LRU map from (tenant, cycle id, day) to the cycle's view at its current version."""

    def __init__(self, size: int = MAX_ENTRIES):
        self.size = size
        self._entries: OrderedDict[tuple, CachedView] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, version: CycleVersion) -> CachedView | None:
        """The entry for `key` if it was made at `version`."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.version != version:
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: CachedView) -> CachedView:
        """Keep `entry` (replacing an older version of the same key), dropping the least recently used beyond size."""
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return entry

    def __len__(self) -> int:
        return len(self._entries)
