"""Rule M9: key results change only in the first half of a cycle (drafting aside); every change is logged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from addon.domain.method.model import Cycle, CycleStatus, KeyResult, KRChange, Objective, OkrError
from addon.domain.method.rules import MAX_KEY_RESULTS, Finding, Severity


class ChangeRefused(OkrError):
    """A key-result change the method does not allow; carries the findings that say why."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


def first_half_last_day(cycle: Cycle) -> date:
    """Return the last day on which key results may still change freely."""
    return cycle.start + timedelta(days=(cycle.end - cycle.start).days // 2)


def check_change(cycle: Cycle, objective: Objective, ref: str, action: str, on: date, forced: bool) -> list[Finding]:
    """Return the M9 findings that refuse a change (empty when it is allowed)."""
    findings = []
    if action == "added" and len(objective.key_results) >= MAX_KEY_RESULTS:
        findings.append(
            Finding(
                "M9",
                Severity.ERROR,
                ref,
                f"The objective already has {MAX_KEY_RESULTS} key results; replace one instead.",
            )
        )
    if cycle.status is not CycleStatus.DRAFT and on > first_half_last_day(cycle) and not forced:
        findings.append(
            Finding(
                "M9",
                Severity.ERROR,
                ref,
                f"Key results can change only until {first_half_last_day(cycle)} "
                "(first half of the cycle); force the change to log it as an exception.",
            )
        )
    return findings


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


def add_key_result(
    cycle: Cycle, objective: Objective, kr: KeyResult, *, on: date, reason: str, forced: bool = False
) -> KeyResult:
    """Add a key result to an objective, logging the change, or raise ChangeRefused."""
    ref = f"O{_position(cycle, objective)}"
    refused = check_change(cycle, objective, ref, "added", on, forced)
    if refused:
        raise ChangeRefused(refused)
    kr.history.extend(_logged(cycle, on, "added", reason, forced, None))
    objective.key_results.append(kr)
    return kr


def replace_key_result(
    cycle: Cycle, objective: Objective, index: int, new: KeyResult, *, on: date, reason: str, forced: bool = False
) -> KeyResult:
    """Replace the key result at a 0-based index, keeping its history, or raise ChangeRefused."""
    old = objective.key_results[index]
    ref = f"KR{_position(cycle, objective)}.{index + 1}"
    refused = check_change(cycle, objective, ref, "replaced", on, forced)
    if refused:
        raise ChangeRefused(refused)
    history = old.history + _logged(cycle, on, "replaced", reason, forced, old.title)
    objective.key_results[index] = replace(new, history=history, id=old.id)
    return objective.key_results[index]
