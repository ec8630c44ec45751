"""Key-result progress (maintain thresholds, over-achievement), capped scores, roll-ups and expected bands."""

from __future__ import annotations

import enum
import math

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


class MaintainForm(enum.StrEnum):
    """How a maintain key result states the values it must stay within."""

    AT_LEAST = "at_least"  # stay at or above a floor (uptime >= 99.5 %)
    AT_MOST = "at_most"  # stay at or below a ceiling (churn <= 25)
    BETWEEN = "between"  # stay within a closed range (latency 8 to 10 ms)
    START_TARGET = "start_target"  # the old form: start and target, read as the range between them (rule M6 asks)


def maintain_form(kr: KeyResult) -> MaintainForm | None:
    """Return how a maintain key result states its threshold, or None when it states none."""
    if kr.at_least is not None and kr.at_most is not None:
        return MaintainForm.BETWEEN
    if kr.at_least is not None:
        return MaintainForm.AT_LEAST
    if kr.at_most is not None:
        return MaintainForm.AT_MOST
    if kr.target is not None:
        return MaintainForm.START_TARGET
    return None


def maintain_range(kr: KeyResult) -> tuple[float, float] | None:
    """Return the closed range (low, high) a maintain key result keeps to; an open side is infinite."""
    form = maintain_form(kr)
    if form is None:
        return None
    if form is MaintainForm.START_TARGET:
        low, high = sorted((kr.start, kr.target))
        return low, high
    low = kr.at_least if kr.at_least is not None else -math.inf
    high = kr.at_most if kr.at_most is not None else math.inf
    return low, high


def within_threshold(kr: KeyResult, value: float | None) -> bool | None:
    """Return whether a value keeps a maintain key result's threshold (None without a value or threshold)."""
    bounds = maintain_range(kr)
    if value is None or bounds is None or math.isnan(value):
        return None
    return bounds[0] <= value <= bounds[1]


def raw_progress(kr: KeyResult) -> float:
    """Return a key result's progress from its values alone, not capped above (1.25 is 125 % of the target).

    Progress never goes below 0; a maintain key result and a milestone are 1 or 0.
    """
    if kr.current is None or math.isnan(kr.current):
        return 0.0
    current = kr.current
    if kr.kind is KRKind.MILESTONE:
        target = kr.target if kr.target is not None else 1.0
        return 1.0 if current >= target else 0.0
    if kr.kind is KRKind.MAINTAIN:
        return 1.0 if within_threshold(kr, current) else 0.0
    if kr.target is None or kr.target == kr.start:
        # No target, or a target equal to the baseline, measures nothing (caught by rule M6).
        return 0.0
    if kr.kind is KRKind.DECREASE:
        share = (kr.start - current) / (kr.start - kr.target)
    else:
        share = (current - kr.start) / (kr.target - kr.start)
    return 0.0 if math.isnan(share) else max(0.0, share)


def computed_progress(kr: KeyResult) -> float:
    """Return a key result's progress from its values alone, capped to 0..1 (0 without a current value)."""
    return clamp(raw_progress(kr))


def kr_progress(kr: KeyResult) -> float:
    """Return the progress a key result shows: beyond 1.0 when it passed its target; a manual score caps at 1."""
    if kr.manual_score is not None:
        return clamp(kr.manual_score)
    return raw_progress(kr)


def kr_score(kr: KeyResult) -> float:
    """Return the score of a key result, 0..1: a manual score typed by the team wins over the computed one."""
    return clamp(kr_progress(kr))


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
