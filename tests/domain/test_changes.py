"""Rule M9: key results change freely only in the first half of a tracked cycle, and every change is logged."""

from datetime import date

import pytest

from addon.domain.method.changes import ChangeRefused, add_key_result, first_half_last_day, replace_key_result
from addon.domain.method.model import Cycle, CycleStatus, KeyResult, KRChange, Objective, ObjectiveType, OkrError
from addon.domain.method.rules import Severity, check_cycle

START, END = date(2025, 1, 1), date(2025, 3, 31)
LAST_FREE_DAY, FIRST_LATE_DAY = date(2025, 2, 14), date(2025, 2, 15)


def kr(title, **fields):
    values = {"target": 10.0, "owner": "Ana", "due": END}
    values.update(fields)
    return KeyResult(title, **values)


def cycle(status=CycleStatus.TRACKING, krs=3):
    objectives = [
        Objective(title, ObjectiveType.COMMITMENT, "Ben", key_results=[kr(f"{title} {n}") for n in "ABCDE"[:krs]])
        for title in ("Delight customers", "Win DACH", "Calm team")
    ]
    return Cycle("Q1", START, END, status=status, objectives=objectives)


def m9(findings):
    return [(f.severity, f.ref) for f in findings if f.rule == "M9"]


def test_first_half_of_a_quarter_ends_on_feb_14():
    assert first_half_last_day(cycle()) == LAST_FREE_DAY


def test_first_half_of_a_two_day_cycle_is_its_first_day():
    assert first_half_last_day(Cycle("Tiny", START, date(2025, 1, 2))) == START


# Adding ---------------------------------------------------------------------------------------------------


def test_key_result_added_on_the_last_day_of_the_first_half_is_logged():
    plan = cycle()
    goal = plan.objectives[0]
    added = add_key_result(plan, goal, kr("New"), on=LAST_FREE_DAY, reason="new channel")
    assert goal.key_results[-1] is added
    assert added.history == [KRChange(LAST_FREE_DAY, "added", "new channel")]
    assert m9(check_cycle(plan)) == []


def test_key_result_added_the_day_after_the_first_half_is_refused():
    plan = cycle()
    goal = plan.objectives[1]
    with pytest.raises(ChangeRefused) as refused:
        add_key_result(plan, goal, kr("Late"), on=FIRST_LATE_DAY, reason="too late")
    assert m9(refused.value.findings) == [(Severity.ERROR, "O2")]
    assert "2025-02-14" in str(refused.value)
    assert len(goal.key_results) == 3


def test_forced_late_addition_is_logged_and_flagged_by_check_cycle():
    plan = cycle()
    added = add_key_result(plan, plan.objectives[1], kr("Late"), on=FIRST_LATE_DAY, reason="board asked", forced=True)
    assert added.history == [KRChange(FIRST_LATE_DAY, "added", "board asked", forced=True)]
    findings = [f for f in check_cycle(plan) if f.rule == "M9"]
    assert [(f.severity, f.ref) for f in findings] == [(Severity.WARNING, "KR2.4")]
    assert "board asked" in findings[0].message


def test_forcing_a_change_in_the_first_half_is_not_logged_as_forced():
    plan = cycle()
    added = add_key_result(plan, plan.objectives[0], kr("Early"), on=START, reason="idea", forced=True)
    assert added.history[0].forced is False
    assert m9(check_cycle(plan)) == []


@pytest.mark.parametrize("status", list(CycleStatus))
@pytest.mark.parametrize("forced", [False, True])
def test_adding_a_sixth_key_result_is_refused(status, forced):
    plan = cycle(status=status, krs=5)
    with pytest.raises(ChangeRefused) as refused:
        add_key_result(plan, plan.objectives[2], kr("Sixth"), on=START, reason="more", forced=forced)
    assert m9(refused.value.findings) == [(Severity.ERROR, "O3")]
    assert len(plan.objectives[2].key_results) == 5


