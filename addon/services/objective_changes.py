"""Add or change objectives of a cycle (`okrboard objective add / update`): the method's rules checked, every
change on a tracked cycle logged with its reason (M9), the board's labels rewritten by the next sync."""

from __future__ import annotations

from datetime import date

from addon.domain.method.changes import ChangeRefused, add_objective, update_objective
from addon.domain.method.closing import ensure_open
from addon.domain.method.model import Cycle, CycleStatus, Level, Objective, ObjectiveType
from addon.domain.method.rules import Finding, Severity, check_objective
from addon.services.kr_changes import OBJECTIVE_REF, BadValue, UnknownRef, require_reason
from addon.services.locked import changing_cycle
from addon.services.ports import Store

MAX_TITLE = 200  # as in plan files
MAX_OWNER = 200  # the store's column


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise BadValue("--title: an objective needs a title.")
    if len(title) > MAX_TITLE:
        raise BadValue(f"--title: {len(title)} characters; an objective title has at most {MAX_TITLE}.")
    return title


def _owner(owner: str | None) -> str | None:
    if owner is None:
        return None
    owner = owner.strip()
    if not owner or len(owner) > MAX_OWNER:
        raise BadValue(f"--owner: give a name of 1 to {MAX_OWNER} characters.")
    return owner


def _aligned_to(uow, cycle: Cycle, ref: str | None) -> str | None:
    """Check that a team objective's alignment names an objective of its company cycle (M12)."""
    if ref is None:
        return None
    ref = ref.strip().upper()
    if cycle.level is not Level.TEAM or cycle.parent_id is None:
        raise BadValue(f"--aligned-to: {cycle.name} is not a team cycle under a company cycle; it aligns to nothing.")
    parent = uow.cycles.get(cycle.parent_id)
    refs = [f"O{n}" for n in range(1, len(parent.objectives) + 1)]
    if ref not in refs:
        raise BadValue(f"--aligned-to: {ref} is not an objective of {parent.name} (it has {', '.join(refs)}).")
    return ref


def _refuse_incomplete(cycle: Cycle, ref: str, objective: Objective) -> None:
    """A tracked cycle takes no objective without an owner and a type (M4)."""
    if cycle.status is CycleStatus.DRAFT:
        return
    problems = [f for f in check_objective(ref, objective) if f.rule == "M4" and f.severity is Severity.ERROR]
    if problems:
        raise ChangeRefused(problems, cycle.language)


def add_to_cycle(
    store: Store,
    tenant: str,
    cycle_ref: str,
    *,
    title: str,
    type: ObjectiveType,
    owner: str | None = None,
    aligned_to: str | None = None,
    on: date,
    reason: str | None,
    force: bool = False,
) -> tuple[str, list[Finding]]:
    """Add an objective after the others; return its ref (O4) and the method's warnings about it."""
    with changing_cycle(store, tenant, cycle_ref) as (uow, cycle):
        ensure_open(cycle)
        objective = Objective(
            title=_title(title), type=type, owner=_owner(owner), aligned_to=_aligned_to(uow, cycle, aligned_to)
        )
        ref = cycle.objective_ref(len(cycle.objectives))
        _refuse_incomplete(cycle, ref, objective)
        add_objective(cycle, objective, on=on, reason=require_reason(cycle, reason), forced=force)
        uow.cycles.save(cycle)
        return ref, check_objective(ref, objective)


def update_in_cycle(
    store: Store,
    tenant: str,
    cycle_ref: str,
    objective_ref: str,
    changes: dict,
    *,
    on: date,
    reason: str | None,
    force: bool = False,
) -> tuple[list[str], list[Finding]]:
    """Change an objective's title, type or owner; return the fields that changed and the method's warnings."""
    read = dict(changes)
    if "title" in read:
        read["title"] = _title(read["title"])
    if "owner" in read:
        read["owner"] = _owner(read["owner"])
    with changing_cycle(store, tenant, cycle_ref) as (uow, cycle):
        ensure_open(cycle)
        match = OBJECTIVE_REF.match(objective_ref.strip().upper())
        if not match or int(match.group(1)) > len(cycle.objectives):
            known = ", ".join(cycle.objective_ref(i) for i in range(len(cycle.objectives))) or "none"
            raise UnknownRef(f"{objective_ref}: no such objective in {cycle.name} (it has {known})")
        ref = f"O{match.group(1)}"
        objective = cycle.objectives[int(match.group(1)) - 1]
        changed = update_objective(cycle, objective, read, on=on, reason=require_reason(cycle, reason), forced=force)
        if changed:
            uow.cycles.save(cycle)
        return changed, check_objective(ref, objective)
