"""Rule M9: key results and objectives change only in the first half of a cycle (drafting aside); every change
is logged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from addon.domain.method.findings import finding
from addon.domain.method.model import (
    Cycle,
    CycleStatus,
    KeyResult,
    KRChange,
    Objective,
    OkrError,
    RemovedKeyResult,
)
from addon.domain.method.rules import MAX_KEY_RESULTS, MAX_OBJECTIVES, Finding, Severity


class ChangeRefused(OkrError):
    """A key-result change the method does not allow; carries the findings that say why (in `language` if given)."""

    def __init__(self, findings: list[Finding], language: str | None = None):
        if language is not None:
            findings = [f.in_language(language) for f in findings]
        super().__init__("; ".join(f.message for f in findings))
        self.language = language or "en"
        self.findings = findings


def first_half_last_day(cycle: Cycle) -> date:
    """Return the last day on which key results may still change freely."""
    return cycle.start + timedelta(days=(cycle.end - cycle.start).days // 2)


def check_change(cycle: Cycle, objective: Objective, ref: str, action: str, on: date, forced: bool) -> list[Finding]:
    """Return the M9 findings that refuse a change (empty when it is allowed)."""
    findings = []
    if action == "added" and len(objective.key_results) >= MAX_KEY_RESULTS:
        findings.append(finding("M9", Severity.ERROR, ref, "M9.too_many_key_results", most=MAX_KEY_RESULTS))
    if action == "removed" and cycle.status is not CycleStatus.DRAFT and len(objective.key_results) <= 1:
        findings.append(finding("M9", Severity.ERROR, ref, "M9.keeps_one_key_result"))
    return findings + check_window(cycle, ref, on, forced, "key_results")


def check_window(cycle: Cycle, ref: str, on: date, forced: bool, what: str) -> list[Finding]:
    """Return the M9 finding that refuses a change after the first half of a tracked cycle unless forced;
    `what` is `key_results` or `objectives`."""
    if cycle.status is CycleStatus.DRAFT or on <= first_half_last_day(cycle) or forced:
        return []
    return [finding("M9", Severity.ERROR, ref, f"M9.{what}_window", last_day=first_half_last_day(cycle))]


def _logged(cycle: Cycle, on: date, action: str, reason: str, forced: bool, previous: str | None) -> list[KRChange]:
    if cycle.status is CycleStatus.DRAFT:
        return []  # drafting in the workshop is free and not logged
    late = on > first_half_last_day(cycle)
    return [KRChange(on=on, action=action, reason=reason, forced=forced and late, previous_title=previous)]


def _position(cycle: Cycle, objective: Objective) -> int:
    """Return the 1-based position of an objective in its cycle, by identity (two objectives may be equal)."""
    for number, candidate in enumerate(cycle.objectives, start=1):
        if candidate is objective:
            return number
    raise ValueError("the objective is not in the cycle")


def _allow(cycle: Cycle, objective: Objective, ref: str, action: str, on: date, forced: bool) -> None:
    refused = check_change(cycle, objective, ref, action, on, forced)
    if refused:
        raise ChangeRefused(refused, cycle.language)


def no_free_place(objective: Objective, ref: str, places: int | None) -> list[Finding]:
    """Return the finding that refuses a key result whose number would fall outside the board's reserved places."""
    if places is None or objective.next_kr_number() <= places:
        return []
    return [finding("M9", Severity.ERROR, ref, "M9.no_free_place", objective=ref, places=places)]


def add_key_result(
    cycle: Cycle,
    objective: Objective,
    kr: KeyResult,
    *,
    on: date,
    reason: str,
    forced: bool = False,
    places: int | None = None,
) -> KeyResult:
    """Add a key result to an objective, logging the change, or raise ChangeRefused; with `places` (the board's
    reserved key-result places), a number beyond them is refused."""
    ref = f"O{_position(cycle, objective)}"
    refused = check_change(cycle, objective, ref, "added", on, forced) + no_free_place(objective, ref, places)
    if refused:
        raise ChangeRefused(refused, cycle.language)
    kr.history.extend(_logged(cycle, on, "added", reason, forced, None))
    objective.fix_numbers()
    kr.number = objective.next_kr_number()
    objective.key_results.append(kr)
    return kr


def replace_key_result(
    cycle: Cycle, objective: Objective, index: int, new: KeyResult, *, on: date, reason: str, forced: bool = False
) -> KeyResult:
    """Replace the key result at a 0-based index, keeping its history, or raise ChangeRefused."""
    old = objective.key_results[index]
    _allow(cycle, objective, f"KR{_position(cycle, objective)}.{objective.number_of(old)}", "replaced", on, forced)
    history = old.history + _logged(cycle, on, "replaced", reason, forced, old.title)
    objective.key_results[index] = replace(new, history=history, id=old.id, number=objective.number_of(old))
    return objective.key_results[index]


def remove_key_result(
    cycle: Cycle, objective: Objective, kr: KeyResult, *, on: date, reason: str, forced: bool = False
) -> RemovedKeyResult:
    """Remove a key result, keeping its number (never given again), title and log, or raise ChangeRefused."""
    _allow(cycle, objective, f"KR{_position(cycle, objective)}.{objective.number_of(kr)}", "removed", on, forced)
    objective.fix_numbers()
    history = kr.history + _logged(cycle, on, "removed", reason, forced, None)
    removed = RemovedKeyResult(kr.number, kr.title, tuple(history))
    objective.key_results[:] = [each for each in objective.key_results if each is not kr]
    objective.removed.append(removed)
    return removed


def add_objective(cycle: Cycle, objective: Objective, *, on: date, reason: str, forced: bool = False) -> str:
    """Add an objective after the others (its ref is then O<n>), logging it on a tracked cycle; return its ref."""
    ref = cycle.objective_ref(len(cycle.objectives))
    findings = check_window(cycle, ref, on, forced, "objectives")
    if len(cycle.objectives) >= MAX_OBJECTIVES:
        findings.insert(0, finding("M2", Severity.ERROR, ref, "M2.full", most=MAX_OBJECTIVES))
    if findings:
        raise ChangeRefused(findings, cycle.language)
    objective.history.extend(_logged(cycle, on, "added", reason, forced, None))
    cycle.objectives.append(objective)
    return ref


# What an objective change may touch; title, type and learning goal say what the objective means, so M9's window
# applies to them.
OBJECTIVE_FIELDS = ("title", "type", "owner", "aligned_to", "learning_goal")
MEANING_FIELDS = ("title", "type", "learning_goal")


def update_objective(
    cycle: Cycle, objective: Objective, changes: dict, *, on: date, reason: str, forced: bool = False
) -> list[str]:
    """Change an objective's fields, logging it on a tracked cycle; return the names of the fields that changed."""
    changed = [name for name in OBJECTIVE_FIELDS if name in changes and changes[name] != getattr(objective, name)]
    ref = f"O{_position(cycle, objective)}"
    if any(name in MEANING_FIELDS for name in changed):
        refused = check_window(cycle, ref, on, forced, "objectives")
        if refused:
            raise ChangeRefused(refused, cycle.language)
    if not changed:
        return []
    previous = objective.title if "title" in changed else None
    late_matters = any(name in MEANING_FIELDS for name in changed)
    objective.history.extend(_logged(cycle, on, "updated", reason, forced and late_matters, previous))
    for name in changed:
        setattr(objective, name, changes[name])
    return changed