def test_late_sixth_key_result_reports_both_reasons():
    plan = cycle(krs=5)
    with pytest.raises(ChangeRefused) as refused:
        add_key_result(plan, plan.objectives[0], kr("Sixth"), on=FIRST_LATE_DAY, reason="more")
    assert m9(refused.value.findings) == [(Severity.ERROR, "O1")] * 2


def test_drafting_is_free_and_unlogged():
    plan = cycle(status=CycleStatus.DRAFT)
    added = add_key_result(plan, plan.objectives[0], kr("Drafted"), on=date(2025, 3, 30), reason="workshop")
    assert added.history == []
    replaced = replace_key_result(plan, plan.objectives[0], 0, kr("Redrafted"), on=date(2025, 3, 30), reason="x")
    assert replaced.history == []


def test_closed_cycle_refuses_unforced_changes():
    plan = cycle(status=CycleStatus.CLOSED)
    with pytest.raises(ChangeRefused):
        replace_key_result(plan, plan.objectives[0], 0, kr("After the fact"), on=date(2025, 4, 2), reason="x")
    assert plan.objectives[0].key_results[0].title == "Delight customers A"


def test_closed_cycle_logs_a_forced_change():
    plan = cycle(status=CycleStatus.CLOSED)
    replaced = replace_key_result(
        plan, plan.objectives[0], 0, kr("Fixed"), on=date(2025, 4, 2), reason="typo", forced=True
    )
    assert replaced.history == [KRChange(date(2025, 4, 2), "replaced", "typo", True, "Delight customers A")]


# Replacing ------------------------------------------------------------------------------------------------


def test_replace_keeps_history_and_id_and_logs_the_previous_title():
    plan = cycle()
    goal = plan.objectives[0]
    goal.key_results[1].id = 42
    earlier = KRChange(date(2025, 1, 10), "added", "kick-off")
    goal.key_results[1].history.append(earlier)
    new = kr("Signed partners", history=[KRChange(START, "added", "ignored")], id=7)
    replaced = replace_key_result(plan, goal, 1, new, on=LAST_FREE_DAY, reason="better measure")
    assert goal.key_results[1] is replaced
    assert replaced.title == "Signed partners"
    assert replaced.id == 42
    assert replaced.history == [
        earlier,
        KRChange(LAST_FREE_DAY, "replaced", "better measure", previous_title="Delight customers B"),
    ]


def test_late_replacement_is_refused_with_the_key_result_ref():
    plan = cycle()
    goal = plan.objectives[2]
    with pytest.raises(ChangeRefused) as refused:
        replace_key_result(plan, goal, 1, kr("Late"), on=FIRST_LATE_DAY, reason="late")
    assert m9(refused.value.findings) == [(Severity.ERROR, "KR3.2")]
    assert goal.key_results[1].title == "Calm team B"


def test_replacing_a_full_objective_is_allowed():
    plan = cycle(krs=5)
    replace_key_result(plan, plan.objectives[0], 4, kr("Fifth"), on=START, reason="swap")
    assert plan.objectives[0].key_results[4].title == "Fifth"


def test_forced_late_replacement_is_flagged_by_check_cycle():
    plan = cycle()
    replace_key_result(plan, plan.objectives[1], 2, kr("Pivot"), on=date(2025, 3, 1), reason="pivot", forced=True)
    assert m9(check_cycle(plan)) == [(Severity.WARNING, "KR2.3")]


# Refs and errors ------------------------------------------------------------------------------------------


def test_refs_follow_the_objective_itself_not_an_equal_one():
    plan = Cycle("Q1", START, END, status=CycleStatus.TRACKING, objectives=[Objective("Same"), Objective("Same")])
    with pytest.raises(ChangeRefused) as refused:
        add_key_result(plan, plan.objectives[1], kr("Late"), on=FIRST_LATE_DAY, reason="x")
    assert m9(refused.value.findings) == [(Severity.ERROR, "O2")]


def test_objective_outside_the_cycle_is_a_value_error():
    with pytest.raises(ValueError):
        add_key_result(cycle(), Objective("Elsewhere"), kr("New"), on=START, reason="x")


def test_change_refused_is_an_okr_error():
    assert issubclass(ChangeRefused, OkrError)
