"""`okrboard cycle update`: apply an edited plan file to a draft cycle, after the same checks as `cycle import`.

Only drafts: once a cycle is tracking, each change goes through `kr add / replace / remove` and `objective add /
update`, which apply rule M9 and log the reason. Objectives keep their places once the cycle has a board (and while
team objectives align to them), because the board's items and the team's alignments are keyed by O1..O5.
"""

from __future__ import annotations

from pathlib import Path

from addon.adapters.plan_file import load_plan
from addon.domain.method.closing import ensure_open
from addon.domain.method.model import Cycle, CycleStatus
from addon.domain.method.plan_update import PlanChange, PlanUpdate, plan_update
from addon.domain.method.rules import MAX_KEY_RESULTS, Finding, check_cycle
from addon.services.cycle_life import CycleRefused, same_cycle
from addon.services.cycles import stored_parent
from addon.services.ports import Store, UnitOfWork


def _refuse_if_tracked(cycle: Cycle) -> None:
    ensure_open(cycle)
    if cycle.status is not CycleStatus.DRAFT:
        raise CycleRefused(
            f"{cycle.name} is tracking: its plan is no longer updated from a file, so that every change is checked "
            "against rule M9 and logged with its reason. Use `okrboard kr add / replace / remove` and "
            "`okrboard objective add / update`; nothing was changed."
        )


def _refuse_moves(uow: UnitOfWork, cycle: Cycle, update: PlanUpdate) -> None:
    """Refuse what a board or a team cycle would read wrong: objectives removed or reordered (they know them by
    ref), or a key result beyond the places the board reserves."""
    has_board = uow.boards.latest_board(cycle.id) is not None
    crowded = [
        f"O{position}"
        for position, objective in enumerate(update.cycle.objectives, start=1)
        if has_board and max((n for n, _ in objective.numbered()), default=0) > MAX_KEY_RESULTS
    ]
    if crowded:
        raise CycleRefused(
            f"{', '.join(crowded)} would need more than the {MAX_KEY_RESULTS} key-result places its board reserves "
            "(removed key results keep theirs): edit a key result in place instead of adding one; nothing was changed."
        )
    if not update.moved:
        return
    moves = ", ".join(
        f"{old} would be removed" if new is None else f"{old} would become {new}" for old, new in update.moved.items()
    )
    if has_board:
        raise CycleRefused(
            f"{moves}, but the cycle has a board whose items are keyed by O1..O5: keep the objectives in their "
            "order (retitle one instead of removing it); nothing was changed."
        )
    teams = [
        f"team cycle {team.id} ({', '.join(sorted(refs))})"
        for team in uow.cycles.list()
        if team.parent_id == cycle.id
        and (refs := {o.aligned_to for o in team.objectives if o.aligned_to in update.moved})
    ]
    if teams:
        raise CycleRefused(f"{moves}, but {' and '.join(teams)} align to them; nothing was changed.")


def update_from_plan_file(
    path: str | Path, store: Store, tenant_id: str, cycle_ref: str, *, dry_run: bool = False
) -> tuple[PlanUpdate, list[Finding]]:
    """Apply a plan file to a draft cycle (unless dry_run); return what changes and the findings of the result."""
    path = Path(path)
    plan = load_plan(path)  # raises PlanError naming every bad field, as `cycle import` does
    with store.unit(tenant_id) as uow:
        stored = uow.cycles.find(cycle_ref)
        if not dry_run:
            uow.lock_cycle(stored.id)
            stored = uow.cycles.get(stored.id)  # as it is now that no sync can save it meanwhile
        _refuse_if_tracked(stored)
        parent = stored_parent(plan, path, uow)
        update = plan_update(stored, plan.cycle)
        update.cycle.parent_id = parent.id if parent else None
        if update.cycle.parent_id != stored.parent_id:
            update.changes.append(_parent_change(stored, parent))
        other = same_cycle(uow, update.cycle, but=stored.id)
        if other is not None:
            raise CycleRefused(f"Cycle {other.id} of that level and team is already named '{update.cycle.name}'.")
        _refuse_moves(uow, stored, update)
        if update.changes and not dry_run:
            uow.cycles.save(update.cycle)
        return update, check_cycle(update.cycle, parent=parent)


def _parent_change(stored: Cycle, parent: Cycle | None) -> PlanChange:
    now = f"cycle {parent.id} '{parent.name}'" if parent else "(none)"
    return PlanChange("changed", "cycle", f"parent: {stored.parent_id or '(none)'} -> {now}")
