"""Health: maintain key results against their threshold, the others paced to their own due date; attention."""

from datetime import date, timedelta

import pytest

from addon.domain.method.health import (
    AT_RISK_GAP,
    OFF_TRACK_GAP,
    Health,
    elapsed_share,
    expected_score,
    kr_health,
)
from addon.domain.method.model import Cycle, KeyResult, KRKind, Objective, ObjectiveType

START, END = date(2025, 1, 1), date(2025, 3, 31)


def kr(kind=KRKind.INCREASE, **fields):
    return KeyResult("Result", kind=kind, **fields)


# Health ---------------------------------------------------------------------------------------------------

TEN_DAYS = Cycle("Sprint", date(2025, 1, 1), date(2025, 1, 11))


def on_day(n):
    return date(2025, 1, 1) + timedelta(days=n)


def health(kind, score, today, cycle=TEN_DAYS):
    return kr_health(cycle, Objective("Goal", kind), kr(manual_score=score), today)


@pytest.mark.parametrize(
    "today, share", [(date(2024, 12, 1), 0.0), (on_day(0), 0.0), (on_day(5), 0.5), (on_day(10), 1.0), (on_day(40), 1.0)]
)
def test_elapsed_share_is_clamped_to_the_cycle(today, share):
    assert elapsed_share(TEN_DAYS, today) == share


def test_expected_score_is_pace_times_the_lowest_good_score_of_the_type():
    assert expected_score(TEN_DAYS, ObjectiveType.COMMITMENT, on_day(5)) == 0.5
    assert expected_score(TEN_DAYS, ObjectiveType.INSPIRATIONAL, on_day(5)) == 0.25
    assert expected_score(TEN_DAYS, ObjectiveType.LEARNING, on_day(5)) == pytest.approx(0.15)
    assert expected_score(TEN_DAYS, None, on_day(5)) == 0.5  # untyped counts as a commitment


def test_learning_objective_at_point_four_mid_cycle_is_on_track():
    mid = START + (END - START) / 2
    quarter = Cycle("Q1", START, END)
    assert health(ObjectiveType.LEARNING, 0.4, mid, quarter) is Health.ON_TRACK


def test_commitment_at_point_two_mid_cycle_is_off_track():
    mid = START + (END - START) / 2
    quarter = Cycle("Q1", START, END)
    assert health(ObjectiveType.COMMITMENT, 0.2, mid, quarter) is Health.OFF_TRACK


@pytest.mark.parametrize(
    "score, expected",
    [
        (0.8, Health.ON_TRACK),
        (0.7, Health.ON_TRACK),  # gap exactly AT_RISK_GAP is still on track
        (0.69, Health.AT_RISK),
        (0.55, Health.AT_RISK),  # gap exactly OFF_TRACK_GAP is still at risk
        (0.54, Health.OFF_TRACK),
        (0.0, Health.OFF_TRACK),
    ],
)
def test_health_boundaries_at_eight_tenths_of_the_cycle(score, expected):
    assert (AT_RISK_GAP, OFF_TRACK_GAP) == (-0.10, -0.25)
    assert health(ObjectiveType.COMMITMENT, score, on_day(8)) is expected


@pytest.mark.parametrize("day", range(11))
def test_gap_of_exactly_at_risk_gap_is_on_track_every_day(day):
    score = max(0.0, round(day / 10 + AT_RISK_GAP, 2))
    assert health(ObjectiveType.COMMITMENT, score, on_day(day)) is Health.ON_TRACK


def test_everything_is_on_track_on_the_first_day():
    assert health(ObjectiveType.COMMITMENT, 0.0, on_day(0)) is Health.ON_TRACK


def test_zero_length_cycle_counts_as_fully_elapsed():
    assert elapsed_share(Cycle("Bad", START, START), START) == 1.0
