"""`okrboard cycle update`: apply an edited plan file to a cycle, after the same checks as `cycle import`.

A draft takes the plan as it is. A tracking cycle takes it as the changes `kr add / replace / remove` and
`objective add / update` would make (rule M9, domain/method/tracked_update.py): with a reason, past mid-cycle only
when forced, every change logged, and all of them or none. Objectives keep their places once the cycle has a board
(and while team objectives align to them), because the board's items and the team's alignments are keyed by O1..O5.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from addon.adapters.plan_file import load_plan
from addon.domain.method.closing import ensure_open
from addon.domain.method.model import Cycle, CycleStatus
from addon.domain.method.plan_update import PlanChange, PlanUpdate, plan_update
from addon.domain.method.rules import MAX_KEY_RESULTS, Finding, check_cycle
from addon.domain.method.tracked_update import apply_tracked
from addon.services.cycle_life import CycleRefused, same_cycle
from addon.services.cycles import stored_parent
from addon.services.kr_changes import require_reason
from addon.services.locked import changing_cycle
from addon.services.ports import Store, UnitOfWork


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


@dataclass(frozen=True)
class TrackedChange:
    """How a change to a tracking cycle is logged (M9): its day, its reason, and whether it is forced."""

    on: date
    reason: str | None = None
    force: bool = False


def _as_tracked_changes(uow: UnitOfWork, stored: Cycle, update: PlanUpdate, change: TrackedChange) -> None:
    """Turn the update into M9 changes of the tracking cycle (or raise ChangeRefused listing every refusal)."""
    reason = require_reason(stored, change.reason)
    places = MAX_KEY_RESULTS if uow.boards.latest_board(stored.id) is not None else None
    update.cycle, update.logged = apply_tracked(
        stored, update, on=change.on, reason=reason, forced=change.force, places=places
    )


def update_from_plan_file(
    path: str | Path,
    store: Store,
    tenant_id: str,
    cycle_ref: str,
    *,
    dry_run: bool = False,
    tracked: TrackedChange | None = None,
) -> tuple[PlanUpdate, list[Finding]]:
    """Apply a plan file to a cycle (unless dry_run); return what changes and the findings of the result. A
    tracking cycle takes the changes as M9 changes logged as `tracked` says (default: today, no reason)."""
    path = Path(path)
    plan = load_plan(path)  # raises PlanError naming every bad field, as `cycle import` does
    with changing_cycle(store, tenant_id, cycle_ref) as (uow, stored):  # no sync can save it meanwhile
        ensure_open(stored)
        parent = stored_parent(plan, path, uow)
        is_draft = stored.status is CycleStatus.DRAFT
        update = plan_update(stored, plan.cycle, values=is_draft)
        update.cycle.parent_id = parent.id if parent else None
        if update.cycle.parent_id != stored.parent_id:
            update.changes.append(_parent_change(stored, parent))
        other = same_cycle(uow, update.cycle, but=stored.id)
        if other is not None:
            raise CycleRefused(f"Cycle {other.id} of that level and team is already named '{update.cycle.name}'.")
        if not update.changes:
            return update, check_cycle(stored, parent=parent)
        if is_draft:
            _refuse_moves(uow, stored, update)
        else:
            _as_tracked_changes(uow, stored, update, tracked or TrackedChange(on=date.today()))
        if not dry_run:
            uow.cycles.save(update.cycle)
        return update, check_cycle(update.cycle, parent=parent)


def _parent_change(stored: Cycle, parent: Cycle | None) -> PlanChange:
    now = f"cycle {parent.id} '{parent.name}'" if parent else "(none)"
    return PlanChange("changed", "cycle", f"parent: {stored.parent_id or '(none)'} -> {now}")
