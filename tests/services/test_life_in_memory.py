"""The cycle's life on both stores (in memory and SQLite): refs kept through removals, refused changes leave
the store as it was."""

from datetime import date
from pathlib import Path

import pytest

from addon.domain.method.changes import ChangeRefused
from addon.domain.method.model import ObjectiveType
from addon.services.cycles import import_plan_file
from addon.services.kr_changes import BadValue, add_to_cycle, remove_from_cycle
from addon.services.objective_changes import add_to_cycle as add_objective
from addon.services.objective_changes import update_in_cycle
from tests.memory_store import MemoryStore

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TENANT = "team-1"
ON = date(2027, 1, 20)


@pytest.fixture(params=["memory", "sqlite"])
def any_store(request, sqlite_store):
    return MemoryStore() if request.param == "memory" else sqlite_store


def refs(store, cycle_id):
    with store.unit(TENANT) as uow:
        return list(uow.cycles.get(cycle_id).key_results_by_ref())


def test_removing_then_adding_keeps_every_other_ref(any_store):
    cycle, _ = import_plan_file(EXAMPLES / "company-q1.yaml", any_store, TENANT)
    remove_from_cycle(any_store, TENANT, str(cycle.id), "KR1.2", on=ON, reason=None)
    new = add_to_cycle(any_store, TENANT, str(cycle.id), "O1", {"title": "Referrals", "target": "5"}, on=ON, reason="")
    assert new == "KR1.4"
    assert refs(any_store, cycle.id)[:3] == ["KR1.1", "KR1.3", "KR1.4"]


def test_refused_objective_changes_leave_the_store_as_it_was(any_store):
    cycle, _ = import_plan_file(EXAMPLES / "company-q1.yaml", any_store, TENANT)
    with any_store.unit(TENANT) as uow:
        before = uow.cycles.get(cycle.id)
    for n in (4, 5):
        add_objective(
            any_store, TENANT, str(cycle.id), title=f"Goal {n}", type=ObjectiveType.LEARNING, on=ON, reason=""
        )
    with pytest.raises(ChangeRefused, match="already has 5 objectives"):
        add_objective(any_store, TENANT, str(cycle.id), title="Goal 6", type=ObjectiveType.LEARNING, on=ON, reason="")
    with pytest.raises(BadValue, match="--title: an objective needs a title"):
        update_in_cycle(any_store, TENANT, str(cycle.id), "O1", {"title": " "}, on=ON, reason="")
    with any_store.unit(TENANT) as uow:
        after = uow.cycles.get(cycle.id)
    assert after.objectives[:3] == before.objectives and len(after.objectives) == 5
