"""The store: an engine, its sessions, and a unit of work per use case.

Opening the store loads SQLAlchemy Core only; the ORM, the repository and the journal are imported by the first
unit of work, so a command that only lists cycles (`Store.list_cycles`, on Core tables) or a quiet sync (`reader`
and `board_lease`, on Core tables too) never pays for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from addon.adapters.database import make_engine, upgrade_if_behind
from addon.adapters.tables import CycleListing, list_cycles

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from addon.adapters.board_journal import BoardJournal
    from addon.adapters.locks import Lease
    from addon.adapters.repository import CycleRepository
    from addon.adapters.store_reads import StoreView


@dataclass
class UnitOfWork:
    """What a use case works with inside one transaction (the services' UnitOfWork port)."""

    session: Session
    cycles: CycleRepository
    boards: BoardJournal

    def lock_cycle(self, cycle_id: int) -> None:
        """Hold the cycle's row until the transaction ends (see `locks.lock_cycle_row`)."""
        from addon.adapters.locks import lock_cycle_row

        lock_cycle_row(self.session, cycle_id)


class Store:
    """Opens transactions on the database; everything done in one `unit()` commits or rolls back together."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Connect to a database URL, bringing its schema up to date first when it is behind."""
        engine = make_engine(url)
        if migrate:
            upgrade_if_behind(engine)
        return cls(engine)

    @cached_property
    def _sessions(self) -> sessionmaker:
        from sqlalchemy.orm import sessionmaker  # the ORM loads with the first unit of work

        return sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def unit(self, tenant_id: str) -> Iterator[UnitOfWork]:
        """Run a block in one transaction scoped to a tenant; an exception rolls everything back."""
        from addon.adapters.board_journal import BoardJournal
        from addon.adapters.repository import CycleRepository

        with self._sessions() as session, session.begin():
            yield UnitOfWork(
                session=session, cycles=CycleRepository(session, tenant_id), boards=BoardJournal(session, tenant_id)
            )

    @contextmanager
    def reader(self, tenant_id: str) -> Iterator[StoreView]:
        """Read a tenant's cycles and boards in one transaction through Core (no ORM); nothing is written."""
        from addon.adapters.store_reads import StoreView  # what `cycle list` does not need

        with self.engine.connect() as connection:
            yield StoreView(connection, tenant_id)

    def list_cycles(self, tenant_id: str) -> list[CycleListing]:
        """A tenant's cycles, newest first, with their objective counts: one Core query, no ORM."""
        return list_cycles(self.engine, tenant_id)

    def board_lease(
        self, miro_board_id: str, *, holder: str | None = None, clock: Callable[[], datetime] | None = None
    ) -> Lease:
        """The lease that lets one sync of a board run at a time, across processes."""
        from addon.adapters.locks import board_lease

        options = {"holder": holder} | ({"clock": clock} if clock else {})
        return board_lease(self.engine, miro_board_id, **options)

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()
