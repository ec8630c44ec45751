"""Use cases on the in-memory store: what they decide, and that a refused use case leaves the store as it was.

The first tests check that the in-memory store keeps the same contract as the real one (they run on both), so
the others can trust it.
"""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from addon.adapters.plan_file import load_plan
from addon.domain.method.changes import ChangeRefused
from addon.domain.method.model import CycleStatus
from addon.services.checkin import CheckinRefused, record_checkin
from addon.services.cycles import import_plan_file
from addon.services.kr_changes import BadValue, add_to_cycle, replace_in_cycle
from addon.services.kr_update import KRUpdateError, update_key_result
from addon.services.ports import CycleAmbiguous, CycleNotFound
from tests.memory_store import MemoryStore

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TENANT = "team-1"
NEW_KR = {"title": "Partner webinars", "target": "4", "owner": "Ben", "due": date(2027, 3, 20)}


@pytest.fixture(params=["memory", "sqlite"])
def any_store(request, sqlite_store):
    return MemoryStore() if request.param == "memory" else sqlite_store


def test_both_stores_keep_cycles_per_tenant_and_find_them_by_id_or_name(any_store):
    with any_store.unit(TENANT) as uow:
        first = uow.cycles.add(load_plan(EXAMPLES / "company-q1.yaml").cycle)
        second = uow.cycles.add(load_plan(EXAMPLES / "company-q1.yaml").cycle)
    with any_store.unit(TENANT) as uow:
        assert uow.cycles.find(str(first.id)).name == first.name
        with pytest.raises(CycleAmbiguous, match=f"ids {first.id} .*, {second.id} "):
            uow.cycles.find(first.name)  # never silently the newest of that name
        assert [c.id for c in uow.cycles.list()] == [second.id, first.id]
        kr = uow.cycles.get(first.id).objectives[0].key_results[0]
        assert kr.id is not None and kr.title == first.objectives[0].key_results[0].title
    with any_store.unit("another-team") as uow, pytest.raises(CycleNotFound):
        uow.cycles.get(first.id)
    with any_store.unit(TENANT) as uow:
        uow.cycles.delete(second.id)
    with any_store.unit(TENANT) as uow:
        assert uow.cycles.find(first.name).id == first.id and [c.id for c in uow.cycles.list()] == [first.id]


def test_both_stores_roll_a_failed_unit_back(any_store):
    with any_store.unit(TENANT) as uow:
        cycle = uow.cycles.add(load_plan(EXAMPLES / "company-q1.yaml").cycle)
    with pytest.raises(RuntimeError), any_store.unit(TENANT) as uow:
        changed = uow.cycles.get(cycle.id)
        changed.name = "renamed"
        uow.cycles.save(changed)
        raise RuntimeError("the use case failed after writing")
    with any_store.unit(TENANT) as uow:
        assert uow.cycles.get(cycle.id).name == cycle.name


def test_both_stores_count_a_cycles_saves_and_keep_a_boards_synced_stamp(any_store):
    with any_store.unit(TENANT) as uow:
        cycle = uow.cycles.add(load_plan(EXAMPLES / "company-q1.yaml").cycle)
        board = uow.boards.add_board(cycle.id, "b-1", None, "en")
    with any_store.unit(TENANT) as uow:
        before = uow.cycles.summary(cycle.name)
        assert (before.id, before.name, before.parent_id) == (cycle.id, cycle.name, None)
        uow.cycles.save(uow.cycles.get(cycle.id))
        uow.boards.mark_synced(board.id, datetime(2027, 1, 5, tzinfo=UTC), "stamp-1")
    with any_store.unit(TENANT) as uow:
        assert uow.cycles.summary(str(cycle.id)).revision == before.revision + 1
        assert uow.boards.latest_board(cycle.id).synced_stamp == "stamp-1"
    with any_store.unit("another-team") as uow, pytest.raises(CycleNotFound):
        uow.cycles.summary(str(cycle.id))


