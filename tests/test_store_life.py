"""Stable refs in the store, on SQLite and PostgreSQL: a key result keeps its number, a removed one's stays taken."""

from datetime import date

from addon.domain.method.changes import add_key_result, remove_key_result, update_objective
from addon.domain.method.model import CycleStatus, KeyResult
from tests.test_store import imported

ON = date(2027, 1, 20)


def test_a_removed_key_result_leaves_the_others_their_numbers_and_keeps_its_own(store):
    cycle = imported(store)
    with store.unit("team-1") as uow:
        loaded = uow.cycles.get(cycle.id)
        loaded.status = CycleStatus.TRACKING
        objective = loaded.objectives[1]
        remove_key_result(loaded, objective, objective.key_results[1], on=ON, reason="moved to Q2")
        update_objective(loaded, objective, {"title": "Earn compliance teams' trust"}, on=ON, reason="wording")
        uow.cycles.save(loaded)
    with store.unit("team-1") as uow:
        again = uow.cycles.get(cycle.id)
        objective = again.objectives[1]
        assert [ref for ref, _ in again.key_results_by_ref().items() if ref.startswith("KR2.")] == ["KR2.1", "KR2.3"]
        [gone] = objective.removed
        assert (gone.number, gone.title) == (2, "Compliance leads in the community")
        assert [(c.action, c.reason) for c in gone.history] == [("removed", "moved to Q2")]
        assert [(c.action, c.previous_title) for c in objective.history] == [
            ("updated", "Win the trust of compliance teams")
        ]
        add_key_result(again, objective, KeyResult(title="Audit findings closed", target=12), on=ON, reason="audit")
        uow.cycles.save(again)
    with store.unit("team-1") as uow:
        numbers = [number for number, _ in uow.cycles.get(cycle.id).objectives[1].numbered()]
    assert numbers == [1, 3, 4]  # the removed KR2.2 is not given again


def test_removing_the_highest_number_does_not_give_it_again(store):
    cycle = imported(store)
    with store.unit("team-1") as uow:
        loaded = uow.cycles.get(cycle.id)
        objective = loaded.objectives[0]
        remove_key_result(loaded, objective, objective.key_results[-1], on=ON, reason="")
        uow.cycles.save(loaded)
    with store.unit("team-1") as uow:
        loaded = uow.cycles.get(cycle.id)
        objective = loaded.objectives[0]
        add_key_result(loaded, objective, KeyResult(title="Referrals", target=5), on=ON, reason="")
        uow.cycles.save(loaded)
    with store.unit("team-1") as uow:
        assert [n for n, _ in uow.cycles.get(cycle.id).objectives[0].numbered()] == [1, 2, 4]
