"""The GTM OKR method's rules M1..M12 as findings with a stable id, a severity and the ref they concern."""

from __future__ import annotations

import re
from datetime import date

from addon.domain.method.findings import Finding, Severity, errors, finding
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

__all__ = ["CYCLE_REF", "Finding", "Severity", "check_cycle", "errors", "finding"]


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
        return [finding("M1", Severity.ERROR, CYCLE_REF, "M1.ends_before_start", start=cycle.start, end=cycle.end)]
    # Jan 1 may run to Mar 31; ending on Apr 1 is one day over three months.
    if cycle.end >= add_months(cycle.start, MAX_CYCLE_MONTHS):
        params = {"start": cycle.start, "end": cycle.end, "months": MAX_CYCLE_MONTHS}
        return [finding("M1", Severity.WARNING, CYCLE_REF, "M1.too_long", **params)]
    return []


def check_objective_count(cycle: Cycle) -> list[Finding]:
    """M2: three to five objectives per cycle and level."""
    count = len(cycle.objectives)
    if MIN_OBJECTIVES <= count <= MAX_OBJECTIVES:
        return []
    params = {"count": count, "low": MIN_OBJECTIVES, "high": MAX_OBJECTIVES}
    return [finding("M2", Severity.WARNING, CYCLE_REF, "M2.count", **params)]


def states_a_number(title: str) -> bool:
    """Return whether an objective title contains digits other than a rank phrase."""
    return any(ch.isdigit() for ch in RANK_PHRASE.sub("", title))


def check_objective(ref: str, objective: Objective) -> list[Finding]:
    """M3, M4 and M5 for one objective."""
    findings = []
    if states_a_number(objective.title):
        findings.append(finding("M3", Severity.WARNING, ref, "M3.states_a_number", title=objective.title))
    if not (objective.owner or "").strip():
        findings.append(finding("M4", Severity.ERROR, ref, "M4.no_owner"))
    if objective.type is None:
        findings.append(finding("M4", Severity.ERROR, ref, "M4.no_type"))
    count = len(objective.key_results)
    if count == 0:
        findings.append(finding("M5", Severity.ERROR, ref, "M5.none"))
    elif not MIN_KEY_RESULTS <= count <= MAX_KEY_RESULTS:
        params = {"count": count, "low": MIN_KEY_RESULTS, "high": MAX_KEY_RESULTS}
        findings.append(finding("M5", Severity.WARNING, ref, "M5.count", **params))
    return findings


def measurability_problem(kr: KeyResult) -> tuple[str, dict] | None:
    """Return why a key result cannot be partly done (a message key and its values), or None when it is
    measurable (M6)."""
    if kr.kind is KRKind.MILESTONE:
        return None
    if kr.kind is KRKind.MAINTAIN:
        return maintain_problem(kr)
    if kr.at_least is not None or kr.at_most is not None:
        return "M6.threshold_on_other_kind", {"kind": str(kr.kind)}
    if kr.target is None:
        return "M6.no_target", {}
    values = {"start": kr.start, "target": kr.target}
    if kr.target == kr.start:
        return "M6.target_is_start", {"target": kr.target}
    if kr.kind is KRKind.INCREASE and kr.target < kr.start:
        return "M6.increase_below_start", values
    if kr.kind is KRKind.DECREASE and kr.target > kr.start:
        return "M6.decrease_above_start", values
    return None


def maintain_problem(kr: KeyResult) -> tuple[str, dict] | None:
    """Return why a maintain key result's threshold is unclear, or None when it states one (M6)."""
    form = maintain_form(kr)
    if form is None:
        return "M6.maintain_without_threshold", {}
    if form is MaintainForm.START_TARGET:
        low, high = sorted((kr.start, kr.target))
        # Peers read maintain as one-sided (stay above / stay below) or an explicit range; start/target says
        # neither, so ask. Until answered it is read as the range between them, as it always was.
        return "M6.maintain_start_target", {"start": kr.start, "target": kr.target, "low": low, "high": high}
    if form is MaintainForm.BETWEEN and kr.at_least > kr.at_most:
        return "M6.maintain_bounds_inverted", {"low": kr.at_least, "high": kr.at_most}
    return None


