"""Read-only views of the store through SQLAlchemy Core: what a quiet sync reads, without importing the ORM.

A `StoreView` answers the few reads a sync makes before it knows whether anything changed (the cycle's summary,
its board, the journal, the board's synced stamp) the way the repository and the journal do, on one connection
(one transaction, so its reads agree with each other). Writing still goes through a unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from addon.adapters.tables import board_items, boards, cycles
from addon.domain.board.journal import JournalEntry
from addon.domain.method.model import CycleStatus
from addon.services.ports import BoardRecord, CycleNotFound, CycleSummary, ambiguous

_BOARD_COLUMNS = (
    boards.c.id,
    boards.c.cycle_id,
    boards.c.miro_board_id,
    boards.c.view_link,
    boards.c.language,
    boards.c.last_synced_at,
    boards.c.synced_stamp,
    boards.c.marker,
)
_SUMMARY_COLUMNS = (
    cycles.c.id,
    cycles.c.name,
    cycles.c.parent_id,
    cycles.c.revision,
    cycles.c.status == str(CycleStatus.CLOSED),
)


def entries_query(board_id: int, keys: Iterable[str] | None = None):
    """The SELECT of a board's journal rows (of `keys` only when given), in JournalEntry's field order."""
    c = board_items.c
    query = select(c.key, c.role, c.entity, c.state, c.miro_item_id, c.synced, c.modified_at).where(
        c.board_id == board_id
    )
    return query if keys is None else query.where(c.key.in_(list(keys)))


def entries_by_key(rows) -> dict[str, JournalEntry]:
    """Journal entries by key from the rows of `entries_query`."""
    return {
        key: JournalEntry(key, role, entity, state, item_id, synced or {}, modified_at)
        for key, role, entity, state, item_id, synced, modified_at in rows
    }


class CycleReads:
    """A tenant's cycle summaries (the repository's `summary` and `children`), read through Core."""

    def __init__(self, connection: Connection, tenant_id: str):
        self.connection, self.tenant_id = connection, tenant_id

    def summary(self, id_or_name: str) -> CycleSummary:
        """Return a cycle's id, name, parent and revision by id or name; raise CycleNotFound or CycleAmbiguous."""
        query = select(*_SUMMARY_COLUMNS).where(cycles.c.tenant_id == self.tenant_id)
        if str(id_or_name).isdigit():
            rows = self.connection.execute(query.where(cycles.c.id == int(id_or_name))).all()
            missing = f"no cycle {id_or_name}"
        else:
            rows = self.connection.execute(query.where(cycles.c.name == id_or_name).order_by(cycles.c.id)).all()
            missing = f"no cycle named '{id_or_name}'"
        if not rows:
            raise CycleNotFound(missing)
        if len(rows) > 1:
            c = cycles.c
            named = select(c.id, c.level, c.team, c.start).where(c.tenant_id == self.tenant_id, c.name == id_or_name)
            raise ambiguous(id_or_name, self.connection.execute(named.order_by(c.id)).all())
        return CycleSummary(*rows[0])

    def children(self, parent_id: int) -> list[CycleSummary]:
        """Return the summaries of the cycles linked to a parent cycle, oldest first."""
        query = (
            select(*_SUMMARY_COLUMNS)
            .where(cycles.c.tenant_id == self.tenant_id, cycles.c.parent_id == parent_id)
            .order_by(cycles.c.id)
        )
        return [CycleSummary(*row) for row in self.connection.execute(query)]


class BoardReads:
    """The boards of a tenant's cycles and their journals (the journal's reads), through Core."""

    def __init__(self, connection: Connection, tenant_id: str):
        self.connection, self.tenant_id = connection, tenant_id

    def _boards(self, cycle_id: int, *conditions) -> BoardRecord | None:
        owner = self.connection.execute(select(cycles.c.tenant_id).where(cycles.c.id == cycle_id)).scalar()
        if owner != self.tenant_id:
            raise LookupError(f"no cycle {cycle_id}")
        query = select(*_BOARD_COLUMNS).where(boards.c.cycle_id == cycle_id, *conditions).order_by(boards.c.id.desc())
        row = self.connection.execute(query.limit(1)).first()
        return None if row is None else BoardRecord(*row[:6], synced_stamp=row.synced_stamp, marker=row.marker)

    def latest_board(self, cycle_id: int) -> BoardRecord | None:
        """Return the newest board generated for a cycle, if any."""
        return self._boards(cycle_id)

    def board(self, cycle_id: int, miro_board_id: str) -> BoardRecord | None:
        """Return the record of a given Miro board for a cycle."""
        return self._boards(cycle_id, boards.c.miro_board_id == miro_board_id)

    def problems(self, board_id: int) -> list[dict]:
        """Return what the board's last sync could not apply (card text, unplaced items...)."""
        query = (
            select(boards.c.sync_problems)
            .join(cycles, cycles.c.id == boards.c.cycle_id)
            .where(boards.c.id == board_id, cycles.c.tenant_id == self.tenant_id)
        )
        return list(self.connection.execute(query).scalar() or [])

    def entries(self, board_id: int, keys: Iterable[str] | None = None) -> dict[str, JournalEntry]:
        """Return every journaled item of a board by key (only those of `keys` when given)."""
        return entries_by_key(self.connection.execute(entries_query(board_id, keys)))


class StoreView:
    """Reads of one tenant's part of the store on one connection: `cycles` and `boards`, as in a unit of work."""

    def __init__(self, connection: Connection, tenant_id: str):
        self.cycles = CycleReads(connection, tenant_id)
        self.boards = BoardReads(connection, tenant_id)
