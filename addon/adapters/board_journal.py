"""The board journal: every planned item is written down before it is sent and given its Miro id after."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from addon.adapters.orm import (
    BoardItemRow,
    BoardRow,
    CheckinPictureRow,
    CycleRow,
    IdeaRow,
    KeyResultRow,
    ObjectiveRow,
    SyncConflictRow,
)
from addon.adapters.store_reads import entries_by_key, entries_query
from addon.domain.board.journal import JournalEntry
from addon.domain.board.roles import JournalState
from addon.services.ports import BoardRecord

PLANNED, SENT, CREATED = JournalState.PLANNED, JournalState.SENT, JournalState.CREATED
KEYS_PER_STATEMENT = 500  # keys in one IN (...): well below every database's limit on bound parameters


def _record(row: BoardRow | None) -> BoardRecord | None:
    if row is None:
        return None
    return BoardRecord(
        row.id,
        row.cycle_id,
        row.miro_board_id,
        row.view_link,
        row.language,
        row.last_synced_at,
        synced_stamp=row.synced_stamp,
        marker=row.marker,
    )


def _entry(row: BoardItemRow) -> JournalEntry:
    return JournalEntry(
        row.key, row.role, row.entity, row.state, row.miro_item_id, dict(row.synced or {}), row.modified_at
    )


class BoardJournal:
    """Boards of a tenant's cycles and the items the app placed on them."""

    def __init__(self, session: Session, tenant_id: str):
        self.session = session
        self.tenant_id = tenant_id

    def _owned(self, cycle_id: int) -> None:
        cycle = self.session.get(CycleRow, cycle_id)
        if cycle is None or cycle.tenant_id != self.tenant_id:
            raise LookupError(f"no cycle {cycle_id}")

    def latest_board(self, cycle_id: int) -> BoardRecord | None:
        """Return the newest board generated for a cycle, if any."""
        self._owned(cycle_id)
        return _record(
            self.session.scalars(
                select(BoardRow).where(BoardRow.cycle_id == cycle_id).order_by(BoardRow.id.desc())
            ).first()
        )

    def board(self, cycle_id: int, miro_board_id: str) -> BoardRecord | None:
        """Return the record of a given Miro board for a cycle."""
        self._owned(cycle_id)
        return _record(
            self.session.scalars(
                select(BoardRow).where(BoardRow.cycle_id == cycle_id, BoardRow.miro_board_id == miro_board_id)
            ).first()
        )

    def add_board(
        self, cycle_id: int, miro_board_id: str, view_link: str | None, language: str, marker: str | None = None
    ) -> BoardRecord:
        """Record a board the app generates for a cycle, with the ownership marker its description carries."""
        self._owned(cycle_id)
        row = BoardRow(
            cycle_id=cycle_id, miro_board_id=miro_board_id, view_link=view_link, language=language, marker=marker
        )
        self.session.add(row)
        self.session.flush()
        return _record(row)

    def boards_with_id(self, miro_board_id: str) -> list[BoardRecord]:
        """Return every record of a Miro board among the tenant's cycles, oldest first."""
        rows = self.session.scalars(
            select(BoardRow)
            .join(CycleRow, CycleRow.id == BoardRow.cycle_id)
            .where(BoardRow.miro_board_id == miro_board_id, CycleRow.tenant_id == self.tenant_id)
            .order_by(BoardRow.id)
        )
        return [_record(row) for row in rows]

    def set_marker(self, board_id: int, marker: str) -> None:
        """Record the ownership marker a board carries (boards made before markers were recorded)."""
        self.session.get(BoardRow, board_id).marker = marker

    def plan(self, board_id: int, items: Iterable[tuple[str, str, str | None]]) -> int:
        """Journal (key, role, entity) items not yet known for a board; return how many were added."""
        known = set(self.session.scalars(select(BoardItemRow.key).where(BoardItemRow.board_id == board_id)))
        rows = [
            {"board_id": board_id, "key": key, "role": role, "entity": entity, "state": PLANNED, "synced": {}}
            for key, role, entity in items
            if key not in known
        ]
        # One multi-row INSERT rather than an object per row: a generation journals hundreds at once.
        if rows:
            self.session.execute(insert(BoardItemRow), rows)
        return len(rows)

    def entries(self, board_id: int, keys: Iterable[str] | None = None) -> dict[str, JournalEntry]:
        """Return every journaled item of a board by key (only those of `keys` when given)."""
        # Plain rows, not ORM objects: a sync reads thousands of entries and changes a few (`_rows` loads those).
        return entries_by_key(self.session.execute(entries_query(board_id, keys)))

    def _rows(self, board_id: int, keys: Iterable[str]) -> dict[str, BoardItemRow]:
        keys = list(keys)
        rows = self.session.scalars(
            select(BoardItemRow).where(BoardItemRow.board_id == board_id, BoardItemRow.key.in_(keys))
        )
        return {row.key: row for row in rows}

    def mark_sent(self, board_id: int, keys: Iterable[str]) -> None:
        """Note that these items are about to be sent: from now on they may exist on the board."""
        keys = list(keys)
        for start in range(0, len(keys), KEYS_PER_STATEMENT):
            self.session.execute(
                update(BoardItemRow)
                .where(
                    BoardItemRow.board_id == board_id,
                    BoardItemRow.key.in_(keys[start : start + KEYS_PER_STATEMENT]),
                    BoardItemRow.state == PLANNED,
                )
                .values(state=SENT)
            )

    def record_created(self, board_id: int, created: dict[str, tuple[str, dict, str | None]]) -> None:
        """Record Miro ids, the synced base state and modifiedAt of created (or adopted) items by key."""
        if not created:
            return
        table = BoardItemRow.__table__
        statement = (
            update(table)
            .where(table.c.board_id == bindparam("row_board"), table.c.key == bindparam("row_key"))
            .values(miro_item_id=bindparam("row_miro_id"), state=CREATED, synced=bindparam("row_synced"))
            .values(modified_at=bindparam("row_modified_at"))
        )
        rows = [
            {"row_board": board_id, "row_key": key, "row_miro_id": miro_id, "row_synced": synced, "row_modified_at": at}
            for key, (miro_id, synced, at) in created.items()
        ]
        # One statement run for every row (executemany), not an object loaded and flushed per item.
        changed = self.session.connection().execute(statement, rows).rowcount
        if changed != len(rows):
            raise LookupError(f"{len(rows) - changed} of the created items are not in the journal of board {board_id}")
        self.session.expire_all()  # rows loaded earlier in this unit must not show their old state

    def update_synced(self, board_id: int, key: str, synced: dict, modified_at: str | None) -> None:
        """Replace the last synced state of one item."""
        row = self._rows(board_id, [key])[key]
        row.synced, row.modified_at = synced, modified_at
        self.session.flush()

    def set_state(self, board_id: int, key: str, state: str) -> None:
        """Change one item's state (e.g. to missing after a confirmed deletion)."""
        self._rows(board_id, [key])[key].state = state
        self.session.flush()

    def add_item(
        self,
        board_id: int,
        key: str,
        role: str,
        entity: str | None,
        miro_item_id: str,
        synced: dict,
        modified_at: str | None,
    ) -> None:
        """Journal an item the team added on the board and sync captured (it exists already: state created)."""
        self.session.add(
            BoardItemRow(
                board_id=board_id,
                key=key,
                role=role,
                entity=entity,
                state=CREATED,
                miro_item_id=miro_item_id,
                synced=synced,
                modified_at=modified_at,
            )
        )
        self.session.flush()

    def retag(self, board_id: int, key: str, role: str, entity: str | None) -> None:
        """Change what an item stands for (a filled placeholder, an idea moved to another key result)."""
        row = self._rows(board_id, [key])[key]
        row.role, row.entity = role, entity
        self.session.flush()

    def record_conflicts(self, board_id: int, conflicts: Iterable[dict]) -> None:
        """Keep sync conflicts (key, ref, field, base, board_value, store_value, resolution, rule)."""
        for conflict in conflicts:
            self.session.add(SyncConflictRow(board_id=board_id, **conflict))
        self.session.flush()

    def conflicts(self, cycle_id: int, limit: int = 200) -> list[dict]:
        """Return the sync conflicts recorded on a cycle's boards, newest first."""
        self._owned(cycle_id)
        rows = self.session.execute(
            select(SyncConflictRow, BoardRow.miro_board_id)
            .join(BoardRow, SyncConflictRow.board_id == BoardRow.id)
            .where(BoardRow.cycle_id == cycle_id)
            .order_by(SyncConflictRow.id.desc())
            .limit(limit)
        )
        return [
            {
                "board": board,
                "key": c.key,
                "ref": c.ref,
                "field": c.field,
                "base": c.base,
                "board_value": c.board_value,
                "store_value": c.store_value,
                "resolution": c.resolution,
                "rule": c.rule,
                "at": c.created_at.isoformat() if c.created_at else None,
            }
            for c, board in rows
        ]

    def edit_times(self, cycle_id: int) -> dict[tuple[str, int], dict[str, str]]:
        """Return when each field of a cycle's objectives, key results and ideas last changed in the store."""
        self._owned(cycle_id)
        times: dict[tuple[str, int], dict[str, str]] = {}
        objectives = select(ObjectiveRow.id, ObjectiveRow.edited_at).where(ObjectiveRow.cycle_id == cycle_id)
        krs = (
            select(KeyResultRow.id, KeyResultRow.edited_at).join(ObjectiveRow).where(ObjectiveRow.cycle_id == cycle_id)
        )
        ideas = (
            select(IdeaRow.id, IdeaRow.edited_at)
            .join(KeyResultRow)
            .join(ObjectiveRow)
            .where(ObjectiveRow.cycle_id == cycle_id)
        )
        for kind, query in (("objective", objectives), ("kr", krs), ("idea", ideas)):
            for row_id, edited in self.session.execute(query):
                if edited:
                    times[(kind, row_id)] = dict(edited)
        return times

    def mark_synced(self, board_id: int, when, stamp: str | None = None) -> None:
        """Note when a board was last synced, and the store state it left in step with the board (if known)."""
        row = self.session.get(BoardRow, board_id)
        row.last_synced_at, row.synced_stamp = when, stamp
        self.session.flush()

    def record_problems(self, board_id: int, problems: list[dict]) -> None:
        """Keep what the board's last sync could not apply (replacing what the one before kept)."""
        self.session.get(BoardRow, board_id).sync_problems = list(problems)
        self.session.flush()

    def problems(self, board_id: int) -> list[dict]:
        """Return what the board's last sync could not apply (card text, unplaced items...)."""
        row = self.session.get(BoardRow, board_id)
        self._owned(row.cycle_id)
        return list(row.sync_problems or [])

    def save_picture(self, board_id: int, checkin: int, png: bytes) -> None:
        """Keep the picture of a board at a check-in (a second one for the same check-in replaces it)."""
        row = self.session.execute(
            select(CheckinPictureRow).where(
                CheckinPictureRow.board_id == board_id, CheckinPictureRow.checkin == checkin
            )
        ).scalar_one_or_none()
        if row is None:
            self.session.add(CheckinPictureRow(board_id=board_id, checkin=checkin, png=png))
        else:
            row.png = png
        self.session.flush()

    def pictures(self, cycle_id: int) -> dict[int, bytes]:
        """Return the pictures of a cycle's boards per check-in (the newest board's when there are several)."""
        self._owned(cycle_id)
        rows = self.session.execute(
            select(CheckinPictureRow.checkin, CheckinPictureRow.png)
            .join(BoardRow, CheckinPictureRow.board_id == BoardRow.id)
            .where(BoardRow.cycle_id == cycle_id)
            .order_by(BoardRow.id, CheckinPictureRow.checkin)
        )
        return {checkin: png for checkin, png in rows}
