"""The store port in memory, for service tests where a database adds nothing.

Each unit of work works on a copy of the data and commits it at the end (or drops it on an exception), so a
refused use case leaves the store as it was, as a database transaction would. Edit times are not stamped: use
the SQLite/PostgreSQL store where a test is about sync's newer-edit rule.
"""

from __future__ import annotations

import copy
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import count

from addon.domain.board.roles import JournalState
from addon.domain.method.closing import ensure_open
from addon.domain.method.model import Cycle, CycleStatus
from addon.domain.sync.context import JournalEntry
from addon.services.ports import BoardRecord, CycleNotFound, CycleSummary, LeaseLost, SyncBusy, ambiguous


@dataclass
class _Data:
    cycles: dict[int, tuple[str, Cycle]] = field(default_factory=dict)  # id -> (tenant, cycle)
    boards: dict[int, BoardRecord] = field(default_factory=dict)
    entries: dict[int, dict[str, JournalEntry]] = field(default_factory=dict)
    conflicts: list[tuple[int, dict]] = field(default_factory=list)
    pictures: dict[tuple[int, int], bytes] = field(default_factory=dict)  # (board id, check-in) -> PNG
    revisions: dict[int, int] = field(default_factory=dict)  # cycle id -> number of saves
    problems: dict[int, list[dict]] = field(default_factory=dict)  # board id -> its last sync's problems


class MemoryStore:
    """The services' Store port, in memory."""

    def __init__(self):
        self.data = _Data()
        self.ids = count(1)
        self.leases: set[str] = set()
        self._lock = threading.RLock()

    @contextmanager
    def unit(self, tenant_id: str):
        with self._lock:
            working = copy.deepcopy(self.data)
            yield MemoryUnit(working, tenant_id, self.ids)
            self.data = working

    @contextmanager
    def reader(self, tenant_id: str):
        with self._lock:
            yield MemoryUnit(copy.deepcopy(self.data), tenant_id, self.ids)  # its changes are dropped

    @contextmanager
    def board_lease(self, miro_board_id: str, *, holder=None, clock=None):
        name = f"sync:{miro_board_id}"
        with self._lock:
            if name in self.leases:
                raise SyncBusy(f"{name} is busy: another sync is running; try again in a moment.")
            self.leases.add(name)
        try:
            yield _HeldLease(self.leases, name)
        finally:
            self.leases.discard(name)


@dataclass
class _HeldLease:
    """A lease of the memory store: held until its name leaves the set."""

    leases: set[str]
    name: str

    def heartbeat(self) -> None:
        if self.name not in self.leases:
            raise LeaseLost(f"{self.name}: this sync's lease was taken over.")


class MemoryUnit:
    """One unit of work on a working copy."""

    def __init__(self, data: _Data, tenant: str, ids):
        self.cycles = MemoryCycles(data, tenant, ids)
        self.boards = MemoryJournal(data, tenant, ids)

    def lock_cycle(self, cycle_id: int) -> None:
        """Units run one at a time already."""


class MemoryCycles:
    """The CycleRepository port."""

    def __init__(self, data: _Data, tenant: str, ids):
        self.data, self.tenant, self.ids = data, tenant, ids

    def _number(self, cycle: Cycle) -> None:
        cycle.id = cycle.id or next(self.ids)
        for objective in cycle.objectives:
            objective.id = objective.id or next(self.ids)
            for kr in objective.key_results:
                kr.id = kr.id or next(self.ids)
                for idea in kr.ideas:
                    idea.id = idea.id or next(self.ids)

    def add(self, cycle: Cycle) -> Cycle:
        self._number(cycle)
        self.data.cycles[cycle.id] = (self.tenant, copy.deepcopy(cycle))
        return cycle

    def save(self, cycle: Cycle) -> Cycle:
        ensure_open(self.get(cycle.id))  # as the SQL store: a closed cycle refuses every change
        self.data.revisions[cycle.id] = self.data.revisions.get(cycle.id, 0) + 1
        return self.add(cycle)

    def summary(self, id_or_name: str) -> CycleSummary:
        cycle = self.find(id_or_name)
        closed = cycle.status is CycleStatus.CLOSED
        return CycleSummary(cycle.id, cycle.name, cycle.parent_id, self.data.revisions.get(cycle.id, 0), closed)

    def children(self, parent_id: int) -> list[CycleSummary]:
        linked = sorted(c.id for t, c in self.data.cycles.values() if t == self.tenant and c.parent_id == parent_id)
        return [self.summary(str(cycle_id)) for cycle_id in linked]

    def get(self, cycle_id: int) -> Cycle:
        tenant, cycle = self.data.cycles.get(cycle_id, (None, None))
        if tenant != self.tenant:
            raise CycleNotFound(f"no cycle {cycle_id}")
        return copy.deepcopy(cycle)

    def find(self, id_or_name: str) -> Cycle:
        if str(id_or_name).isdigit():
            return self.get(int(id_or_name))
        named = [c for t, c in self.data.cycles.values() if t == self.tenant and c.name == id_or_name]
        if not named:
            raise CycleNotFound(f"no cycle named '{id_or_name}'")
        if len(named) > 1:
            raise ambiguous(id_or_name, sorted(named, key=lambda c: c.id))
        return copy.deepcopy(named[0])

    def delete(self, cycle_id: int) -> None:
        if self.data.cycles.get(cycle_id, (None,))[0] != self.tenant:
            raise CycleNotFound(f"no cycle {cycle_id}")
        del self.data.cycles[cycle_id]
        for board in [b for b in self.data.boards.values() if b.cycle_id == cycle_id]:
            del self.data.boards[board.id]
            self.data.entries.pop(board.id, None)

    def list(self) -> list[Cycle]:
        mine = [c for t, c in self.data.cycles.values() if t == self.tenant]
        return [copy.deepcopy(c) for c in sorted(mine, key=lambda c: -c.id)]


