"""Key-result progress, objective scores, expected bands per objective type, and health against pace."""

from __future__ import annotations

import enum
import math
from datetime import date

from addon.domain.method.model import Cycle, KeyResult, KRKind, Objective, ObjectiveType

# Expected final score per objective type (method rule M10, from the GTM Strategist template).
SCORE_BANDS: dict[ObjectiveType, tuple[float, float]] = {
    ObjectiveType.COMMITMENT: (1.0, 1.0),
    ObjectiveType.INSPIRATIONAL: (0.5, 0.7),
    ObjectiveType.LEARNING: (0.3, 0.8),
}


def clamp(value: float) -> float:
    """Clamp a progress value to 0..1; NaN (e.g. a manual score typed as "nan") counts as no progress."""
    if math.isnan(value):
        return 0.0
    return max(0.0, min(1.0, value))


def computed_progress(kr: KeyResult) -> float:
    """Return a key result's progress from its values alone (0 when it has no current value)."""
    if kr.current is None:
        return 0.0
    current = kr.current
    if kr.kind is KRKind.MILESTONE:
        target = kr.target if kr.target is not None else 1.0
        return 1.0 if current >= target else 0.0
    if kr.target is None:
        return 0.0
    if kr.kind is KRKind.MAINTAIN:
        # The band to keep the value in is [start, target] (either order).
        low, high = sorted((kr.start, kr.target))
        return 1.0 if low <= current <= high else 0.0
    if kr.target == kr.start:
        # A target equal to the baseline measures nothing (caught by rule M6).
        return 0.0
    if kr.kind is KRKind.DECREASE:
        return clamp((kr.start - current) / (kr.start - kr.target))
    return clamp((current - kr.start) / (kr.target - kr.start))


def kr_score(kr: KeyResult) -> float:
    """Return the score of a key result: a manual score typed by the team wins over the computed one."""
    if kr.manual_score is not None:
        return clamp(kr.manual_score)
    return computed_progress(kr)


def objective_score(objective: Objective) -> float | None:
    """Return the weighted mean of an objective's key-result scores, or None without key results.

    A negative weight counts as 0, so the mean stays within 0..1.
    """
    weights = [max(0.0, kr.weight) for kr in objective.key_results]
    total_weight = sum(weights)
    if not objective.key_results or total_weight <= 0:
        return None
    return sum(kr_score(kr) * w for kr, w in zip(objective.key_results, weights, strict=True)) / total_weight


def cycle_score(cycle: Cycle) -> float | None:
    """Return the mean of the cycle's objective scores, or None when no objective has one."""
    scores = [s for s in (objective_score(o) for o in cycle.objectives) if s is not None]
    return sum(scores) / len(scores) if scores else None


class BandVerdict(enum.StrEnum):
    """Where a final score stands against the band its objective type expects."""

    BELOW = "below"
    IN = "in"
    ABOVE = "above"


def band_verdict(score: float, objective_type: ObjectiveType) -> BandVerdict:
    """Compare a final score with the expected band of its objective type (rule M10)."""
    low, high = SCORE_BANDS[objective_type]
    rounded = round(score, 2)
    if rounded < low:
        return BandVerdict.BELOW
    if rounded > high:
        return BandVerdict.ABOVE
    return BandVerdict.IN


class Health(enum.StrEnum):
    """How a key result is doing against the pace the cycle's elapsed time asks for."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


# Gap (score minus expected score) below which a key result is at risk / off track.
AT_RISK_GAP = -0.10
OFF_TRACK_GAP = -0.25


def elapsed_share(cycle: Cycle, today: date) -> float:
    """Return the share of the cycle elapsed on a day, 0..1."""
    length = (cycle.end - cycle.start).days
    if length <= 0:
        return 1.0
    return clamp((today - cycle.start).days / length)


def expected_score(cycle: Cycle, objective_type: ObjectiveType | None, today: date) -> float:
    """Return the score a key result should have reached by today: pace times the type's lowest good score.

    A learning objective is expected to land at 0.3 or more, so 0.4 at mid-cycle is comfortably on track,
    while a commitment should be half done by then.
    """
    low = SCORE_BANDS[objective_type or ObjectiveType.COMMITMENT][0]
    return elapsed_share(cycle, today) * low


def kr_health(cycle: Cycle, objective: Objective, kr: KeyResult, today: date) -> Health:
    """Return a key result's health from the gap between its score and the expected score."""
    # Rounded so that a gap of exactly AT_RISK_GAP / OFF_TRACK_GAP (e.g. 0.7 - 0.8) is not pushed
    # over the boundary by float error.
    gap = round(kr_score(kr) - expected_score(cycle, objective.type, today), 9)
    if gap >= AT_RISK_GAP:
        return Health.ON_TRACK
    if gap >= OFF_TRACK_GAP:
        return Health.AT_RISK
    return Health.OFF_TRACK
