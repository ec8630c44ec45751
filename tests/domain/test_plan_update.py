"""Matching an edited plan to a draft cycle, and the stable numbers it keeps (pure domain)."""

import copy
from datetime import date

import pytest

from addon.domain.method.changes import remove_key_result
from addon.domain.method.model import CycleStatus, KeyResult, Level, Objective, OkrError
from addon.domain.method.plan_update import match, plan_update
from tests.domain.test_changes import cycle, kr


def titles(*names):
    return [Objective(name) for name in names]


def test_items_match_by_title_first_then_in_order():
    old = titles("Alpha", "Beta", "Gamma")
    assert match(old, titles("Gamma", "Alpha")) == [2, 0]
    assert match(old, titles("alpha ", "Beta two", "Gamma")) == [0, 1, 2]  # an edited title continues its place
    assert match(old, titles("Alpha", "Gamma", "Delta")) == [0, 2, 1]
    assert match(old, titles("Alpha", "Beta", "Gamma", "Delta")) == [0, 1, 2, None]


def test_an_unchanged_plan_changes_nothing():
    stored = cycle()
    update = plan_update(stored, copy.deepcopy(stored))
    assert update.changes == [] and update.moved == {}
    assert [(ref, item.title) for ref, item in update.cycle.refs()] == [
        (ref, item.title) for ref, item in stored.refs()
    ]


def test_a_dropped_key_result_leaves_its_number_taken_and_a_new_one_comes_after():
    stored = cycle()
    planned = copy.deepcopy(stored)
    planned.objectives[1].key_results = [kr("Win DACH A"), kr("Win DACH C", target=12.0)]
    update = plan_update(stored, planned)
    assert [c.line() for c in update.changes] == ["- KR2.2 'Win DACH B'", "~ KR2.3 target: 10 -> 12"]
    assert [r.number for r in update.cycle.objectives[1].removed] == [2]
    assert stored.objectives[1].removed == []  # the stored cycle itself is left alone
    planned.objectives[1].key_results.append(kr("Win DACH D"))
    again = plan_update(update.cycle, planned)
    assert [c.line() for c in again.changes] == ["+ KR2.4 'Win DACH D'"]
    assert [n for n, _ in again.cycle.objectives[1].numbered()] == [1, 3, 4]


def test_a_removed_objective_and_a_moved_one_are_named():
    stored = cycle()
    planned = copy.deepcopy(stored)
    planned.objectives = [planned.objectives[0], planned.objectives[2]]
    update = plan_update(stored, planned)
    assert update.moved == {"O2": None, "O3": "O2"}
    assert update.changes[0].line() == "- O2 'Win DACH' with its key results"


def test_the_level_of_a_cycle_does_not_change():
    planned = cycle()
    planned.level, planned.team = Level.TEAM, "Sales"
    with pytest.raises(OkrError, match="cycle.level"):
        plan_update(cycle(), planned)


def test_a_key_result_removed_from_a_draft_is_not_logged_but_keeps_its_number():
    draft = cycle(status=CycleStatus.DRAFT)
    objective = draft.objectives[0]
    removed = remove_key_result(draft, objective, objective.key_results[0], on=date(2025, 1, 5), reason="")
    assert (removed.number, removed.history) == (1, ())
    objective.key_results.append(KeyResult("Fresh"))
    assert [n for n, _ in objective.numbered()] == [2, 3, 4]