class MemoryJournal:
    """The BoardJournal port."""

    def __init__(self, data: _Data, tenant: str, ids):
        self.data, self.tenant, self.ids = data, tenant, ids

    def _owned(self, cycle_id: int) -> None:
        if self.data.cycles.get(cycle_id, (None,))[0] != self.tenant:
            raise LookupError(f"no cycle {cycle_id}")

    def latest_board(self, cycle_id: int) -> BoardRecord | None:
        self._owned(cycle_id)
        return max((b for b in self.data.boards.values() if b.cycle_id == cycle_id), key=lambda b: b.id, default=None)

    def board(self, cycle_id: int, miro_board_id: str) -> BoardRecord | None:
        self._owned(cycle_id)
        return next(
            (b for b in self.data.boards.values() if (b.cycle_id, b.miro_board_id) == (cycle_id, miro_board_id)), None
        )

    def add_board(self, cycle_id: int, miro_board_id: str, view_link, language: str, marker=None) -> BoardRecord:
        self._owned(cycle_id)
        record = BoardRecord(next(self.ids), cycle_id, miro_board_id, view_link, language, marker=marker)
        self.data.boards[record.id] = record
        self.data.entries[record.id] = {}
        return record

    def boards_with_id(self, miro_board_id: str) -> list[BoardRecord]:
        return sorted(
            (
                b
                for b in self.data.boards.values()
                if b.miro_board_id == miro_board_id and self.data.cycles.get(b.cycle_id, (None,))[0] == self.tenant
            ),
            key=lambda b: b.id,
        )

    def set_marker(self, board_id: int, marker: str) -> None:
        self.data.boards[board_id] = replace(self.data.boards[board_id], marker=marker)

    def plan(self, board_id: int, items) -> int:
        entries = self.data.entries[board_id]
        added = 0
        for key, role, entity in items:
            if key not in entries:
                entries[key] = JournalEntry(key, role, entity, JournalState.PLANNED, None, {}, None)
                added += 1
        return added

    def entries(self, board_id: int, keys=None) -> dict[str, JournalEntry]:
        found = self.data.entries[board_id]
        return dict(found) if keys is None else {key: found[key] for key in keys if key in found}

    def _change(self, board_id: int, key: str, **fields) -> None:
        entries = self.data.entries[board_id]
        entries[key] = replace(entries[key], **fields)

    def mark_sent(self, board_id: int, keys) -> None:
        for key in keys:
            if self.data.entries[board_id][key].state == JournalState.PLANNED:
                self._change(board_id, key, state=JournalState.SENT)

    def record_created(self, board_id: int, created) -> None:
        for key, (miro_id, synced, modified_at) in created.items():
            self._change(
                board_id, key, miro_item_id=miro_id, state=JournalState.CREATED, synced=synced, modified_at=modified_at
            )

    def update_synced(self, board_id: int, key: str, synced: dict, modified_at: str | None) -> None:
        self._change(board_id, key, synced=synced, modified_at=modified_at)

    def set_state(self, board_id: int, key: str, state: str) -> None:
        self._change(board_id, key, state=state)

    def add_item(self, board_id, key, role, entity, miro_item_id, synced, modified_at) -> None:
        self.data.entries[board_id][key] = JournalEntry(
            key, role, entity, JournalState.CREATED, miro_item_id, synced, modified_at
        )

    def retag(self, board_id: int, key: str, role: str, entity: str | None) -> None:
        self._change(board_id, key, role=role, entity=entity)

    def record_conflicts(self, board_id: int, conflicts) -> None:
        self.data.conflicts += [(board_id, dict(conflict)) for conflict in conflicts]

    def conflicts(self, cycle_id: int, limit: int = 200) -> list[dict]:
        self._owned(cycle_id)
        boards = {b.id: b for b in self.data.boards.values() if b.cycle_id == cycle_id}
        found = [{"board": boards[b].miro_board_id, **c} for b, c in self.data.conflicts if b in boards]
        return found[::-1][:limit]

    def edit_times(self, cycle_id: int) -> dict:
        self._owned(cycle_id)
        return {}

    def mark_synced(self, board_id: int, when: datetime, stamp: str | None = None) -> None:
        self.data.boards[board_id] = replace(self.data.boards[board_id], last_synced_at=when, synced_stamp=stamp)

    def record_problems(self, board_id: int, problems: list[dict]) -> None:
        self.data.problems[board_id] = copy.deepcopy(list(problems))

    def problems(self, board_id: int) -> list[dict]:
        self._owned(self.data.boards[board_id].cycle_id)
        return copy.deepcopy(self.data.problems.get(board_id, []))

    def save_picture(self, board_id: int, checkin: int, png: bytes) -> None:
        self.data.pictures[(board_id, checkin)] = png

    def pictures(self, cycle_id: int) -> dict[int, bytes]:
        self._owned(cycle_id)
        boards = sorted(b.id for b in self.data.boards.values() if b.cycle_id == cycle_id)
        return {n: png for b in boards for (board, n), png in sorted(self.data.pictures.items()) if board == b}
