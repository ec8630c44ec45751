"""Rules M1..M8 and M10..M12 of the GTM OKR method at their edges (M9 lives in test_changes.py)."""

from datetime import date

import pytest

from addon.domain.method.model import (
    CheckIn,
    Cycle,
    CycleStatus,
    Idea,
    IdeaStatus,
    KeyResult,
    KRKind,
    Level,
    Objective,
    ObjectiveType,
)
from addon.domain.method.rules import Finding, Severity, add_months, check_cycle, errors, states_a_number

START, END = date(2025, 1, 1), date(2025, 3, 31)
TITLES = [
    "Delight our customers",
    "Win the DACH market",
    "Build a calm team",
    "Ship faster",
    "Own our brand",
    "Grow the community",
]


def kr(title="Signed customers", **fields):
    values = {"kind": KRKind.INCREASE, "start": 0.0, "target": 10.0, "owner": "Ana", "due": END}
    values.update(fields)
    return KeyResult(title, **values)


def objective(title="Delight our customers", krs=3, **fields):
    values = {"type": ObjectiveType.COMMITMENT, "owner": "Ben"}
    values.update(fields)
    return Objective(title, key_results=[kr(f"Result {chr(65 + i)}") for i in range(krs)], **values)


def cycle(start=START, end=END, objectives=3, **fields):
    return Cycle("Q1 2025", start, end, objectives=[objective(TITLES[i]) for i in range(objectives)], **fields)


def cycle_with(*objectives, **fields):
    return Cycle("Q1", START, END, objectives=list(objectives), **fields)


def cycle_with_kr(key_result, **fields):
    return cycle_with(
        Objective("Delight our customers", ObjectiveType.COMMITMENT, "Ben", key_results=[key_result]), **fields
    )


def found(findings, rule):
    return [(f.severity, f.ref) for f in findings if f.rule == rule]


def test_a_well_formed_cycle_raises_no_finding():
    assert check_cycle(cycle()) == []


# M1 -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end",
    [
        (date(2025, 1, 1), date(2025, 3, 31)),  # exactly three months
        (date(2025, 1, 1), date(2025, 2, 11)),  # six weeks
        (date(2025, 11, 30), date(2026, 2, 27)),  # month-end start, Feb 28 is the clamped three-month mark
        (date(2025, 8, 31), date(2025, 11, 29)),
        (date(2023, 11, 30), date(2024, 2, 28)),  # leap year: the mark is Feb 29
    ],
)
def test_cycle_of_at_most_three_months_raises_no_m1(start, end):
    assert found(check_cycle(cycle(start, end)), "M1") == []


@pytest.mark.parametrize(
    "start, end",
    [
        (date(2025, 1, 1), date(2025, 4, 1)),
        (date(2025, 1, 1), date(2025, 4, 30)),  # four months
        (date(2025, 11, 30), date(2026, 2, 28)),  # Nov 30 plus all of Dec, Jan and Feb
        (date(2025, 8, 31), date(2025, 11, 30)),
        (date(2023, 11, 30), date(2024, 2, 29)),
    ],
)
def test_cycle_longer_than_three_months_warns_m1(start, end):
    assert found(check_cycle(cycle(start, end)), "M1") == [(Severity.WARNING, "cycle")]


@pytest.mark.parametrize("start, end", [(date(2025, 3, 31), date(2025, 1, 1)), (START, START)])
def test_cycle_ending_on_or_before_its_start_is_an_m1_error(start, end):
    findings = check_cycle(cycle(start, end))
    assert found(findings, "M1") == [(Severity.ERROR, "cycle")]


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2025, 1, 1), 3, date(2025, 4, 1)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2025, 1, 31), 3, date(2025, 4, 30)),
        (date(2025, 10, 31), 3, date(2026, 1, 31)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


# M2 -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count, warns", [(0, True), (2, True), (3, False), (5, False), (6, True)])
def test_three_to_five_objectives_per_cycle_m2(count, warns):
    assert found(check_cycle(cycle(objectives=count)), "M2") == ([(Severity.WARNING, "cycle")] if warns else [])


# M3 -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Reach 10k users",
        "Launch in Q3",
        "Become #1 by 2026",
        "Ship with no 5 outages",
        "Grow revenue 20%",
    ],
)
def test_objective_stating_a_number_warns_m3(title):
    assert states_a_number(title)
    findings = check_cycle(Cycle("Q1", START, END, objectives=[objective(title)]))
    assert found(findings, "M3") == [(Severity.WARNING, "O1")]


@pytest.mark.parametrize(
    "title",
    [
        "Become #1 in the DACH region",
        "Be the number 1 tool",
        "Devenir le n°1 en France",
        "Devenir le nº 1",
        "Be the No. 1 choice",
        "Be the No1 choice",
        "Devenir numéro 1 en Suisse",
        "Delight our customers",
    ],
)
def test_rank_phrases_and_plain_titles_raise_no_m3(title):
    assert not states_a_number(title)


# M4 / M5 --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("owner", [None, "", "   "])
def test_objective_without_owner_is_an_m4_error(owner):
    assert found(check_cycle(cycle_with(objective(owner=owner))), "M4") == [(Severity.ERROR, "O1")]


