"""Named leases in the store: one sync per board at a time, across threads, processes and hosts.

A lease is a row of `locks` (name, holder, expiry). It is taken with an INSERT (the primary key makes two takers
impossible) or, when the row exists but its lease ran out, with a conditional UPDATE that only one taker can win.
Both are single statements in their own short transaction, so they behave the same on SQLite and PostgreSQL and
never hold a database lock while the sync talks to Miro.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from addon.adapters.orm import CycleRow, LockRow, utcnow
from addon.services.ports import SyncBusy

__all__ = ["Lease", "SyncBusy", "board_lease", "lock_cycle_row", "new_holder"]
DEFAULT_TTL_SECONDS = 300.0  # a crashed sync blocks its board this long at most


def new_holder() -> str:
    """Return a name for this lease holder that says who it is (host, process) and is unique."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class Lease:
    """A named lease taken on `acquire` (or `with`) and given back on `release`; raises SyncBusy when taken."""

    def __init__(
        self,
        engine: Engine,
        name: str,
        *,
        holder: str | None = None,
        ttl: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.engine, self.name, self.ttl, self.clock = engine, name, ttl, clock
        self.holder = holder or new_holder()
        self.held = False

    def acquire(self) -> Lease:
        """Take the lease, or raise SyncBusy naming the holder."""
        now = self.clock()
        expires = now + timedelta(seconds=self.ttl)
        table = LockRow.__table__
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(table).values(name=self.name, holder=self.holder, expires_at=expires))
            self.held = True
            return self
        except IntegrityError:
            pass  # the row exists: take it over only if its lease ran out
        with self.engine.begin() as connection:
            taken = connection.execute(
                update(table)
                .where(table.c.name == self.name, table.c.expires_at < now)
                .values(holder=self.holder, expires_at=expires)
            ).rowcount
            if taken != 1:
                holder = connection.execute(select(table.c.holder).where(table.c.name == self.name)).scalar()
                raise SyncBusy(
                    f"{self.name} is busy: another sync ({holder or 'just finished'}) is running; "
                    "try again in a moment."
                )
        self.held = True
        return self

    def release(self) -> None:
        """Give the lease back (only if this holder still has it)."""
        if not self.held:
            return
        table = LockRow.__table__
        with self.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.name == self.name, table.c.holder == self.holder))
        self.held = False

    def __enter__(self) -> Lease:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def board_lease(engine: Engine, miro_board_id: str, **options) -> Lease:
    """Return the lease that serialises syncs of one Miro board."""
    return Lease(engine, f"sync:{miro_board_id}", **options)


def lock_cycle_row(session: Session, cycle_id: int) -> None:
    """Lock a cycle until the transaction ends, so that a read-then-write of it never loses a concurrent edit.

    Call it first in the transaction. A no-op UPDATE is a row lock on PostgreSQL and takes SQLite's write lock at
    once (like BEGIN IMMEDIATE), so the reads that follow are not overtaken by another writer.
    """
    session.execute(
        update(CycleRow).where(CycleRow.id == cycle_id).values(id=CycleRow.id, updated_at=CycleRow.updated_at)
    )