def test_both_stores_list_a_company_cycles_team_cycles_with_their_revisions(any_store):
    with any_store.unit(TENANT) as uow:
        company = uow.cycles.add(load_plan(EXAMPLES / "company-q1.yaml").cycle)
        teams = [load_plan(EXAMPLES / "team-sales-q1.yaml").cycle for _ in range(2)]
        for team in teams:
            team.parent_id = company.id
        first, second = (uow.cycles.add(team) for team in teams)
        uow.cycles.add(load_plan(EXAMPLES / "company-q1.yaml").cycle)  # another company cycle: not a child
    with any_store.unit(TENANT) as uow:
        uow.cycles.save(uow.cycles.get(second.id))
        listed = uow.cycles.children(company.id)
        assert [(c.id, c.parent_id) for c in listed] == [(first.id, company.id), (second.id, company.id)]
        assert listed[1].revision == uow.cycles.summary(str(second.id)).revision == listed[0].revision + 1
    with any_store.unit("another-team") as uow:
        assert uow.cycles.children(company.id) == []


@pytest.fixture
def store():
    return MemoryStore()


@pytest.fixture
def cycle_id(store):
    cycle, _findings = import_plan_file(EXAMPLES / "company-q1.yaml", store, TENANT)
    return str(cycle.id)


def stored(store, cycle_id):
    with store.unit(TENANT) as uow:
        return uow.cycles.get(int(cycle_id))


def test_a_key_result_added_with_its_numbers_as_text_reads_them_in_the_cycle_language(store, cycle_id):
    ref = add_to_cycle(store, TENANT, cycle_id, "O1", {**NEW_KR, "target": "1,500"}, on=date(2027, 1, 10), reason="new")
    assert ref == "KR1.4"
    assert stored(store, cycle_id).key_results_by_ref()["KR1.4"][1].target == 1500


@pytest.mark.parametrize("target", ["1e308", "inf", "6.500", "0x10"])
def test_a_key_result_with_an_unreadable_number_is_refused_and_nothing_changes(store, cycle_id, target):
    before = stored(store, cycle_id)
    with pytest.raises(BadValue, match="--target: "):
        add_to_cycle(store, TENANT, cycle_id, "O1", {**NEW_KR, "target": target}, on=date(2027, 1, 10), reason="x")
    assert stored(store, cycle_id) == before


def test_a_replacement_after_mid_cycle_is_refused_without_force_and_leaves_the_store(store, cycle_id):
    with store.unit(TENANT) as uow:
        cycle = uow.cycles.get(int(cycle_id))
        cycle.status = CycleStatus.TRACKING
        uow.cycles.save(cycle)
    before = stored(store, cycle_id)
    with pytest.raises(ChangeRefused):
        replace_in_cycle(store, TENANT, cycle_id, "KR1.1", {"title": "Other"}, on=date(2027, 3, 1), reason="late")
    assert stored(store, cycle_id) == before


def test_a_comment_waits_for_the_next_checkin(store, cycle_id):
    updated = update_key_result(store, TENANT, cycle_id, "KR1.2", current="12", comment="Two demos a week")
    assert (updated.current, updated.comment) == (12, "Two demos a week")
    assert stored(store, cycle_id).key_results_by_ref()["KR1.2"][1].comment == "Two demos a week"


def test_an_update_with_a_bad_score_changes_nothing(store, cycle_id):
    before = stored(store, cycle_id)
    with pytest.raises(KRUpdateError):
        update_key_result(store, TENANT, cycle_id, "KR1.2", current="12", score="1.7")
    assert stored(store, cycle_id) == before


def test_a_checkin_before_tracking_is_refused(store, cycle_id):
    with pytest.raises(CheckinRefused, match="not being tracked"):
        record_checkin(store, TENANT, cycle_id, gateway=None, on=date(2027, 1, 18), sync=False)