def test_objective_without_type_is_an_m4_error():
    assert found(check_cycle(cycle_with(objective(type=None))), "M4") == [(Severity.ERROR, "O1")]


def test_objective_without_owner_or_type_gets_two_m4_errors():
    findings = check_cycle(cycle_with(objective(owner=None, type=None)))
    assert found(findings, "M4") == [(Severity.ERROR, "O1")] * 2


@pytest.mark.parametrize(
    "count, expected",
    [
        (0, [(Severity.ERROR, "O1")]),
        (1, [(Severity.WARNING, "O1")]),
        (2, [(Severity.WARNING, "O1")]),
        (3, []),
        (5, []),
        (6, [(Severity.WARNING, "O1")]),
    ],
)
def test_three_to_five_key_results_per_objective_m5(count, expected):
    assert found(check_cycle(cycle_with(objective(krs=count))), "M5") == expected


# M6 / M7 --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"target": None},
        {"target": 0.0, "start": 0.0},
        {"kind": KRKind.INCREASE, "start": 10.0, "target": 5.0},
        {"kind": KRKind.DECREASE, "start": 5.0, "target": 10.0},
        {"kind": KRKind.MAINTAIN, "target": None},
        {"kind": KRKind.MAINTAIN, "start": 30.0, "target": 25.0},
        {"kind": KRKind.MAINTAIN, "start": 50.0, "target": 50.0},
        {"kind": KRKind.MAINTAIN, "at_least": 10.0, "at_most": 8.0},
        {"kind": KRKind.INCREASE, "target": 10.0, "at_least": 5.0},
    ],
    ids=[
        "no-target",
        "target-equals-start",
        "increase-down",
        "decrease-up",
        "maintain-no-threshold",
        "maintain-old-start-target-form",
        "maintain-old-form-exact-value",
        "maintain-between-upside-down",
        "threshold-on-an-increase",
    ],
)
def test_key_result_that_cannot_be_partly_done_is_an_m6_error(fields):
    assert found(check_cycle(cycle_with_kr(kr(**fields))), "M6") == [(Severity.ERROR, "KR1.1")]


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": KRKind.MILESTONE, "target": None},
        {"kind": KRKind.MAINTAIN, "at_least": 99.5},
        {"kind": KRKind.MAINTAIN, "at_most": 25.0},
        {"kind": KRKind.MAINTAIN, "at_least": 8.0, "at_most": 10.0},
        {"kind": KRKind.MAINTAIN, "at_least": 50.0, "at_most": 50.0},
        {"kind": KRKind.DECREASE, "start": 10.0, "target": 2.0},
        {"kind": KRKind.INCREASE, "start": -5.0, "target": 5.0},
    ],
)
def test_measurable_key_result_raises_no_m6(fields):
    assert found(check_cycle(cycle_with_kr(kr(**fields))), "M6") == []


def test_old_maintain_form_asks_which_threshold_is_meant():
    (finding,) = [
        f for f in check_cycle(cycle_with_kr(kr(kind=KRKind.MAINTAIN, start=30.0, target=25.0))) if f.rule == "M6"
    ]
    assert "at_least: 25, at_most: 30 or between: [25, 30]" in finding.message
    assert "read as between 25 and 30 until then" in finding.message


@pytest.mark.parametrize("fields", [{"owner": None}, {"owner": " "}, {"due": None}, {"due": date(2025, 4, 1)}])
def test_key_result_without_owner_or_in_time_deadline_is_an_m7_error(fields):
    assert found(check_cycle(cycle_with_kr(kr(**fields))), "M7") == [(Severity.ERROR, "KR1.1")]


def test_key_result_due_on_the_cycle_end_raises_no_m7():
    assert found(check_cycle(cycle_with_kr(kr(due=END))), "M7") == []


# M8 -------------------------------------------------------------------------------------------------------


def test_past_unrecorded_checkin_is_missed_while_tracking():
    tracked = cycle(status=CycleStatus.TRACKING)
    first, second = tracked.checkin_dates[:2]
    tracked.checkins.append(CheckIn(1, first))
    findings = check_cycle(tracked, today=date.fromordinal(second.toordinal() + 1))
    assert (Severity.WARNING, "checkin2") in found(findings, "M8")
    assert (Severity.WARNING, "checkin1") not in found(findings, "M8")
    assert (Severity.INFO, "checkin3") in found(findings, "M8")


def test_checkin_due_today_is_not_yet_missed_and_is_next():
    tracked = cycle(status=CycleStatus.TRACKING)
    assert found(check_cycle(tracked, today=tracked.checkin_dates[0]), "M8") == [(Severity.INFO, "checkin1")]


@pytest.mark.parametrize("status", [CycleStatus.DRAFT, CycleStatus.CLOSED])
def test_checkins_are_not_missed_unless_tracking(status):
    assert found(check_cycle(cycle(status=status), today=date(2025, 6, 1)), "M8") == []


