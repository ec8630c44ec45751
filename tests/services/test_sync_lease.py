"""The board's lease lives as long as the sync: renewed while it runs (on an injected clock), given up at the end;
a sync that lost it stops before writing the store or the board; a crashed sync's lease simply runs out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from addon.adapters.locks import DEFAULT_TTL_SECONDS, Lease, LeaseLost, SyncBusy
from addon.services.kr_update import update_key_result
from addon.services.sync_board import sync_cycle
from tests.services.sync_kit import TENANT, generated_board


class Clock:
    """Our clock, moved by the test (a sync that waits out rate limits, a crash...)."""

    def __init__(self):
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Listing:
    """A gateway whose listing calls `on_page(page)` before each page of 50 items (a page that took long...)."""

    def __init__(self, gateway, on_page):
        self.gateway, self.on_page = gateway, on_page

    def __getattr__(self, name):
        return getattr(self.gateway, name)

    def iter_items(self, board_id, **kwargs):
        for index, item in enumerate(self.gateway.iter_items(board_id, **kwargs)):
            if index % 50 == 0:
                self.on_page(index // 50)
            yield item


def other_takes(store, board, clock) -> bool:
    """Whether another worker could take the board's lease now (it gives it back at once)."""
    try:
        Lease(store.engine, f"sync:{board.board_id}", holder="other-worker", clock=clock).acquire().release()
    except SyncBusy:
        return False
    return True


@pytest.fixture
def board(store, gateway):
    made = generated_board(store, gateway)
    sync_cycle(store, TENANT, str(made.cycle_id), gateway)
    return made


def test_a_sync_longer_than_its_lease_keeps_it_and_gives_it_up_at_the_end(store, gateway, board):
    clock, taken = Clock(), []

    def slow_page(_page):
        clock.advance(DEFAULT_TTL_SECONDS / 2)  # each page waits out Miro's rate limit
        taken.append(other_takes(store, board, clock))

    update_key_result(store, TENANT, str(board.cycle_id), "KR1.1", current="2")
    result = sync_cycle(store, TENANT, str(board.cycle_id), Listing(gateway, slow_page), clock=clock)

    assert len(taken) == 4 and taken == [False] * 4  # two whole leases went by; nobody could take it
    assert result.complete and [p["ref"] for p in result.patches] == ["KR1.1"]
    assert other_takes(store, board, clock)  # given up at the end


def test_a_sync_that_lost_its_lease_stops_before_writing_and_says_so(store, gateway, miro, board):
    clock = Clock()

    def stalled(page):
        if page == 1:
            clock.advance(DEFAULT_TTL_SECONDS + 1)  # one call stalled longer than the lease...
            Lease(store.engine, f"sync:{board.board_id}", holder="other-worker", clock=clock).acquire()  # ...taken

    update_key_result(store, TENANT, str(board.cycle_id), "KR1.1", current="2")
    with store.unit(TENANT) as uow:
        before = uow.boards.entries(uow.boards.latest_board(board.cycle_id).id)
    miro.reset(state=False)

    with pytest.raises(LeaseLost, match="other-worker took it over; this sync stopped before writing"):
        sync_cycle(store, TENANT, str(board.cycle_id), Listing(gateway, stalled), clock=clock)

    assert [method for method, _ in miro.item_requests()] == []  # no read before a write, no PATCH
    with store.unit(TENANT) as uow:
        assert uow.boards.entries(uow.boards.latest_board(board.cycle_id).id) == before
    assert not other_takes(store, board, clock)  # the new holder keeps its lease
    clock.advance(DEFAULT_TTL_SECONDS + 1)
    result = sync_cycle(store, TENANT, str(board.cycle_id), gateway, clock=clock)
    assert [p["ref"] for p in result.patches] == ["KR1.1"]


def test_a_crashed_syncs_lease_runs_out_and_the_board_syncs_again(store, gateway, board):
    clock = Clock()
    Lease(store.engine, f"sync:{board.board_id}", holder="crashed-worker", clock=clock).acquire()  # never released
    clock.advance(DEFAULT_TTL_SECONDS - 1)
    with pytest.raises(SyncBusy, match="crashed-worker"):
        sync_cycle(store, TENANT, str(board.cycle_id), gateway, clock=clock)
    clock.advance(2)
    assert sync_cycle(store, TENANT, str(board.cycle_id), gateway, clock=clock).complete


def test_a_heartbeat_renews_only_once_a_third_of_the_lease_has_passed(store):
    clock = Clock()
    lease = Lease(store.engine, "sync:b1", holder="worker", ttl=90, clock=clock).acquire()
    clock.advance(29)
    lease.heartbeat()
    assert lease.renewals == 0
    clock.advance(1)
    lease.heartbeat()
    assert lease.renewals == 1
    clock.advance(89)  # 119 s after taking it: alive only because it was renewed at 30 s
    with pytest.raises(SyncBusy):
        Lease(store.engine, "sync:b1", holder="other", clock=clock).acquire()
    lease.release()
