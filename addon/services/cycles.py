"""Use cases on cycles: validate a plan, import it, list and show cycles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from addon.adapters.plan_file import Plan, PlanError, load_plan
from addon.domain.method.health import Assessment, assess_cycle
from addon.domain.method.model import Cycle, Level
from addon.domain.method.rules import Finding, check_cycle
from addon.domain.method.scoring import kr_progress, kr_score, objective_score
from addon.services.cycle_life import refuse_duplicate
from addon.services.ports import CycleNotFound, Store, UnitOfWork
from addon.services.rollup import team_cycles, team_summaries


def resolve_parent(plan: Plan, plan_path: Path | None, uow: UnitOfWork | None) -> Cycle | None:
    """Find a team plan's company cycle: a plan file next to it, or a cycle of that name in the store."""
    if not plan.parent:
        return None
    if plan.parent.endswith((".yaml", ".yml")):
        base = plan_path.parent if plan_path else Path.cwd()
        return load_plan(base / plan.parent).cycle
    if uow is None:
        return None
    try:
        parent = uow.cycles.find(plan.parent)
    except CycleNotFound:
        return None
    return parent if parent.level is Level.COMPANY else None


def validate_plan_file(
    path: str | Path, store: Store | None, tenant_id: str, today: date | None = None
) -> list[Finding]:
    """Return the rule findings of a plan file (raises PlanError when it cannot be read or parsed, or when its
    company cycle is not in the store: what `cycle import` would refuse, said the same way)."""
    path = Path(path)
    plan = load_plan(path)
    if store is None:
        return check_cycle(plan.cycle, parent=resolve_parent(plan, path, None), today=today)
    with store.unit(tenant_id) as uow:
        parent = resolve_parent(plan, path, uow)
        if plan.parent and not plan.parent.endswith((".yaml", ".yml")) and parent is None:
            raise PlanError(str(path), [_unknown_parent(plan)])
        return check_cycle(plan.cycle, parent=parent, today=today)


def _unknown_parent(plan: Plan) -> str:
    return f"cycle.parent: no company cycle named '{plan.parent}' in the store; import the company plan first"


def stored_parent(plan: Plan, path: Path, uow: UnitOfWork) -> Cycle | None:
    """Return the stored company cycle a team plan names (None for a company plan), or raise PlanError."""
    if not plan.parent:
        return None
    if plan.parent.endswith((".yaml", ".yml")):
        raise PlanError(
            str(path), ["cycle.parent: name the imported company cycle (its name or id), not a file, when importing"]
        )
    parent = resolve_parent(plan, path, uow)
    if parent is None:
        raise PlanError(str(path), [_unknown_parent(plan)])
    return parent


def import_plan_file(
    path: str | Path, store: Store, tenant_id: str, *, as_new: bool = False
) -> tuple[Cycle, list[Finding]]:
    """Store the cycle of a plan file, linked to its company cycle, and return it with its findings; a cycle of
    the same name, level and team already stored is refused unless `as_new`."""
    path = Path(path)
    plan = load_plan(path)
    with store.unit(tenant_id) as uow:
        if not as_new:
            refuse_duplicate(uow, plan.cycle)
        parent = stored_parent(plan, path, uow)
        plan.cycle.parent_id = parent.id if parent else None
        cycle = uow.cycles.add(plan.cycle)
        return cycle, check_cycle(cycle, parent=parent)


def load_cycle(store: Store, tenant_id: str, id_or_name: str) -> tuple[Cycle, Cycle | None]:
    """Return a cycle (by id or name) and its parent cycle, if any."""
    with store.unit(tenant_id) as uow:
        cycle = uow.cycles.find(id_or_name)
        parent = uow.cycles.get(cycle.parent_id) if cycle.parent_id else None
        return cycle, parent


def load_team_cycles(store: Store, tenant_id: str, cycle: Cycle) -> list[Cycle]:
    """Return the team cycles under a company cycle, oldest first (none for a team cycle)."""
    with store.unit(tenant_id) as uow:
        return team_cycles(uow, cycle)


def _objective_log(o_index: int, objective) -> dict:
    """The objective's own change log and its removed key results, present only when there are any."""
    log = {}
    if objective.history:
        log["changes"] = _changes(objective.history)
    if objective.removed:
        log["removed_key_results"] = [
            {"ref": f"KR{o_index}.{r.number}", "title": r.title, "changes": _changes(r.history)}
            for r in objective.removed
        ]
    return log


