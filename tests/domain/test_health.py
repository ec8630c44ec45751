"""Health: maintain key results against their threshold, the others paced to their own due date; attention."""

from datetime import date, timedelta

import pytest

from addon.domain.method.health import (
    AT_RISK_GAP,
    OFF_TRACK_GAP,
    Health,
    assess,
    attention_list,
    elapsed_share,
    expected_score,
    kr_health,
)
from addon.domain.method.model import CheckIn, Cycle, KeyResult, KRKind, KRSnapshot, KRStatus, Objective, ObjectiveType

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


# Maintain: in or out now, never paced ------------------------------------------------------------------

LEARNING = Objective("Learn", ObjectiveType.LEARNING, "Ana")
QUARTER = Cycle("Q1", START, END)


def uptime(current, **fields):
    return kr(KRKind.MAINTAIN, current=current, **{"at_least": 99.5, **fields})


@pytest.mark.parametrize("day", [START, START + timedelta(days=20), date(2025, 2, 15), END])
def test_a_breached_threshold_is_off_track_from_the_first_day(day):
    # Paced, 0.0 on a learning objective read on track for the first third of the cycle.
    assert kr_health(QUARTER, LEARNING, uptime(99.0), day) is Health.OFF_TRACK


@pytest.mark.parametrize("day", [START, date(2025, 2, 15), END])
def test_a_kept_threshold_is_on_track_any_day(day):
    assert kr_health(QUARTER, LEARNING, uptime(99.7), day) is Health.ON_TRACK


@pytest.mark.parametrize(
    "fields, current, expected",
    [
        ({"at_least": None, "at_most": 25}, 24, Health.ON_TRACK),
        ({"at_least": None, "at_most": 25}, 27, Health.OFF_TRACK),
        ({"at_least": 8, "at_most": 10}, 10, Health.ON_TRACK),
        ({"at_least": 8, "at_most": 10}, 7, Health.OFF_TRACK),
    ],
)
def test_at_most_and_between_are_judged_on_the_current_value(fields, current, expected):
    assert kr_health(QUARTER, LEARNING, uptime(current, **fields), date(2025, 1, 10)) is expected


def test_a_maintain_key_result_without_a_value_is_at_risk_and_says_why():
    found = assess(QUARTER, LEARNING, uptime(None), START, "KR1.1")
    assert found.health is Health.AT_RISK and found.reasons == ("no current value to judge against >= 99.5",)


def test_a_manual_score_does_not_hide_a_breach():
    assert kr_health(QUARTER, LEARNING, uptime(98.0, manual_score=1.0), START) is Health.OFF_TRACK


def checked_in(*values, ref="KR1.1"):
    cycle = Cycle("Q1", START, END, objectives=[Objective("Keep", ObjectiveType.COMMITMENT, "Ana", key_results=[])])
    cycle.checkins = [
        CheckIn(n, START + timedelta(days=14 * n), [KRSnapshot(ref, value, 0.0, KRStatus.IN_PROGRESS)])
        for n, value in enumerate(values, start=1)
    ]
    return cycle


def test_a_breach_at_the_latest_checkin_is_shown_even_when_the_value_is_back():
    cycle = checked_in(99.7, 98.9)
    found = assess(cycle, LEARNING, uptime(99.8), date(2025, 2, 5), "KR1.1")
    assert found.health is Health.ON_TRACK
    assert found.breach == "outside >= 99.5 at check-in 2 (2025-01-29): 98.9"
    assert found.attention


def test_an_older_breach_since_recovered_at_a_checkin_is_not_shown():
    found = assess(checked_in(98.9, 99.7), LEARNING, uptime(99.8), date(2025, 2, 5), "KR1.1")
    assert found.breach is None and not found.attention


# Paced to the key result's own due date ----------------------------------------------------------------

COMMIT = Objective("Ship", ObjectiveType.COMMITMENT, "Ana")
MID_CYCLE = date(2025, 2, 14)


def test_a_key_result_due_mid_cycle_at_half_on_its_due_date_is_off_track():
    # Paced to the cycle's end it read on track; by its own due date it should be done.
    assert kr_health(QUARTER, COMMIT, kr(manual_score=0.5, due=MID_CYCLE), MID_CYCLE) is Health.OFF_TRACK


def test_a_key_result_due_mid_cycle_is_fully_expected_after_its_due_date():
    assert expected_score(QUARTER, ObjectiveType.COMMITMENT, END, MID_CYCLE) == 1.0
    assert kr_health(QUARTER, COMMIT, kr(manual_score=1.0, due=MID_CYCLE), END) is Health.ON_TRACK


def test_half_way_to_its_own_due_date_half_is_on_track():
    quarter_way = START + (MID_CYCLE - START) / 2
    assert elapsed_share(QUARTER, quarter_way, MID_CYCLE) == pytest.approx(0.5, abs=0.02)
    assert kr_health(QUARTER, COMMIT, kr(manual_score=0.5, due=MID_CYCLE), quarter_way) is Health.ON_TRACK


def test_without_a_due_date_a_key_result_is_paced_to_the_cycle_end():
    assert elapsed_share(QUARTER, MID_CYCLE) == elapsed_share(QUARTER, MID_CYCLE, END)
    assert kr_health(QUARTER, COMMIT, kr(manual_score=0.5), MID_CYCLE) is Health.ON_TRACK


def test_a_due_date_on_the_cycle_start_expects_everything_at_once():
    assert elapsed_share(QUARTER, START, START) == 1.0


def test_a_paced_key_result_behind_says_by_how_much():
    found = assess(QUARTER, COMMIT, kr(manual_score=0.2, due=MID_CYCLE), MID_CYCLE, "KR1.1")
    assert found.reasons == ("score 0.20 behind the 1.00 expected by 2025-02-14 (due 2025-02-14)",)


# Confidence and the attention list ---------------------------------------------------------------------


@pytest.mark.parametrize("confidence, attention", [(0.49, True), (0.5, False), (0.9, False), (None, False)])
def test_a_confidence_below_half_joins_attention_even_on_pace(confidence, attention):
    found = assess(QUARTER, COMMIT, kr(manual_score=1.0, confidence=confidence), MID_CYCLE, "KR1.1")
    assert found.health is Health.ON_TRACK
    assert found.attention is attention
    assert found.low_confidence is attention


def test_the_attention_list_holds_what_needs_looking_at_in_board_order():
    on_pace = kr(manual_score=1.0, confidence=0.9)
    doubtful = kr(manual_score=1.0, confidence=0.3)
    behind = kr(manual_score=0.0)
    breached = uptime(90.0)
    cycle = Cycle(
        "Q1",
        START,
        END,
        objectives=[
            Objective("A", ObjectiveType.COMMITMENT, "Ana", key_results=[on_pace, doubtful]),
            Objective("B", ObjectiveType.COMMITMENT, "Ben", key_results=[behind, breached]),
        ],
    )
    found = attention_list(cycle, MID_CYCLE)
    assert [(a.ref, a.health) for a in found] == [
        ("KR1.2", Health.ON_TRACK),
        ("KR2.1", Health.OFF_TRACK),
        ("KR2.2", Health.OFF_TRACK),
    ]
    assert found[0].reasons == ("confidence 30% is below 50%",)


def test_progress_beyond_target_is_kept_in_the_assessment_while_the_score_is_capped():
    found = assess(QUARTER, COMMIT, kr(target=100, current=125), MID_CYCLE, "KR1.1")
    assert (found.progress, found.score) == (1.25, 1.0)
