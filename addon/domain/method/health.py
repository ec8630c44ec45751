"""Health of key results while a cycle is tracked, and the attention list: what a team should look at now.

A maintain key result is in or out of its threshold now; it is never paced. Every other key result is paced to
its own due date (the cycle's end when it has none): by the due date it should have reached the lowest score its
objective type expects. A confidence below 0.5 puts a key result on the attention list whatever its pace.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from addon.domain.method.model import CheckIn, Cycle, KeyResult, KRKind, Objective, ObjectiveType
from addon.domain.method.scoring import SCORE_BANDS, clamp, kr_progress, kr_score, maintain_range, within_threshold


class Health(enum.StrEnum):
    """How a key result is doing: against its threshold (maintain) or the pace its due date asks for."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


# Gap (score minus expected score) below which a key result is at risk / off track.
AT_RISK_GAP = -0.10
OFF_TRACK_GAP = -0.25
# A confidence below this joins the attention list (peers flag "low" confidence the same way).
LOW_CONFIDENCE = 0.5


def elapsed_share(cycle: Cycle, today: date, due: date | None = None) -> float:
    """Return the share, 0..1, of the time from the cycle's start to a due date (default: its end) elapsed."""
    end = due or cycle.end
    length = (end - cycle.start).days
    if length <= 0:
        return 1.0
    return clamp((today - cycle.start).days / length)


def expected_score(cycle: Cycle, objective_type: ObjectiveType | None, today: date, due: date | None = None) -> float:
    """Return the score a key result should have reached by today: pace to its due date times the type's lowest good
    score.

    A learning objective is expected to land at 0.3 or more, so 0.4 half-way is comfortably on track, while a
    commitment should be half done by then.
    """
    low = SCORE_BANDS[objective_type or ObjectiveType.COMMITMENT][0]
    return elapsed_share(cycle, today, due) * low


def threshold_text(kr: KeyResult) -> str:
    """Return a maintain key result's threshold in words: `>= 99.5`, `<= 25` or `between 8 and 10`."""
    bounds = maintain_range(kr)
    if bounds is None:
        return "no threshold"
    low, high = bounds
    if high == float("inf"):
        return f">= {low:g}"
    if low == float("-inf"):
        return f"<= {high:g}"
    return f"between {low:g} and {high:g}"


@dataclass(frozen=True)
class Assessment:
    """What one key result's numbers say now: progress, capped score, confidence, health and why."""

    ref: str
    progress: float
    score: float
    confidence: float | None
    health: Health
    reasons: tuple[str, ...] = ()
    breach: str | None = None  # a maintain key result's threshold breach at the latest check-in

    @property
    def low_confidence(self) -> bool:
        """Whether the owner's confidence is below LOW_CONFIDENCE."""
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE

    @property
    def attention(self) -> bool:
        """Whether the key result belongs on the attention list."""
        return self.health is not Health.ON_TRACK or self.low_confidence or self.breach is not None


def latest_breach(cycle: Cycle, ref: str, kr: KeyResult) -> str | None:
    """Say when a maintain key result was outside its threshold at the latest check-in that recorded it."""
    recorded: list[tuple[CheckIn, float | None]] = [
        (checkin, snap.value)
        for checkin in sorted(cycle.checkins, key=lambda c: c.number)
        for snap in checkin.snapshots
        if snap.ref == ref
    ]
    if not recorded:
        return None
    checkin, value = recorded[-1]
    if within_threshold(kr, value) is False:
        return f"outside {threshold_text(kr)} at check-in {checkin.number} ({checkin.on}): {value:g}"
    return None


def _maintain_health(kr: KeyResult) -> tuple[Health, list[str]]:
    inside = within_threshold(kr, kr.current)
    if inside is None:
        if maintain_range(kr) is None:
            return Health.AT_RISK, ["no threshold to judge the current value against"]
        return Health.AT_RISK, [f"no current value to judge against {threshold_text(kr)}"]
    if not inside:
        return Health.OFF_TRACK, [f"{kr.current:g} is outside {threshold_text(kr)}"]
    return Health.ON_TRACK, []


def _paced_health(cycle: Cycle, objective: Objective, kr: KeyResult, today: date) -> tuple[Health, list[str]]:
    expected = expected_score(cycle, objective.type, today, kr.due)
    score = kr_score(kr)
    # Rounded so that a gap of exactly AT_RISK_GAP / OFF_TRACK_GAP (e.g. 0.7 - 0.8) is not pushed over the
    # boundary by float error.
    gap = round(score - expected, 9)
    if gap >= AT_RISK_GAP:
        return Health.ON_TRACK, []
    health = Health.AT_RISK if gap >= OFF_TRACK_GAP else Health.OFF_TRACK
    due = kr.due or cycle.end
    return health, [f"score {score:.2f} behind the {expected:.2f} expected by {today} (due {due})"]


def assess(cycle: Cycle, objective: Objective, kr: KeyResult, today: date, ref: str = "") -> Assessment:
    """Return a key result's assessment on a day; with its ref, a breach at the latest check-in is noted."""
    if kr.kind is KRKind.MAINTAIN:
        health, reasons = _maintain_health(kr)
        breach = latest_breach(cycle, ref, kr) if ref else None
    else:
        health, reasons = _paced_health(cycle, objective, kr, today)
        breach = None
    if breach:
        reasons.append(breach)
    if kr.confidence is not None and kr.confidence < LOW_CONFIDENCE:
        reasons.append(f"confidence {kr.confidence:.0%} is below {LOW_CONFIDENCE:.0%}")
    return Assessment(ref, kr_progress(kr), kr_score(kr), kr.confidence, health, tuple(reasons), breach)


def kr_health(cycle: Cycle, objective: Objective, kr: KeyResult, today: date) -> Health:
    """Return a key result's health on a day (see the module's rules)."""
    return assess(cycle, objective, kr, today).health


def assess_cycle(cycle: Cycle, today: date) -> dict[str, Assessment]:
    """Return every key result's assessment by ref (KR2.3), in board order."""
    return {
        ref: assess(cycle, objective, kr, today, ref) for ref, (objective, kr) in cycle.key_results_by_ref().items()
    }


def attention_list(cycle: Cycle, today: date) -> list[Assessment]:
    """Return the key results a team should look at now: not on track, low confidence, or a recent breach."""
    return [a for a in assess_cycle(cycle, today).values() if a.attention]
