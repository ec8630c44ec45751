"""The store: an engine, its sessions, and a unit of work per use case."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from addon.adapters.board_journal import BoardJournal
from addon.adapters.database import make_engine, upgrade_if_behind
from addon.adapters.locks import Lease, board_lease, lock_cycle_row
from addon.adapters.repository import CycleRepository


@dataclass
class UnitOfWork:
    """What a use case works with inside one transaction (the services' UnitOfWork port)."""

    session: Session
    cycles: CycleRepository
    boards: BoardJournal

    def lock_cycle(self, cycle_id: int) -> None:
        """Hold the cycle's row until the transaction ends (see `locks.lock_cycle_row`)."""
        lock_cycle_row(self.session, cycle_id)


class Store:
    """Opens transactions on the database; everything done in one `unit()` commits or rolls back together."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Connect to a database URL, bringing its schema up to date first when it is behind."""
        engine = make_engine(url)
        if migrate:
            upgrade_if_behind(engine)
        return cls(engine)

    @contextmanager
    def unit(self, tenant_id: str) -> Iterator[UnitOfWork]:
        """Run a block in one transaction scoped to a tenant; an exception rolls everything back."""
        with self._sessions() as session, session.begin():
            yield UnitOfWork(
                session=session, cycles=CycleRepository(session, tenant_id), boards=BoardJournal(session, tenant_id)
            )

    def board_lease(
        self, miro_board_id: str, *, holder: str | None = None, clock: Callable[[], datetime] | None = None
    ) -> Lease:
        """The lease that lets one sync of a board run at a time, across processes."""
        options = {"holder": holder} | ({"clock": clock} if clock else {})
        return board_lease(self.engine, miro_board_id, **options)

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()
