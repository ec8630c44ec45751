"""A cycle's life in the store: a second import of the same cycle, renaming, deleting."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass

from addon.domain.errors import OkrError
from addon.domain.method.model import Cycle
from addon.services.locked import changing_cycle
from addon.services.ports import Store, UnitOfWork


class CycleRefused(OkrError):
    """A change to a cycle that would leave the store wrong or ambiguous."""


def same_cycle(uow: UnitOfWork, cycle: Cycle, *, but: int | None = None) -> Cycle | None:
    """Return a stored cycle with the same name, level and team (other than cycle `but`), if any."""
    for other in uow.cycles.list():
        if other.id != but and (other.name, other.level, other.team) == (cycle.name, cycle.level, cycle.team):
            return other
    return None


def refuse_duplicate(uow: UnitOfWork, cycle: Cycle) -> None:
    """Refuse importing a cycle that is already in the store."""
    other = same_cycle(uow, cycle)
    if other is not None:
        team = f" of team {cycle.team}" if cycle.team else ""
        raise CycleRefused(
            f"The {cycle.level} cycle '{cycle.name}'{team} is already in the store (id {other.id}); nothing was "
            "imported. Import it again as a separate cycle with --as-new (name look-ups then need the id)."
        )


def rename_cycle(store: Store, tenant: str, cycle_ref: str, name: str) -> tuple[Cycle, str]:
    """Rename a cycle; return it and its old name. Refused when another cycle of that level and team has it."""
    name = name.strip()
    if not name or len(name) > 200:
        raise CycleRefused("The new name must have 1 to 200 characters.")
    with changing_cycle(store, tenant, cycle_ref) as (uow, cycle):
        old, cycle.name = cycle.name, name
        other = same_cycle(uow, cycle, but=cycle.id)
        if other is not None:
            raise CycleRefused(f"Cycle {other.id} of that level and team is already named '{name}'; nothing changed.")
        uow.cycles.save(cycle)
        return cycle, old


@dataclass
class DeletePlan:
    """What deleting a cycle removes from the store, and the Miro boards it leaves alone."""

    cycle: Cycle
    boards: list[str]
    checkins: int


def deletion(store: Store, tenant: str, cycle_ref: str) -> DeletePlan:
    """Say what deleting a cycle would remove; refused when team cycles name it as their company cycle."""
    with store.unit(tenant) as uow:
        cycle = uow.cycles.find(cycle_ref)
        teams = [c for c in uow.cycles.list() if c.parent_id == cycle.id]
        latest = uow.boards.latest_board(cycle.id)  # the one board sync works on
        boards = [latest.miro_board_id] if latest else []
    if teams:
        ids = ", ".join(str(c.id) for c in teams)
        raise CycleRefused(f"{cycle.name} is the company cycle of team cycles {ids}: delete those first.")
    return DeletePlan(cycle, boards, len(cycle.checkins))


def delete_cycle(store: Store, tenant: str, plan: DeletePlan) -> None:
    """Delete a cycle from the store while holding its boards' sync leases (refused while one is syncing)."""
    with ExitStack() as held:
        for board in plan.boards:
            held.enter_context(store.board_lease(board))  # raises SyncBusy while a sync runs
        with store.unit(tenant) as uow:
            uow.lock_cycle(plan.cycle.id)
            uow.cycles.delete(plan.cycle.id)