def _changes(history) -> list[dict]:
    return [
        {
            "on": c.on.isoformat(),
            "action": c.action,
            "reason": c.reason,
            "forced": c.forced,
            "previous": c.previous_title,
        }
        for c in history
    ]


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _health(found: Assessment | None) -> dict | None:
    if found is None:
        return None
    return {"health": str(found.health), "reasons": list(found.reasons), "breach": found.breach}


def cycle_view(
    cycle: Cycle,
    findings: list[Finding],
    conflicts: list[dict] | None = None,
    today: date | None = None,
    teams: list[Cycle] | None = None,
) -> dict:
    """Return the cycle's state as plain data for scripts (`cycle show --format json`).

    A key result's `progress` goes beyond 1.0 past its target; its `score` and the objective's stay capped at 1.0.
    With `today`, each key result carries its health and the view an attention list. `team_cycles` lists the
    team cycles under a company cycle (`teams`) with their scores.
    """
    assessed = assess_cycle(cycle, today) if today else {}
    objectives = []
    for o_index, objective in enumerate(cycle.objectives, start=1):
        score = objective_score(objective)
        objectives.append(
            {
                "ref": f"O{o_index}",
                "title": objective.title,
                "type": str(objective.type) if objective.type else None,
                "owner": objective.owner,
                "aligned_to": objective.aligned_to,
                "carried_from": objective.carried_from.as_dict() if objective.carried_from else None,
                "score": round(score, 2) if score is not None else None,
                "key_results": [
                    {
                        "ref": f"KR{o_index}.{k_index}",
                        "title": kr.title,
                        "kind": str(kr.kind),
                        "start": _number(kr.start),
                        "target": _number(kr.target),
                        "at_least": _number(kr.at_least),
                        "at_most": _number(kr.at_most),
                        "current": _number(kr.current),
                        "unit": kr.unit,
                        "progress": round(kr_progress(kr), 2),
                        "score": round(kr_score(kr), 2),
                        "manual_score": kr.manual_score,
                        "health": _health(assessed.get(f"KR{o_index}.{k_index}")),
                        "status": str(kr.status),
                        "owner": kr.owner,
                        "due": kr.due.isoformat() if kr.due else None,
                        "confidence": kr.confidence,
                        "carried_from": kr.carried_from.as_dict() if kr.carried_from else None,
                        "ideas": [
                            {
                                "text": i.text,
                                "impact": i.impact,
                                "effort": i.effort,
                                "quadrant": str(i.quadrant),
                                "status": str(i.status),
                            }
                            for i in kr.ideas
                        ],
                        "changes": _changes(kr.history),  # the M9 change log of this key result, with reasons
                    }
                    for k_index, kr in objective.numbered()
                ],
                **_objective_log(o_index, objective),
            }
        )
    return {
        "cycle": {
            "id": cycle.id,
            "name": cycle.name,
            "level": str(cycle.level),
            "team": cycle.team,
            "parent_id": cycle.parent_id,
            "start": cycle.start.isoformat(),
            "end": cycle.end.isoformat(),
            "status": str(cycle.status),
            "language": cycle.language,
            "checkin_dates": [d.isoformat() for d in cycle.checkin_dates],
        },
        "objectives": objectives,
        "checkins": [
            {
                "number": c.number,
                "date": c.on.isoformat(),
                "note": c.note,
                "snapshots": [
                    {
                        "ref": s.ref,
                        "value": s.value,
                        "score": s.score,
                        "status": str(s.status),
                        "confidence": s.confidence,
                        "comment": s.comment,
                    }
                    for s in c.snapshots
                ],
                "history": c.history,  # earlier versions of a corrected check-in, oldest first
            }
            for c in cycle.checkins
        ],
        "attention": [
            {"ref": a.ref, "health": str(a.health), "confidence": a.confidence, "reasons": list(a.reasons)}
            for a in assessed.values()
            if a.attention
        ],
        "retro": [{"section": n.section, "text": n.text} for n in cycle.retro],
        "findings": [f.as_dict() for f in findings],
        "conflicts": conflicts or [],
        "team_cycles": team_summaries(teams or []),
    }
