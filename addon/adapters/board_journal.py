"""The board journal: every planned item is written down before it is sent and given its Miro id after."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from addon.adapters.orm import BoardItemRow, BoardRow, CycleRow

PLANNED, SENT, CREATED, MISSING = "planned", "sent", "created", "missing"


@dataclass(frozen=True)
class JournalEntry:
    """What the journal knows of one planned item."""

    key: str
    role: str
    entity: str | None
    state: str
    miro_item_id: str | None
    synced: dict
    modified_at: str | None


def _entry(row: BoardItemRow) -> JournalEntry:
    return JournalEntry(row.key, row.role, row.entity, row.state, row.miro_item_id, dict(row.synced or {}),
                        row.modified_at)


class BoardJournal:
    """Boards of a tenant's cycles and the items the app placed on them."""

    def __init__(self, session: Session, tenant_id: str):
        self.session = session
        self.tenant_id = tenant_id

    def _owned(self, cycle_id: int) -> None:
        cycle = self.session.get(CycleRow, cycle_id)
        if cycle is None or cycle.tenant_id != self.tenant_id:
            raise LookupError(f"no cycle {cycle_id}")

    def latest_board(self, cycle_id: int) -> BoardRow | None:
        """Return the newest board generated for a cycle, if any."""
        self._owned(cycle_id)
        return self.session.scalars(select(BoardRow).where(BoardRow.cycle_id == cycle_id)
                                    .order_by(BoardRow.id.desc())).first()

    def board(self, cycle_id: int, miro_board_id: str) -> BoardRow | None:
        """Return the record of a given Miro board for a cycle."""
        self._owned(cycle_id)
        return self.session.scalars(select(BoardRow).where(
            BoardRow.cycle_id == cycle_id, BoardRow.miro_board_id == miro_board_id)).first()

    def add_board(self, cycle_id: int, miro_board_id: str, view_link: str | None, language: str) -> BoardRow:
        """Record a board the app generates for a cycle."""
        self._owned(cycle_id)
        row = BoardRow(cycle_id=cycle_id, miro_board_id=miro_board_id, view_link=view_link, language=language)
        self.session.add(row)
        self.session.flush()
        return row

    def plan(self, board_id: int, items: Iterable[tuple[str, str, str | None]]) -> int:
        """Journal (key, role, entity) items not yet known for a board; return how many were added."""
        known = set(self.session.scalars(select(BoardItemRow.key).where(BoardItemRow.board_id == board_id)))
        added = 0
        for key, role, entity in items:
            if key not in known:
                self.session.add(BoardItemRow(board_id=board_id, key=key, role=role, entity=entity, state=PLANNED))
                added += 1
        self.session.flush()
        return added

    def entries(self, board_id: int) -> dict[str, JournalEntry]:
        """Return every journaled item of a board by key."""
        rows = self.session.scalars(select(BoardItemRow).where(BoardItemRow.board_id == board_id))
        return {row.key: _entry(row) for row in rows}

    def _rows(self, board_id: int, keys: Iterable[str]) -> dict[str, BoardItemRow]:
        keys = list(keys)
        rows = self.session.scalars(select(BoardItemRow).where(
            BoardItemRow.board_id == board_id, BoardItemRow.key.in_(keys)))
        return {row.key: row for row in rows}

    def mark_sent(self, board_id: int, keys: Iterable[str]) -> None:
        """Note that these items are about to be sent: from now on they may exist on the board."""
        for row in self._rows(board_id, keys).values():
            if row.state == PLANNED:
                row.state = SENT
        self.session.flush()

    def record_created(self, board_id: int, created: dict[str, tuple[str, dict, str | None]]) -> None:
        """Record Miro ids, the synced base state and modifiedAt of created (or adopted) items by key."""
        rows = self._rows(board_id, created)
        for key, (miro_id, synced, modified_at) in created.items():
            row = rows[key]
            row.miro_item_id, row.state, row.synced, row.modified_at = miro_id, CREATED, synced, modified_at
        self.session.flush()

    def update_synced(self, board_id: int, key: str, synced: dict, modified_at: str | None) -> None:
        """Replace the last synced state of one item."""
        row = self._rows(board_id, [key])[key]
        row.synced, row.modified_at = synced, modified_at
        self.session.flush()

    def set_state(self, board_id: int, key: str, state: str) -> None:
        """Change one item's state (e.g. to missing after a confirmed deletion)."""
        self._rows(board_id, [key])[key].state = state
        self.session.flush()
