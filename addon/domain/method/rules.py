"""The GTM OKR method's rules M1..M12 as findings with a stable id, a severity and the ref they concern."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from addon.domain.method.model import (
    Cycle,
    CycleStatus,
    IdeaStatus,
    KeyResult,
    KRKind,
    Level,
    Objective,
    Quadrant,
)
from addon.domain.method.scoring import BandVerdict, MaintainForm, band_verdict, maintain_form, objective_score


class Severity(enum.StrEnum):
    """How much a finding matters: an error blocks an action, a warning is shown, info informs."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One rule finding about a cycle, an objective (O2) or a key result (KR2.3)."""

    rule: str
    severity: Severity
    ref: str
    message: str

    def as_dict(self) -> dict:
        """Return the finding as plain JSON-ready values."""
        return {"rule": self.rule, "severity": str(self.severity), "ref": self.ref, "message": self.message}


MIN_OBJECTIVES, MAX_OBJECTIVES = 3, 5
MIN_KEY_RESULTS, MAX_KEY_RESULTS = 3, 5
MAX_CYCLE_MONTHS = 3
CYCLE_REF = "cycle"

# "number 1", "#1", "n°1", "nº 1", "no. 1", "numéro 1", "No1", "No 1": rank phrases that state no target
# (rule M3). A bare "no" before a number other than 1 is a quantity ("no 5 outages"), so it still counts.
RANK_PHRASE = re.compile(
    r"(#\s*\d+|\bn[°º]\s*\d+|\bno\.\s*\d+\b|\bno\s*1\b|\bnumber\s+\d+|\bnum[ée]ro\s+\d+)", re.IGNORECASE
)


def add_months(day: date, months: int) -> date:
    """Return the same day some months later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def check_period(cycle: Cycle) -> list[Finding]:
    """M1: a cycle lasts at most three months and ends after it starts."""
    if cycle.end <= cycle.start:
        return [
            Finding(
                "M1", Severity.ERROR, CYCLE_REF, f"The cycle ends ({cycle.end}) on or before it starts ({cycle.start})."
            )
        ]
    # Jan 1 may run to Mar 31; ending on Apr 1 is one day over three months.
    if cycle.end >= add_months(cycle.start, MAX_CYCLE_MONTHS):
        return [
            Finding(
                "M1",
                Severity.WARNING,
                CYCLE_REF,
                f"The cycle runs from {cycle.start} to {cycle.end}, longer than "
                f"{MAX_CYCLE_MONTHS} months; the method works in quarters or shorter.",
            )
        ]
    return []


def check_objective_count(cycle: Cycle) -> list[Finding]:
    """M2: three to five objectives per cycle and level."""
    count = len(cycle.objectives)
    if MIN_OBJECTIVES <= count <= MAX_OBJECTIVES:
        return []
    return [
        Finding(
            "M2",
            Severity.WARNING,
            CYCLE_REF,
            f"The cycle has {count} objectives; the method asks for {MIN_OBJECTIVES} to {MAX_OBJECTIVES}.",
        )
    ]


def states_a_number(title: str) -> bool:
    """Return whether an objective title contains digits other than a rank phrase."""
    return any(ch.isdigit() for ch in RANK_PHRASE.sub("", title))


def check_objective(ref: str, objective: Objective) -> list[Finding]:
    """M3, M4 and M5 for one objective."""
    findings = []
    if states_a_number(objective.title):
        findings.append(
            Finding(
                "M3",
                Severity.WARNING,
                ref,
                f"Objective '{objective.title}' states a number; keep numbers in its key results.",
            )
        )
    if not (objective.owner or "").strip():
        findings.append(Finding("M4", Severity.ERROR, ref, "The objective has no owner."))
    if objective.type is None:
        findings.append(
            Finding("M4", Severity.ERROR, ref, "The objective has no type (commitment, inspirational or learning).")
        )
    count = len(objective.key_results)
    if count == 0:
        findings.append(Finding("M5", Severity.ERROR, ref, "The objective has no key results."))
    elif not MIN_KEY_RESULTS <= count <= MAX_KEY_RESULTS:
        findings.append(
            Finding(
                "M5",
                Severity.WARNING,
                ref,
                f"The objective has {count} key results; the method asks for {MIN_KEY_RESULTS} to {MAX_KEY_RESULTS}.",
            )
        )
    return findings


def measurability_problem(kr: KeyResult) -> str | None:
    """Return why a key result cannot be partly done, or None when it is measurable (M6)."""
    if kr.kind is KRKind.MILESTONE:
        return None
    if kr.kind is KRKind.MAINTAIN:
        return maintain_problem(kr)
    if kr.at_least is not None or kr.at_most is not None:
        return f"is an {kr.kind} key result but states a maintain threshold (at_least / at_most); use kind maintain"
    if kr.target is None:
        return "has no numeric target"
    if kr.target == kr.start:
        return f"has a target ({kr.target:g}) equal to its start value"
    if kr.kind is KRKind.INCREASE and kr.target < kr.start:
        return f"is an increase but its target ({kr.target:g}) is below its start ({kr.start:g})"
    if kr.kind is KRKind.DECREASE and kr.target > kr.start:
        return f"is a decrease but its target ({kr.target:g}) is above its start ({kr.start:g})"
    return None


def maintain_problem(kr: KeyResult) -> str | None:
    """Return why a maintain key result's threshold is unclear, or None when it states one (M6)."""
    form = maintain_form(kr)
    if form is None:
        return "is a maintain key result without a threshold (give at_least, at_most or between)"
    if form is MaintainForm.START_TARGET:
        low, high = sorted((kr.start, kr.target))
        # Peers read maintain as one-sided (stay above / stay below) or an explicit range; start/target says
        # neither, so ask. Until answered it is read as the range between them, as it always was.
        return (
            f"keeps a value with start {kr.start:g} and target {kr.target:g}: say which is meant, "
            f"at_least: {low:g}, at_most: {high:g} or between: [{low:g}, {high:g}] "
            f"(it is read as between {low:g} and {high:g} until then)"
        )
    if form is MaintainForm.BETWEEN and kr.at_least > kr.at_most:
        return f"keeps a value between {kr.at_least:g} and {kr.at_most:g}, but the lower bound is above the upper"
    return None


