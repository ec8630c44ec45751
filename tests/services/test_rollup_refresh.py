"""The company board's roll-up refresh inside sync: a failed PATCH is said and tried again by the next sync, and
a board generated before roll-up frames existed syncs as before."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from addon.adapters.locks import LeaseLost
from addon.adapters.plan_file import load_plan
from addon.services.kr_update import update_key_result
from addon.services.ports import BoardUnavailable
from addon.services.sync_board import sync_cycle
from tests.services.sync_kit import EXAMPLES, TENANT, FailingPages, generated_board


class FailingUpdates:
    """A gateway whose item updates fail, as when Miro keeps failing past the retries."""

    def __init__(self, gateway):
        self.gateway = gateway

    def __getattr__(self, name):
        return getattr(self.gateway, name)

    def update_item(self, *args, **kwargs):
        raise BoardUnavailable("Miro answered 503 three times")


def with_team(store, company_id: int) -> int:
    team = load_plan(EXAMPLES / "team-sales-q1.yaml").cycle
    team.parent_id = company_id
    with store.unit(TENANT) as uow:
        return uow.cycles.add(team).id


def test_a_rollup_patch_that_fails_is_reported_and_the_next_sync_writes_it(sqlite_store, gateway):
    board = generated_board(sqlite_store, gateway, track=False)
    team = with_team(sqlite_store, board.cycle_id)
    update_key_result(sqlite_store, TENANT, str(team), "KR1.1", current="3")
    failed = sync_cycle(sqlite_store, TENANT, str(board.cycle_id), FailingUpdates(gateway))
    assert [(f["kind"], f["key"]) for f in failed.findings] == [
        ("patch_failed", "rollup:teams"),
        ("patch_failed", "rollup:alignment"),
    ]
    assert "roll-up could not be updated (Miro answered 503 three times)" in failed.findings[0]["message"]
    written = sync_cycle(sqlite_store, TENANT, str(board.cycle_id), gateway)
    assert [p["key"] for p in written.patches] == ["rollup:teams", "rollup:alignment"] and written.findings == []
    assert sync_cycle(sqlite_store, TENANT, str(board.cycle_id), gateway).quiet


def test_a_team_cycles_board_has_no_rollup_and_its_sync_is_unchanged(sqlite_store, gateway):
    company = generated_board(sqlite_store, gateway, track=False)
    team = load_plan(EXAMPLES / "team-sales-q1.yaml").cycle
    team.parent_id = company.cycle_id
    board = generated_board(sqlite_store, gateway, track=False, cycle=team)
    assert not any(key.startswith(("frame:rollup", "rollup:")) for key in board.ids)
    first = sync_cycle(sqlite_store, TENANT, str(board.cycle_id), gateway)
    assert not any(p["key"].startswith("rollup:") for p in first.patches)
    assert sync_cycle(sqlite_store, TENANT, str(board.cycle_id), gateway).quiet


def test_a_sync_that_cannot_list_the_board_leaves_the_rollup_alone(sqlite_store, gateway):
    board = generated_board(sqlite_store, gateway, track=False)
    update_key_result(sqlite_store, TENANT, str(with_team(sqlite_store, board.cycle_id)), "KR1.1", current="3")
    failed = sync_cycle(sqlite_store, TENANT, str(board.cycle_id), FailingPages(gateway, 1))
    assert not failed.complete and failed.patches == [] and failed.usage["writes"] == 0
    assert [p["key"] for p in sync_cycle(sqlite_store, TENANT, str(board.cycle_id), gateway).patches] == [
        "rollup:teams",
        "rollup:alignment",
    ]


class TakenOverAfterTheFirstUpdate:
    """A gateway during whose first item update another sync takes the board's lease over, a minute later."""

    def __init__(self, gateway, store, clock):
        self.gateway, self.store, self.clock, self.updates = gateway, store, clock, 0

    def __getattr__(self, name):
        return getattr(self.gateway, name)

    def update_item(self, *args, **kwargs):
        self.updates += 1
        if self.updates == 1:
            with self.store.engine.begin() as connection:
                connection.execute(text("UPDATE locks SET holder = 'another-host:1:abc'"))
            self.clock.now += timedelta(seconds=61)  # time enough for the lease to be renewed before a write
        return self.gateway.update_item(*args, **kwargs)


def test_a_sync_that_lost_its_lease_writes_no_more_rollup_panels(sqlite_store, gateway):
    board = generated_board(sqlite_store, gateway, track=False)
    update_key_result(sqlite_store, TENANT, str(with_team(sqlite_store, board.cycle_id)), "KR1.1", current="3")
    clock = SimpleNamespace(now=datetime.now(UTC))
    racing = TakenOverAfterTheFirstUpdate(gateway, sqlite_store, clock)
    with pytest.raises(LeaseLost):
        sync_cycle(sqlite_store, TENANT, str(board.cycle_id), racing, clock=lambda: clock.now)
    assert racing.updates == 1  # the second panel was not written once the lease was gone