def test_all_checkins_recorded_leaves_nothing_missed_or_next():
    tracked = cycle(status=CycleStatus.TRACKING)
    tracked.checkins = [CheckIn(n, d) for n, d in enumerate(tracked.checkin_dates, start=1)]
    assert found(check_cycle(tracked, today=date(2025, 4, 15)), "M8") == []


def test_planning_other_than_six_checkins_warns_m8():
    short = cycle(checkin_dates=[date(2025, 2, 1), date(2025, 3, 1)])
    assert found(check_cycle(short), "M8") == [(Severity.WARNING, "cycle")]


# M10 ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, score, verdict",
    [
        (ObjectiveType.COMMITMENT, 0.9, "below"),
        (ObjectiveType.COMMITMENT, 1.0, None),
        (ObjectiveType.INSPIRATIONAL, 0.4, "below"),
        (ObjectiveType.INSPIRATIONAL, 0.6, None),
        (ObjectiveType.INSPIRATIONAL, 0.8, "above"),
        (ObjectiveType.LEARNING, 0.3, None),
        (ObjectiveType.LEARNING, 0.8, None),
        (ObjectiveType.LEARNING, 0.9, "above"),
    ],
)
def test_closed_cycle_marks_objectives_outside_their_band_m10(kind, score, verdict):
    goal = objective(type=kind)
    for key_result in goal.key_results:
        key_result.manual_score = score
    findings = [f for f in check_cycle(cycle_with(goal, status=CycleStatus.CLOSED)) if f.rule == "M10"]
    if verdict is None:
        assert findings == []
    else:
        assert [(f.severity, f.ref) for f in findings] == [(Severity.INFO, "O1")]
        assert f" {verdict} " in findings[0].message


def test_open_cycle_has_no_band_verdict():
    goal = objective(type=ObjectiveType.COMMITMENT)
    assert found(check_cycle(cycle_with(goal, status=CycleStatus.TRACKING)), "M10") == []


# M11 ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "impact, effort, status, flagged",
    [
        (2, 8, IdeaStatus.IN_PROGRESS, True),
        (4.99, 5, IdeaStatus.IN_PROGRESS, True),
        (2, 8, IdeaStatus.NOT_STARTED, False),
        (2, 8, IdeaStatus.DONE, False),
        (5, 5, IdeaStatus.IN_PROGRESS, False),
        (8, 2, IdeaStatus.IN_PROGRESS, False),
    ],
)
def test_money_pit_idea_in_progress_is_flagged_m11(impact, effort, status, flagged):
    key_result = kr(ideas=[Idea("Rebuild the CRM", impact, effort, status)])
    expected = [(Severity.WARNING, "KR1.1")] if flagged else []
    assert found(check_cycle(cycle_with_kr(key_result)), "M11") == expected


# M12 ------------------------------------------------------------------------------------------------------


def team(start=START, end=END, aligned=("O1", "O2", "O3")):
    cycle_ = cycle(start, end, level=Level.TEAM, team="Sales")
    for goal, ref in zip(cycle_.objectives, aligned, strict=True):
        goal.aligned_to = ref
    return cycle_


def test_aligned_team_cycle_raises_no_m12():
    assert found(check_cycle(team(), parent=cycle()), "M12") == []


def test_team_cycle_without_parent_warns_m12():
    assert found(check_cycle(team()), "M12") == [(Severity.WARNING, "cycle")]


def test_team_objective_without_alignment_or_with_unknown_parent_objective_warns_m12():
    findings = check_cycle(team(aligned=(None, "O4", "O3")), parent=cycle())
    assert found(findings, "M12") == [(Severity.WARNING, "O1"), (Severity.WARNING, "O2")]


def test_team_cycle_with_another_period_than_its_parent_warns_m12():
    findings = check_cycle(team(end=date(2025, 3, 30)), parent=cycle())
    assert found(findings, "M12") == [(Severity.WARNING, "cycle")]


def test_company_cycle_needs_no_parent():
    assert found(check_cycle(cycle(objectives=3)), "M12") == []


# The acceptance case and helpers ----------------------------------------------------------------


def test_acceptance_plan_reports_m1_m2_m3_and_m7_with_their_refs():
    plan = cycle(START, date(2025, 4, 30), objectives=6)
    plan.objectives[1].title = "Reach 10k users"
    plan.objectives[2].key_results[0].owner = None
    plan.objectives[3].key_results[1].due = date(2025, 5, 15)
    findings = check_cycle(plan)
    assert {(f.rule, f.ref) for f in findings} == {
        ("M1", "cycle"),
        ("M2", "cycle"),
        ("M3", "O2"),
        ("M7", "KR3.1"),
        ("M7", "KR4.2"),
    }
    assert [f.rule for f in findings] == ["M1", "M2", "M3", "M7", "M7"]  # cycle-wide first, then board order
    assert {f.ref for f in errors(findings)} == {"KR3.1", "KR4.2"}


def test_finding_as_dict_is_plain_values():
    finding = Finding("M3", Severity.WARNING, "O2", "states a number")
    assert finding.as_dict() == {"rule": "M3", "severity": "warning", "ref": "O2", "message": "states a number"}
