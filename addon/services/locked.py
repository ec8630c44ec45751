"""A unit of work for changing one cycle: its row locked first, the cycle read after.

Reading a cycle and then locking it leaves a gap in which a sync, a check-in or a `kr update` can commit; saving
the copy read before the lock would then quietly undo that change. So the cycle's id is looked up in a read of
its own, the lock is the first statement of the writing transaction, and the cycle is read under it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from addon.domain.method.model import Cycle
from addon.services.ports import Store, UnitOfWork


@contextmanager
def changing_cycle(store: Store, tenant: str, cycle_ref: str) -> Iterator[tuple[UnitOfWork, Cycle]]:
    """Yield a unit of work holding the cycle's lock and the cycle as it is under that lock."""
    with store.reader(tenant) as reads:
        cycle_id = reads.cycles.summary(cycle_ref).id  # raises CycleNotFound / CycleAmbiguous as `find` does
    with store.unit(tenant) as uow:
        uow.lock_cycle(cycle_id)
        yield uow, uow.cycles.get(cycle_id)
