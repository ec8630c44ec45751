"""What an edited plan changes in a draft cycle (`okrboard cycle update`): objectives and key results matched by
title, then in order; kept key results keep their refs for life, removed ones leave their number taken."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date

from addon.domain.method.model import Cycle, Idea, KeyResult, Objective, OkrError, RemovedKeyResult

HEADER_FIELDS = ("name", "team", "start", "end", "language", "checkin_dates")
OBJECTIVE_FIELDS = ("title", "type", "owner", "aligned_to", "learning_goal")
KR_FIELDS = ("title", "kind", "start", "target", "at_least", "at_most", "unit", "owner", "due", "weight")
KR_VALUES = ("current", "confidence")  # taken from the plan only when it gives them (the board may have set them)
SIGNS = {"added": "+", "changed": "~", "removed": "-"}


@dataclass(frozen=True)
class PlanChange:
    """One difference between the stored cycle and the plan: added, changed or removed, and what."""

    kind: str  # added | changed | removed
    ref: str  # cycle | O2 | KR2.3
    what: str

    def line(self) -> str:
        """Return the change as one line: `~ KR1.2 target: 40 -> 45`."""
        return f"{SIGNS[self.kind]} {self.ref} {self.what}"


@dataclass
class PlanUpdate:
    """The cycle as the plan makes it, what changed, and the objectives whose ref would change or vanish."""

    cycle: Cycle
    changes: list[PlanChange] = field(default_factory=list)
    moved: dict[str, str | None] = field(default_factory=dict)  # old objective ref -> new ref (None: removed)
    sources: list[int | None] = field(default_factory=list)  # per objective: the stored index it continues
    ignored: list[PlanChange] = field(default_factory=list)  # values the plan gives but a tracking cycle keeps
    logged: list = field(default_factory=list)  # on a tracking cycle: the M9 log entries (tracked_update.Logged)


def _shown(value) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return f"'{value}'" if isinstance(value, str) else str(value)


def _norm(title: str) -> str:
    return " ".join(title.split()).casefold()


def match(old: list, new: list) -> list[int | None]:
    """Return, for each new item, the index of the old item it continues (same title first, then in order)."""
    taken: set[int] = set()
    found: list[int | None] = []
    for item in new:
        same = next((i for i, o in enumerate(old) if i not in taken and _norm(o.title) == _norm(item.title)), None)
        found.append(same)
        if same is not None:
            taken.add(same)
    rest = iter([i for i in range(len(old)) if i not in taken])
    return [index if index is not None else next(rest, None) for index in found]


def _diff_fields(ref: str, target, source, names, changes: list[PlanChange]) -> None:
    """Copy the named fields from source onto target, noting each one that differs."""
    for name in names:
        before, after = getattr(target, name), getattr(source, name)
        if before != after:
            changes.append(PlanChange("changed", ref, f"{name}: {_shown(before)} -> {_shown(after)}"))
            setattr(target, name, copy.deepcopy(after))


def _update_kr(ref: str, kr: KeyResult, planned: KeyResult, update: PlanUpdate, values: bool) -> None:
    changes = update.changes
    _diff_fields(ref, kr, planned, KR_FIELDS, changes)
    given = [n for n in KR_VALUES if getattr(planned, n) is not None]
    if values:
        _diff_fields(ref, kr, planned, given, changes)
    else:  # a tracking cycle's values come from its board and check-ins
        _diff_fields(ref, copy.copy(kr), planned, given, update.ignored)
    known = {_norm(idea.text) for idea in kr.ideas}
    for idea in planned.ideas:
        if _norm(idea.text) not in known:
            kr.ideas.append(Idea(idea.text, idea.impact, idea.effort))
            changes.append(PlanChange("changed", ref, f"idea added: '{idea.text}'"))


def _update_key_results(o_ref: str, objective: Objective, planned: Objective, update: PlanUpdate, values: bool) -> None:
    changes = update.changes
    objective.fix_numbers()
    pairs = match(objective.key_results, planned.key_results)
    kept = {index for index in pairs if index is not None}
    for index, kr in enumerate(objective.key_results):
        if index not in kept:
            objective.removed.append(RemovedKeyResult(kr.number, kr.title, tuple(kr.history)))
            changes.append(PlanChange("removed", f"KR{o_ref[1:]}.{kr.number}", f"'{kr.title}'"))
    result = []
    for planned_kr, index in zip(planned.key_results, pairs, strict=True):
        if index is None:
            continue
        kr = objective.key_results[index]
        _update_kr(f"KR{o_ref[1:]}.{kr.number}", kr, planned_kr, update, values)
        result.append(kr)
    objective.key_results = result
    for planned_kr, index in zip(planned.key_results, pairs, strict=True):
        if index is None:
            new = copy.deepcopy(planned_kr)
            new.number = objective.next_kr_number()
            objective.key_results.append(new)
            changes.append(PlanChange("added", f"KR{o_ref[1:]}.{new.number}", f"'{new.title}'"))
    objective.key_results.sort(key=lambda kr: kr.number)  # the store keeps them in number order


def plan_update(stored: Cycle, planned: Cycle, *, values: bool = True) -> PlanUpdate:
    """Return the stored cycle changed as the plan says (a copy), with every change listed; without `values`, the
    plan's current values and confidences are listed in `ignored` instead of applied."""
    if planned.level is not stored.level:
        raise OkrError(
            f"cycle.level: {stored.name} is a {stored.level} cycle and stays one; import the plan as a new cycle."
        )
    cycle = copy.deepcopy(stored)
    pairs = match(stored.objectives, planned.objectives)
    update = PlanUpdate(cycle, sources=pairs)
    _diff_fields("cycle", cycle, planned, HEADER_FIELDS, update.changes)
    kept = {index for index in pairs if index is not None}
    for index, objective in enumerate(stored.objectives):
        if index not in kept:
            update.moved[f"O{index + 1}"] = None
            update.changes.append(PlanChange("removed", f"O{index + 1}", f"'{objective.title}' with its key results"))
    objectives = []
    for position, (planned_objective, index) in enumerate(zip(planned.objectives, pairs, strict=True), start=1):
        ref = f"O{position}"
        if index is None:
            objectives.append(copy.deepcopy(planned_objective))
            update.changes.append(PlanChange("added", ref, f"'{planned_objective.title}'"))
            for number, kr in enumerate(planned_objective.key_results, start=1):  # a new objective counts from 1
                update.changes.append(PlanChange("added", f"KR{position}.{number}", f"'{kr.title}'"))
            continue
        if index + 1 != position:
            update.moved[f"O{index + 1}"] = ref
            update.changes.append(PlanChange("changed", f"O{index + 1}", f"moved to {ref}"))
        objective = cycle.objectives[index]
        _diff_fields(ref, objective, planned_objective, OBJECTIVE_FIELDS, update.changes)
        _update_key_results(ref, objective, planned_objective, update, values)
        objectives.append(objective)
    cycle.objectives = objectives
    return update
