"""An edited plan applied to a tracking cycle as M9 changes (pure domain): all of them or none."""

import copy

import pytest

from addon.domain.method.changes import ChangeRefused
from addon.domain.method.model import CycleStatus
from addon.domain.method.plan_update import plan_update
from addon.domain.method.tracked_update import apply_tracked
from tests.domain.test_changes import FIRST_LATE_DAY, LAST_FREE_DAY, cycle, kr


def test_new_titles_continue_the_key_results_in_order_and_the_last_one_is_never_removed():
    stored = cycle()
    planned = copy.deepcopy(stored)
    planned.objectives[0].key_results = [kr("Fresh 1"), kr("Fresh 2")]
    result, logged = apply_tracked(stored, plan_update(stored, planned, values=False), on=LAST_FREE_DAY, reason="r")
    objective = result.objectives[0]
    assert [(kr.number, kr.title) for kr in objective.key_results] == [(1, "Fresh 1"), (2, "Fresh 2")]
    assert [(removed.number, removed.title) for removed in objective.removed] == [(3, "Delight customers C")]
    assert [(e.ref, e.change.action) for e in logged] == [("KR1.3", "removed"), ("KR1.1", "replaced"),
                                                          ("KR1.2", "replaced")]  # fmt: skip
    assert logged[1].change.previous_title == "Delight customers A"
    assert stored.objectives[0].key_results[0].title == "Delight customers A"  # the stored cycle is left alone
    planned.objectives[0].key_results = []
    with pytest.raises(ChangeRefused) as refused:
        apply_tracked(stored, plan_update(stored, planned, values=False), on=LAST_FREE_DAY, reason="r")
    assert [f.ref for f in refused.value.findings] == ["KR1.3"]  # M5: a tracked objective keeps one


def test_every_refused_change_is_listed_and_the_stored_cycle_stays_as_it_was():
    stored = cycle()
    planned = copy.deepcopy(stored)
    planned.objectives[0].key_results[0].target = 20.0
    planned.objectives[1].title = "Win DACH and Austria"
    planned.objectives[2].key_results.append(kr("Calm team D", owner=None))
    before = copy.deepcopy(stored)
    update = plan_update(stored, planned, values=False)
    with pytest.raises(ChangeRefused) as refused:
        apply_tracked(stored, update, on=FIRST_LATE_DAY, reason="late")
    assert [(f.rule, f.ref) for f in refused.value.findings] == [("M9", "KR1.1"), ("M9", "O2"), ("M7", "KR3.4")]
    assert stored == before


def test_a_forced_late_change_is_logged_as_forced():
    stored = cycle()
    planned = copy.deepcopy(stored)
    planned.objectives[0].key_results[0].target = 20.0
    result, logged = apply_tracked(
        stored, plan_update(stored, planned, values=False), on=FIRST_LATE_DAY, reason="late", forced=True
    )
    assert [(e.ref, e.change.action, e.change.forced) for e in logged] == [("KR1.1", "replaced", True)]
    assert result.objectives[0].key_results[0].target == 20.0 and result.status is CycleStatus.TRACKING
    assert logged[0].line() == f"{FIRST_LATE_DAY} KR1.1 replaced (forced): late"