def check_key_result(ref: str, kr: KeyResult, cycle: Cycle) -> list[Finding]:
    """M6 and M7 for one key result."""
    findings = []
    problem = measurability_problem(kr)
    if problem:
        findings.append(Finding("M6", Severity.ERROR, ref, f"Key result '{kr.title}' {problem}."))
    if not (kr.owner or "").strip():
        findings.append(Finding("M7", Severity.ERROR, ref, f"Key result '{kr.title}' has no owner."))
    if kr.due is None:
        findings.append(Finding("M7", Severity.ERROR, ref, f"Key result '{kr.title}' has no deadline."))
    elif kr.due > cycle.end:
        findings.append(
            Finding(
                "M7",
                Severity.ERROR,
                ref,
                f"Key result '{kr.title}' is due {kr.due}, after the cycle ends ({cycle.end}).",
            )
        )
    return findings


def check_checkins(cycle: Cycle, today: date | None) -> list[Finding]:
    """M8: six check-ins; one whose date has passed without being recorded is missed."""
    findings = []
    if len(cycle.checkin_dates) != 6:
        findings.append(
            Finding(
                "M8",
                Severity.WARNING,
                CYCLE_REF,
                f"The cycle plans {len(cycle.checkin_dates)} check-ins; the method asks for 6.",
            )
        )
    if today is None or cycle.status is not CycleStatus.TRACKING:
        return findings
    done = {checkin.number for checkin in cycle.checkins}
    for number, due in enumerate(cycle.checkin_dates, start=1):
        if due < today and number not in done:
            findings.append(
                Finding(
                    "M8", Severity.WARNING, f"checkin{number}", f"Check-in {number} was due on {due} and is missed."
                )
            )
    upcoming = [(n, d) for n, d in enumerate(cycle.checkin_dates, start=1) if d >= today and n not in done]
    if upcoming:
        number, due = upcoming[0]
        findings.append(Finding("M8", Severity.INFO, f"checkin{number}", f"Next check-in: {number} on {due}."))
    return findings


