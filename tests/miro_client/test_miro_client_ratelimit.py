"""Rate budget: the client keeps Miro's X-RateLimit-* values, counts credits, and can throttle itself."""

from __future__ import annotations

import threading

import pytest

from miro_client import ClientStats, Throttle
from tests.miro_client.miro_testkit import API, BOARD, BOARD_PATH

HEADERS = {"X-RateLimit-Limit": "100000", "X-RateLimit-Remaining": "99450", "X-RateLimit-Reset": "1700000060"}


def test_stats_count_requests_and_credits_per_operation_and_keep_the_latest_headers(miro, client):
    miro.get(API + BOARD_PATH, json={"id": BOARD}, headers=HEADERS)
    miro.post(API + BOARD_PATH + "/frames", status=201, json={"id": "1"}, headers=HEADERS)
    miro.delete(API + BOARD_PATH + "/items/1", status=204, headers={**HEADERS, "X-RateLimit-Remaining": "98850"})

    client.get_board(BOARD)
    client.create_frame(BOARD, data={"title": "O1"})
    client.delete_item(BOARD, "1")

    snapshot = client.stats.snapshot()
    assert snapshot["requests"] == 3
    assert snapshot["credits"] == 50 + 100 + 500
    assert snapshot["operations"]["create-frame-item"] == {"requests": 1, "credits": 100, "retries": 0, "failures": 0}
    assert snapshot["rate_limit"] == {"limit": 100000, "remaining": 98850, "reset": 1700000060}
    assert f"API calls: {client.stats.requests}, credits: {client.stats.credits}" == "API calls: 3, credits: 650"


def test_stats_snapshot_is_a_plain_copy():
    stats = ClientStats()
    stats.record_response("get-items", 200, 100, {})
    snapshot = stats.snapshot()
    stats.record_response("get-items", 200, 100, {})
    assert snapshot["requests"] == 1
    assert snapshot["rate_limit"] == {"limit": None, "remaining": None, "reset": None}


def test_stats_are_thread_safe():
    stats = ClientStats()

    def hammer() -> None:
        for _ in range(1000):
            stats.record_response("get-items", 200, 100, HEADERS)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (stats.requests, stats.credits) == (8000, 800_000)


def test_throttle_keeps_a_client_below_its_share_of_the_minute(clock):
    throttle = Throttle(0.01, clock=clock.time, sleep=clock.sleep)  # 1,000 of 100,000 credits per minute
    for _ in range(10):
        throttle.acquire(100)
    assert clock.sleeps == []
    throttle.acquire(100)
    assert clock.sleeps == [pytest.approx(60.0)]


def test_throttle_lets_a_call_dearer_than_the_share_through_on_an_empty_window(clock):
    throttle = Throttle(0.01, clock=clock.time, sleep=clock.sleep)
    throttle.acquire(2000)  # a bulk of 20 items
    assert clock.sleeps == []
    throttle.acquire(50)
    assert clock.sleeps == [pytest.approx(60.0)]


def test_throttle_adopts_the_budget_miro_announces(clock):
    throttle = Throttle(0.5, clock=clock.time, sleep=clock.sleep)
    throttle.observe(1000)
    throttle.acquire(500)
    throttle.acquire(50)
    assert clock.sleeps == [pytest.approx(60.0)]


def test_throttle_share_must_be_a_fraction():
    with pytest.raises(ValueError, match="share"):
        Throttle(1.5)


def test_client_with_a_throttle_waits_before_overspending(miro, make_client, clock):
    client = make_client(throttle=0.001)  # 100 credits per minute
    for _ in range(3):
        miro.get(API + BOARD_PATH, json={"id": BOARD})
    client.get_board(BOARD)
    client.get_board(BOARD)
    assert clock.sleeps == []
    client.get_board(BOARD)
    assert clock.sleeps == [pytest.approx(60.0)]
    assert client.stats.snapshot()["requests"] == 3
