"""The domain model: the impact-effort matrix, refs in board order, and default check-in dates (M8)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addon.domain.method.model import (
    CHECKINS_PER_CYCLE,
    MATRIX_MIDPOINT,
    Cycle,
    CycleStatus,
    Idea,
    IdeaStatus,
    KeyResult,
    KRKind,
    KRStatus,
    Level,
    Objective,
    Quadrant,
    default_checkin_dates,
    quadrant_for,
)

START, END = date(2025, 1, 1), date(2025, 3, 31)


# Impact-effort matrix (M11) -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "impact, effort, quadrant",
    [
        (8, 2, Quadrant.QUICK_WIN),
        (8, 8, Quadrant.BIG_BET),
        (2, 2, Quadrant.FILL_IN),
        (2, 8, Quadrant.MONEY_PIT),
        (5, 5, Quadrant.BIG_BET),
        (5, 4.99, Quadrant.QUICK_WIN),
        (4.99, 5, Quadrant.MONEY_PIT),
        (4.99, 4.99, Quadrant.FILL_IN),
        (0, 0, Quadrant.FILL_IN),
        (10, 10, Quadrant.BIG_BET),
    ],
)
def test_quadrant_edges_count_the_midpoint_as_high(impact, effort, quadrant):
    assert quadrant_for(impact, effort) is quadrant


@given(impact=st.floats(allow_nan=False), effort=st.floats(allow_nan=False))
def test_quadrant_for_is_total_and_consistent_with_the_midpoint(impact, effort):
    quadrant = quadrant_for(impact, effort)
    high_impact = quadrant in (Quadrant.QUICK_WIN, Quadrant.BIG_BET)
    high_effort = quadrant in (Quadrant.BIG_BET, Quadrant.MONEY_PIT)
    assert high_impact == (impact >= MATRIX_MIDPOINT)
    assert high_effort == (effort >= MATRIX_MIDPOINT)


@given(impact=st.floats(), effort=st.floats())
def test_quadrant_for_returns_a_quadrant_even_for_nan(impact, effort):
    assert quadrant_for(impact, effort) in set(Quadrant)


def test_idea_quadrant_follows_its_position_and_defaults_to_the_centre():
    idea = Idea("Partner webinar")
    assert (idea.impact, idea.effort, idea.status) == (5.0, 5.0, IdeaStatus.NOT_STARTED)
    assert idea.quadrant is Quadrant.BIG_BET
    idea.impact, idea.effort = 9, 1
    assert idea.quadrant is Quadrant.QUICK_WIN


# Defaults -------------------------------------------------------------------------------------------------


def test_key_result_defaults():
    kr = KeyResult("Signed customers")
    assert (kr.kind, kr.start, kr.target, kr.current, kr.status, kr.weight) == (
        KRKind.INCREASE,
        0.0,
        None,
        None,
        KRStatus.DRAFT,
        1.0,
    )
    assert kr.history == [] and kr.ideas == []


def test_mutable_defaults_are_not_shared():
    first, second = KeyResult("A"), KeyResult("B")
    first.ideas.append(Idea("x"))
    assert second.ideas == []
    assert Objective("A").key_results is not Objective("B").key_results


def test_cycle_defaults_to_a_company_draft():
    cycle = Cycle("Q1", START, END)
    assert (cycle.level, cycle.status, cycle.language) == (Level.COMPANY, CycleStatus.DRAFT, "en")


def test_enums_are_their_string_values():
    assert str(Quadrant.MONEY_PIT) == "money_pit"
    assert KRKind("maintain") is KRKind.MAINTAIN


# Refs -----------------------------------------------------------------------------------------------------


def board():
    return Cycle(
        "Q1",
        START,
        END,
        objectives=[
            Objective("First", key_results=[KeyResult("a"), KeyResult("b")]),
            Objective("Second"),
            Objective("Third", key_results=[KeyResult("c")]),
        ],
    )


def test_refs_yield_objectives_and_key_results_in_board_order():
    assert [(ref, item.title) for ref, item in board().refs()] == [
        ("O1", "First"),
        ("KR1.1", "a"),
        ("KR1.2", "b"),
        ("O2", "Second"),
        ("O3", "Third"),
        ("KR3.1", "c"),
    ]


def test_key_results_by_ref_map_to_objective_and_key_result():
    cycle = board()
    mapping = cycle.key_results_by_ref()
    assert list(mapping) == ["KR1.1", "KR1.2", "KR3.1"]
    objective, kr = mapping["KR3.1"]
    assert objective is cycle.objectives[2] and kr is cycle.objectives[2].key_results[0]


def test_objective_ref_is_one_based():
    assert [board().objective_ref(i) for i in range(3)] == ["O1", "O2", "O3"]


# Default check-in dates (M8) ------------------------------------------------------------------------------


def test_quarter_gets_six_evenly_spread_checkins_ending_on_the_end_date():
    dates = default_checkin_dates(START, END)
    assert len(dates) == CHECKINS_PER_CYCLE == 6
    assert dates[-1] == END
    gaps = [(b - a).days for a, b in zip([START, *dates], dates, strict=False)]
    assert max(gaps) - min(gaps) <= 1
    assert dates == sorted(dates)


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), days=st.integers(min_value=6, max_value=400)
)
def test_default_checkins_are_spread_evenly_and_end_on_the_end_date(start, days):
    end = start + timedelta(days=days)
    dates = default_checkin_dates(start, end)
    assert len(dates) == 6 and dates[-1] == end and start < dates[0]
    gaps = [(b - a).days for a, b in zip([start, *dates], dates, strict=False)]
    assert max(gaps) - min(gaps) <= 1


def test_cycle_fills_in_default_checkin_dates():
    assert Cycle("Q1", START, END).checkin_dates == default_checkin_dates(START, END)


def test_cycle_keeps_checkin_dates_it_is_given():
    dates = [date(2025, 2, 1)]
    assert Cycle("Q1", START, END, checkin_dates=dates).checkin_dates == dates


@pytest.mark.parametrize("end", [START, date(2024, 12, 1)])
def test_cycle_ending_on_or_before_its_start_gets_no_checkin_dates(end):
    assert Cycle("Bad", START, end).checkin_dates == []
