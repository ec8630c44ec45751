"""Key-result progress per kind, objective and cycle scores and M10 bands."""

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addon.domain.method.model import Cycle, KeyResult, KRKind, Objective, ObjectiveType
from addon.domain.method.scoring import (
    BandVerdict,
    band_verdict,
    clamp,
    computed_progress,
    cycle_score,
    kr_score,
    objective_score,
)

START, END = date(2025, 1, 1), date(2025, 3, 31)


def kr(kind=KRKind.INCREASE, **fields):
    return KeyResult("Result", kind=kind, **fields)


def scored(*scores, weights=None):
    weights = weights or [1.0] * len(scores)
    return Objective(
        "Goal",
        ObjectiveType.COMMITMENT,
        "Ben",
        key_results=[kr(manual_score=s, weight=w) for s, w in zip(scores, weights, strict=True)],
    )


# Progress per kind ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, target, current, expected",
    [
        (0, 100, 0, 0.0),
        (0, 100, 40, 0.4),
        (0, 100, 100, 1.0),
        (0, 100, 150, 1.0),
        (0, 100, -20, 0.0),
        (20, 120, 70, 0.5),
        (-10, 10, 0, 0.5),
    ],
)
def test_increase_progress_is_share_of_the_way_from_start_to_target_clamped(start, target, current, expected):
    assert computed_progress(kr(start=start, target=target, current=current)) == pytest.approx(expected)


@pytest.mark.parametrize(
    "start, target, current, expected",
    [
        (10, 2, 10, 0.0),
        (10, 2, 6, 0.5),
        (10, 2, 2, 1.0),
        (10, 2, 0, 1.0),
        (10, 2, 14, 0.0),
    ],
)
def test_decrease_progress_is_share_of_the_way_down_clamped(start, target, current, expected):
    assert computed_progress(kr(KRKind.DECREASE, start=start, target=target, current=current)) == expected


@pytest.mark.parametrize(
    "target, current, expected",
    [
        (None, 0, 0.0),
        (None, 1, 1.0),
        (None, 0.99, 0.0),
        (1, 2, 1.0),
        (3, 2, 0.0),
        (3, 3, 1.0),
    ],
)
def test_milestone_is_done_or_not(target, current, expected):
    assert computed_progress(kr(KRKind.MILESTONE, target=target, current=current)) == expected


@pytest.mark.parametrize(
    "start, target, current, expected",
    [
        (95, 99, 97, 1.0),
        (95, 99, 95, 1.0),
        (95, 99, 99, 1.0),
        (95, 99, 94.9, 0.0),
        (95, 99, 99.1, 0.0),
        (99, 95, 97, 1.0),  # the band may be given either way round
    ],
)
def test_maintain_is_one_within_the_band_else_zero(start, target, current, expected):
    assert computed_progress(kr(KRKind.MAINTAIN, start=start, target=target, current=current)) == expected


@pytest.mark.parametrize("kind", list(KRKind))
def test_key_result_without_current_value_has_no_progress(kind):
    assert computed_progress(kr(kind, target=10)) == 0.0


@pytest.mark.parametrize("kind", [KRKind.INCREASE, KRKind.DECREASE, KRKind.MAINTAIN])
def test_numeric_key_result_without_target_has_no_progress(kind):
    assert computed_progress(kr(kind, current=5)) == 0.0


@pytest.mark.parametrize("kind", [KRKind.INCREASE, KRKind.DECREASE])
def test_target_equal_to_start_has_no_progress_instead_of_dividing_by_zero(kind):
    assert computed_progress(kr(kind, start=5, target=5, current=7)) == 0.0


def test_start_defaults_to_zero():
    assert kr_score(kr(target=8, current=2)) == 0.25


# Manual score ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("manual, expected", [(0.7, 0.7), (0.0, 0.0), (1.3, 1.0), (-0.2, 0.0)])
def test_manual_score_overrides_the_computed_one_clamped(manual, expected):
    assert kr_score(kr(target=10, current=10, manual_score=manual)) == expected


def test_nan_counts_as_no_progress():
    assert clamp(math.nan) == 0.0
    assert kr_score(kr(manual_score=math.nan)) == 0.0
    assert kr_score(kr(target=10, current=math.nan)) == 0.0


finite = st.floats(allow_nan=False, allow_infinity=False)


@given(
    kind=st.sampled_from(list(KRKind)),
    start=finite,
    target=st.none() | finite,
    current=st.none() | finite,
    manual=st.none() | finite,
)
def test_kr_score_is_always_between_zero_and_one(kind, start, target, current, manual):
    score = kr_score(kr(kind, start=start, target=target, current=current, manual_score=manual))
    assert 0.0 <= score <= 1.0


@given(manual=st.floats(0, 1), current=st.none() | finite)
def test_manual_score_in_range_is_the_score(manual, current):
    assert kr_score(kr(target=10, current=current, manual_score=manual)) == manual


# Objective and cycle scores -------------------------------------------------------------------------------


def test_objective_score_is_the_mean_of_its_key_results():
    assert objective_score(scored(1.0, 0.5, 0.0)) == pytest.approx(0.5)


def test_objective_score_weighs_key_results():
    assert objective_score(scored(1.0, 0.0, weights=[3.0, 1.0])) == pytest.approx(0.75)


def test_objective_without_key_results_has_no_score():
    assert objective_score(Objective("Goal")) is None


def test_objective_whose_weights_are_all_zero_has_no_score():
    assert objective_score(scored(1.0, 0.5, weights=[0.0, 0.0])) is None


def test_negative_weight_counts_as_zero_so_the_score_stays_in_range():
    assert objective_score(scored(0.0, 1.0, weights=[-1.0, 2.0])) == 1.0


@given(st.lists(st.tuples(st.floats(0, 1), st.floats(-100, 100)), min_size=1, max_size=6))
def test_objective_score_is_none_or_between_zero_and_one(pairs):
    score = objective_score(scored(*[s for s, _ in pairs], weights=[w for _, w in pairs]))
    assert score is None or 0.0 <= score <= 1.0 + 1e-9


def test_cycle_score_is_the_mean_of_scored_objectives():
    cycle = Cycle("Q1", START, END, objectives=[scored(1.0), scored(0.5), Objective("No key results yet")])
    assert cycle_score(cycle) == pytest.approx(0.75)
    assert cycle_score(Cycle("Q1", START, END)) is None


# M10 bands ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, score, verdict",
    [
        (ObjectiveType.COMMITMENT, 0.9, BandVerdict.BELOW),
        (ObjectiveType.COMMITMENT, 1.0, BandVerdict.IN),
        (ObjectiveType.INSPIRATIONAL, 0.49, BandVerdict.BELOW),
        (ObjectiveType.INSPIRATIONAL, 0.5, BandVerdict.IN),
        (ObjectiveType.INSPIRATIONAL, 0.6, BandVerdict.IN),
        (ObjectiveType.INSPIRATIONAL, 0.7, BandVerdict.IN),
        (ObjectiveType.INSPIRATIONAL, 0.8, BandVerdict.ABOVE),
        (ObjectiveType.LEARNING, 0.29, BandVerdict.BELOW),
        (ObjectiveType.LEARNING, 0.3, BandVerdict.IN),
        (ObjectiveType.LEARNING, 0.8, BandVerdict.IN),
        (ObjectiveType.LEARNING, 0.81, BandVerdict.ABOVE),
        (ObjectiveType.LEARNING, 0.1 + 0.2, BandVerdict.IN),  # 0.30000000000000004 is 0.3
    ],
)
def test_band_verdict_per_objective_type(kind, score, verdict):
    assert band_verdict(score, kind) is verdict