def check_key_result(ref: str, kr: KeyResult, cycle: Cycle) -> list[Finding]:
    """M6 and M7 for one key result."""
    findings = []
    problem = measurability_problem(kr)
    if problem:
        key, params = problem
        findings.append(finding("M6", Severity.ERROR, ref, key, title=kr.title, **params))
    if not (kr.owner or "").strip():
        findings.append(finding("M7", Severity.ERROR, ref, "M7.no_owner", title=kr.title))
    if kr.due is None:
        findings.append(finding("M7", Severity.ERROR, ref, "M7.no_deadline", title=kr.title))
    elif kr.due > cycle.end:
        findings.append(
            finding("M7", Severity.ERROR, ref, "M7.due_after_end", title=kr.title, due=kr.due, end=cycle.end)
        )
    return findings


def check_checkins(cycle: Cycle, today: date | None) -> list[Finding]:
    """M8: six check-ins; one whose date has passed without being recorded is missed."""
    findings = []
    if len(cycle.checkin_dates) != 6:
        findings.append(finding("M8", Severity.WARNING, CYCLE_REF, "M8.count", count=len(cycle.checkin_dates)))
    if today is None or cycle.status is not CycleStatus.TRACKING:
        return findings
    done = {checkin.number for checkin in cycle.checkins}
    for number, due in enumerate(cycle.checkin_dates, start=1):
        if due < today and number not in done:
            findings.append(finding("M8", Severity.WARNING, f"checkin{number}", "M8.missed", number=number, due=due))
    upcoming = [(n, d) for n, d in enumerate(cycle.checkin_dates, start=1) if d >= today and n not in done]
    if upcoming:
        number, due = upcoming[0]
        findings.append(finding("M8", Severity.INFO, f"checkin{number}", "M8.next", number=number, due=due))
    return findings


def check_forced_changes(ref: str, kr: KeyResult, what: str = "Key result") -> list[Finding]:
    """M9: key results (or objectives, `what`) added, replaced or removed after mid-cycle are flagged."""
    prefix = "objective_" if what == "Objective" else ""
    return [
        finding("M9", Severity.WARNING, ref, f"M9.{prefix}forced_{change.action}", on=change.on, reason=change.reason)
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
    return [finding("M10", Severity.INFO, ref, f"M10.{verdict}", score=score, type=str(objective.type))]


def check_ideas(ref: str, kr: KeyResult) -> list[Finding]:
    """M11: an idea with low impact and high effort that is in progress is flagged."""
    return [
        finding("M11", Severity.WARNING, ref, "M11.money_pit_in_progress", idea=idea.text)
        for idea in kr.ideas
        if idea.quadrant is Quadrant.MONEY_PIT and idea.status is IdeaStatus.IN_PROGRESS
    ]


def check_alignment(cycle: Cycle, parent: Cycle | None) -> list[Finding]:
    """M12: team objectives link to an objective of the company cycle of the same period."""
    if cycle.level is not Level.TEAM:
        return []
    if parent is None:
        return [finding("M12", Severity.WARNING, CYCLE_REF, "M12.no_company_cycle")]
    findings = []
    if (parent.start, parent.end) != (cycle.start, cycle.end):
        period = {"start": cycle.start, "end": cycle.end, "parent_start": parent.start, "parent_end": parent.end}
        findings.append(finding("M12", Severity.WARNING, CYCLE_REF, "M12.other_period", **period))
    parent_refs = {f"O{n}" for n in range(1, len(parent.objectives) + 1)}
    for index, objective in enumerate(cycle.objectives, start=1):
        if not objective.aligned_to:
            findings.append(finding("M12", Severity.WARNING, f"O{index}", "M12.not_aligned"))
        elif objective.aligned_to not in parent_refs:
            unknown = objective.aligned_to
            findings.append(finding("M12", Severity.WARNING, f"O{index}", "M12.unknown_parent", parent=unknown))
    return findings


def check_cycle(cycle: Cycle, *, parent: Cycle | None = None, today: date | None = None) -> list[Finding]:
    """Return every rule finding about a cycle, cycle-wide first, then in board order, in the cycle's language."""
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
    return [f.in_language(cycle.language) for f in findings]