def check_forced_changes(ref: str, kr: KeyResult, what: str = "Key result") -> list[Finding]:
    """M9: key results (or objectives, `what`) added, replaced or removed after mid-cycle are flagged."""
    return [
        Finding(
            "M9",
            Severity.WARNING,
            ref,
            f"{what} {change.action} on {change.on} after mid-cycle (forced): {change.reason}",
        )
        for change in kr.history
        if change.forced
    ]


def check_final_scores(ref: str, objective: Objective, cycle: Cycle) -> list[Finding]:
    """M10: a closed cycle's objective scores against the band their type expects."""
    score = objective_score(objective)
    if cycle.status is not CycleStatus.CLOSED or score is None or objective.type is None:
        return []
    verdict = band_verdict(score, objective.type)
    if verdict is BandVerdict.IN:
        return []
    return [
        Finding(
            "M10",
            Severity.INFO,
            ref,
            f"Final score {score:.2f} is {verdict} the band expected of a {objective.type} objective.",
        )
    ]


def check_ideas(ref: str, kr: KeyResult) -> list[Finding]:
    """M11: an idea with low impact and high effort that is in progress is flagged."""
    return [
        Finding(
            "M11",
            Severity.WARNING,
            ref,
            f"Idea '{idea.text}' is in progress but sits in low impact / high effort; avoid it.",
        )
        for idea in kr.ideas
        if idea.quadrant is Quadrant.MONEY_PIT and idea.status is IdeaStatus.IN_PROGRESS
    ]


def check_alignment(cycle: Cycle, parent: Cycle | None) -> list[Finding]:
    """M12: team objectives link to an objective of the company cycle of the same period."""
    if cycle.level is not Level.TEAM:
        return []
    if parent is None:
        return [Finding("M12", Severity.WARNING, CYCLE_REF, "The team cycle is not linked to a company cycle.")]
    findings = []
    if (parent.start, parent.end) != (cycle.start, cycle.end):
        findings.append(
            Finding(
                "M12",
                Severity.WARNING,
                CYCLE_REF,
                f"The team cycle ({cycle.start} to {cycle.end}) does not share the company "
                f"cycle's period ({parent.start} to {parent.end}).",
            )
        )
    parent_refs = {f"O{n}" for n in range(1, len(parent.objectives) + 1)}
    for index, objective in enumerate(cycle.objectives, start=1):
        if not objective.aligned_to:
            findings.append(
                Finding("M12", Severity.WARNING, f"O{index}", "The objective is not aligned to a company objective.")
            )
        elif objective.aligned_to not in parent_refs:
            findings.append(
                Finding(
                    "M12",
                    Severity.WARNING,
                    f"O{index}",
                    f"The objective is aligned to {objective.aligned_to}, which the company cycle does not have.",
                )
            )
    return findings


def check_cycle(cycle: Cycle, *, parent: Cycle | None = None, today: date | None = None) -> list[Finding]:
    """Return every rule finding about a cycle, cycle-wide first, then in board order."""
    findings = check_period(cycle) + check_objective_count(cycle) + check_checkins(cycle, today)
    findings += check_alignment(cycle, parent)
    for o_index, objective in enumerate(cycle.objectives, start=1):
        o_ref = f"O{o_index}"
        findings += check_objective(o_ref, objective)
        findings += check_forced_changes(o_ref, objective, "Objective")
        for removed in objective.removed:  # a forced removal stays flagged after the key result is gone
            findings += check_forced_changes(f"KR{o_index}.{removed.number}", removed)
        findings += check_final_scores(o_ref, objective, cycle)
        for k_index, kr in objective.numbered():
            kr_ref = f"KR{o_index}.{k_index}"
            findings += check_key_result(kr_ref, kr, cycle)
            findings += check_forced_changes(kr_ref, kr)
            findings += check_ideas(kr_ref, kr)
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    """Return the findings that block an action."""
    return [f for f in findings if f.severity is Severity.ERROR]
