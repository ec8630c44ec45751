"""Named leases in the store: one sync per board at a time, across threads, processes and hosts.

A lease is a row of `locks` (name, holder, expiry). It is taken with an INSERT (the primary key makes two takers
impossible) or, when the row exists but its lease ran out, with a conditional UPDATE that only one taker can win.
Both are single statements in their own short transaction, so they behave the same on SQLite and PostgreSQL and
never hold a database lock while the sync talks to Miro. They are Core statements on Core tables
(`tables.locks`), so a quiet sync takes and gives back its lease without loading the ORM.

The holder renews its lease while it works (`heartbeat`, between pages and before every write: an UPDATE only
once a third of the lease has passed), so a sync longer than the lease keeps it, and a crashed one blocks its
board for one lease at most. A renewal that finds the row gone or taken means another holder took over an
expired lease: `LeaseLost`, and the holder stops before writing anything more.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from addon.adapters.tables import cycles, locks, utcnow
from addon.services.ports import LeaseLost, SyncBusy

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # only the unit of work's lock needs a session

__all__ = ["Lease", "LeaseLost", "SyncBusy", "board_lease", "lock_cycle_row", "new_holder"]
# A crashed sync blocks its board this long at most. Renewed every third of it, so a single Miro call may wait
# out rate limits (up to a minute per attempt, miro_client.retry) without the lease running out.
DEFAULT_TTL_SECONDS = 180.0


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
        self.renewed_at: datetime | None = None
        self.renewals = 0

    def acquire(self) -> Lease:
        """Take the lease, or raise SyncBusy naming the holder."""
        now = self.clock()
        expires = now + timedelta(seconds=self.ttl)
        table = locks
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(table).values(name=self.name, holder=self.holder, expires_at=expires))
            self.held, self.renewed_at = True, now
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
        self.held, self.renewed_at = True, now
        return self

    def heartbeat(self) -> None:
        """Renew the lease once a third of it has passed since the last renewal; raise LeaseLost if it was lost."""
        if not self.held:
            raise LeaseLost(f"{self.name}: this holder has no lease; nothing more is written.")
        now = self.clock()
        if self.renewed_at is not None and now < self.renewed_at + timedelta(seconds=self.ttl / 3):
            return  # still held for at least two thirds of the lease: nobody can have taken it
        self.renew(now)

    def renew(self, now: datetime | None = None) -> None:
        """Extend the lease by its length from now; raise LeaseLost when another holder has taken it over."""
        now = now or self.clock()
        table = locks
        with self.engine.begin() as connection:
            renewed = connection.execute(
                update(table)
                .where(table.c.name == self.name, table.c.holder == self.holder)
                .values(expires_at=now + timedelta(seconds=self.ttl))
            ).rowcount
            holder = (
                None
                if renewed == 1
                else connection.execute(select(table.c.holder).where(table.c.name == self.name)).scalar()
            )
        if renewed != 1:
            self.held = False
            raise LeaseLost(
                f"{self.name}: this sync's lease ran out ({self.ttl:g} s without renewal) and "
                f"{holder or 'another sync'} took it over; this sync stopped before writing anything more. "
                "The next sync starts over."
            )
        self.renewed_at, self.renewals = now, self.renewals + 1

    def release(self) -> None:
        """Give the lease back (only if this holder still has it)."""
        if not self.held:
            return
        table = locks
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
    c = cycles.c
    session.execute(update(cycles).where(c.id == cycle_id).values(id=c.id, updated_at=c.updated_at))
