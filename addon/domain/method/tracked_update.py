"""`okrboard cycle update` on a tracking cycle: the edited plan applied as the logged changes that `kr add /
replace / remove` and `objective add / update` make (rule M9), all of them or none.

Each difference goes through `changes.py`, so the first-half window, `--force`, the five-key-result cap, the last
key result of an objective and the log are exactly those of the single commands. What the method keeps fixed while
tracking (objectives removed or reordered, the cycle's dates, team, parent or language) is refused by name. Unlike
`kr replace`, a key result edited in the plan keeps its current value and confidence: the plan retouches it, the
board and the check-ins keep measuring it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import date

from addon.domain.method.changes import OBJECTIVE_FIELDS as CHANGEABLE_OBJECTIVE_FIELDS
from addon.domain.method.changes import (
    ChangeRefused,
    add_key_result,
    add_objective,
    remove_key_result,
    replace_key_result,
    update_objective,
)
from addon.domain.method.model import Cycle, KeyResult, KRChange, KRStatus, Objective
from addon.domain.method.plan_update import KR_FIELDS, PlanUpdate
from addon.domain.method.rules import Finding, Severity, check_key_result, check_objective

# Header fields a tracking cycle keeps, and why (the message's second half).
FIXED = {
    "start": "its check-ins and the M9 window are counted from its dates",
    "end": "its check-ins and the M9 window are counted from its dates",
    "checkin_dates": "check-ins are recorded against these dates",
    "language": "its board is written in it; `okrboard generate CYCLE --lang` says when it can change",
    "team": "its board, reports and alignments are the team's",
    "parent_id": "its objectives align to that company cycle's",
}


@dataclass(frozen=True)
class Logged:
    """One entry the update writes to a change log: which ref, and the KRChange itself."""

    ref: str
    change: KRChange

    def line(self) -> str:
        """Return the entry as `cycle show` lists it: `2027-01-20 KR1.2 replaced (forced): reason`."""
        forced = " (forced)" if self.change.forced else ""
        return f"{self.change.on} {self.ref} {self.change.action}{forced}: {self.change.reason}"


def _refused(rule: str, ref: str, message: str) -> Finding:
    return Finding(rule, Severity.ERROR, ref, message)


def _fixed_header(stored: Cycle, edited: Cycle) -> list[Finding]:
    return [
        _refused("M9", "cycle", f"cycle.{name.removesuffix('_id')}: a tracking cycle keeps it ({why}).")
        for name, why in FIXED.items()
        if getattr(stored, name) != getattr(edited, name)
    ]


def _moves(update: PlanUpdate) -> list[Finding]:
    return [
        _refused(
            "M9",
            old,
            f"{old} would be removed: a tracking cycle keeps its objectives (its board, check-ins and team "
            "alignments know them by ref); retitle it instead."
            if new is None
            else f"{old} would become {new}: a tracking cycle keeps its objectives in their order; keep {old} "
            "in its place in the plan.",
        )
        for old, new in update.moved.items()
    ]


class _Applier:
    """Applies the changes one by one on a copy, keeping every refusal instead of stopping at the first."""

    def __init__(self, stored: Cycle, *, on: date, reason: str, forced: bool, places: int | None):
        self.cycle = copy.deepcopy(stored)
        self.on, self.reason, self.forced, self.places = on, reason, forced, places
        self.refused: list[Finding] = []
        self.logged: list[Logged] = []

    def attempt(self, change, *args, **kwargs):
        """Run one change from changes.py; a refusal is kept and the change skipped."""
        try:
            return change(self.cycle, *args, on=self.on, reason=self.reason, forced=self.forced, **kwargs)
        except ChangeRefused as refusal:
            self.refused.extend(refusal.findings)
            return None

    def log(self, ref: str, history: list | tuple, before: int) -> None:
        self.logged.extend(Logged(ref, change) for change in history[before:])

    def measurable(self, ref: str, kr: KeyResult) -> bool:
        """A tracking cycle takes no key result it could not score or that nobody owns (M6, M7)."""
        problems = [f for f in check_key_result(ref, kr, self.cycle) if f.severity is Severity.ERROR]
        self.refused.extend(problems)
        return not problems

    def objective(self, index: int, planned: Objective) -> None:
        """Change a kept objective's fields, then its key results."""
        objective, ref = self.cycle.objectives[index], f"O{index + 1}"
        fields = {name: getattr(planned, name) for name in CHANGEABLE_OBJECTIVE_FIELDS}
        before = len(objective.history)
        self.attempt(update_objective, objective, fields)
        self.log(ref, objective.history, before)
        self.key_results(ref, objective, planned)

    def key_results(self, o_ref: str, objective: Objective, planned: Objective) -> None:
        """Remove, then retouch, then add key results, as the plan's numbers say (plan_update numbered them)."""
        objective.fix_numbers()
        stored = {kr.number for kr in objective.key_results}
        wanted = {kr.number: kr for kr in planned.key_results if kr.number in stored}
        for kr in [kr for kr in objective.key_results if kr.number not in wanted]:
            self.remove(o_ref, objective, kr)
        for kr in [kr for kr in objective.key_results if kr.number in wanted]:
            self.retouch(f"KR{o_ref[1:]}.{kr.number}", objective, kr, wanted[kr.number])
        for kr in planned.key_results:
            if kr.number not in stored:
                self.add(o_ref, objective, kr)

    def remove(self, o_ref: str, objective: Objective, kr: KeyResult) -> None:
        removed = self.attempt(remove_key_result, objective, kr)
        if removed is not None:
            self.log(f"KR{o_ref[1:]}.{removed.number}", removed.history, len(kr.history))

    def retouch(self, ref: str, objective: Objective, kr: KeyResult, planned: KeyResult) -> None:
        """Replace a key result whose definition the plan changed (values kept); take the plan's new ideas."""
        kr.ideas = copy.deepcopy(planned.ideas)  # the plan only ever adds ideas; they are not M9 changes
        if all(getattr(kr, name) == getattr(planned, name) for name in KR_FIELDS):
            return
        new = replace(kr, **{name: copy.deepcopy(getattr(planned, name)) for name in KR_FIELDS})
        if not self.measurable(ref, new):
            return
        replaced = self.attempt(replace_key_result, objective, objective.key_results.index(kr), new)
        if replaced is not None:
            self.log(ref, replaced.history, len(kr.history))

    def add(self, o_ref: str, objective: Objective, planned: KeyResult) -> None:
        new = replace(copy.deepcopy(planned), number=None, id=None, history=[], status=KRStatus.NOT_STARTED)
        if not self.measurable(f"KR{o_ref[1:]}.{objective.next_kr_number()}", new):
            return
        added = self.attempt(add_key_result, objective, new, places=self.places)
        if added is not None:
            self.log(f"KR{o_ref[1:]}.{added.number}", added.history, 0)

    def new_objective(self, planned: Objective) -> None:
        """Add an objective after the others, then each of its key results."""
        objective = replace(copy.deepcopy(planned), key_results=[], history=[], removed=[], id=None)
        ref = self.cycle.objective_ref(len(self.cycle.objectives))
        problems = [f for f in check_objective(ref, objective) if f.rule == "M4" and f.severity is Severity.ERROR]
        self.refused.extend(problems)
        if problems or self.attempt(add_objective, objective) is None:
            return
        self.log(ref, objective.history, 0)
        for kr in planned.key_results:
            self.add(ref, objective, kr)


def apply_tracked(
    stored: Cycle, update: PlanUpdate, *, on: date, reason: str, forced: bool = False, places: int | None = None
) -> tuple[Cycle, list[Logged]]:
    """Return the stored cycle (a copy) with the plan's changes made as M9 changes and what they log; raise
    ChangeRefused listing every refused change (nothing is applied then)."""
    applier = _Applier(stored, on=on, reason=reason, forced=forced, places=places)
    applier.cycle.name = update.cycle.name  # a name is no M9 change (`cycle rename` renames at any time)
    applier.refused += _fixed_header(stored, update.cycle) + _moves(update)
    for planned, source in zip(update.cycle.objectives, update.sources, strict=True):
        if source is not None:
            applier.objective(source, planned)
    for planned, source in zip(update.cycle.objectives, update.sources, strict=True):
        if source is None:
            applier.new_objective(planned)
    if applier.refused:
        raise ChangeRefused(applier.refused)
    return applier.cycle, applier.logged
