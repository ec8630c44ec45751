"""The store: an engine, its sessions, and a unit of work per use case."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from addon.adapters.board_journal import BoardJournal
from addon.adapters.database import make_engine, upgrade
from addon.adapters.repository import CycleRepository


@dataclass
class UnitOfWork:
    """What a use case works with inside one transaction."""

    session: Session
    cycles: CycleRepository
    boards: BoardJournal


class Store:
    """Opens transactions on the database; everything done in one `unit()` commits or rolls back together."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Connect to a database URL, bringing its schema up to date first."""
        engine = make_engine(url)
        if migrate:
            upgrade(engine)
        return cls(engine)

    @contextmanager
    def unit(self, tenant_id: str) -> Iterator[UnitOfWork]:
        """Run a block in one transaction scoped to a tenant; an exception rolls everything back."""
        with self._sessions() as session, session.begin():
            yield UnitOfWork(
                session=session, cycles=CycleRepository(session, tenant_id), boards=BoardJournal(session, tenant_id)
            )

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()
