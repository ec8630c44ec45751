"""Changing a cycle's key results never undoes what a sync or a teammate saved meanwhile (SQLite and PostgreSQL)."""

import threading
from datetime import date

import addon.services.kr_changes as kr_changes
from addon.services.kr_update import update_key_result
from tests.test_store import imported

ON = date(2027, 1, 20)


def test_removing_a_key_result_keeps_a_value_saved_while_it_ran(store, monkeypatch):
    cycle = imported(store)
    remove, racer = kr_changes.remove_key_result, {}

    def remove_while_a_teammate_updates(*args, **kwargs):
        update = {"current": "3"}
        racer["thread"] = threading.Thread(
            target=update_key_result, args=(store, "team-1", str(cycle.id), "KR1.1"), kwargs=update
        )
        racer["thread"].start()
        racer["thread"].join(timeout=0.5)  # unlocked, the update commits now; locked, it waits for this change
        return remove(*args, **kwargs)

    monkeypatch.setattr(kr_changes, "remove_key_result", remove_while_a_teammate_updates)
    kr_changes.remove_from_cycle(store, "team-1", str(cycle.id), "KR2.2", on=ON, reason=None)
    racer["thread"].join()
    with store.unit("team-1") as uow:
        after = uow.cycles.get(cycle.id).key_results_by_ref()
    assert "KR2.2" not in after
    assert after["KR1.1"][1].current == 3
