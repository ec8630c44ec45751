"""Requests in flight: bounded by a ceiling and by Miro's credits left, fewer after a push-back, waits told once."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from miro_client import AdaptiveLimiter, MiroClient
from miro_client.limiter import DEFAULT_CONCURRENCY
from miro_emulator.config import EmulatorConfig
from miro_emulator.testing import EmulatorServer
from tests.miro_client.miro_testkit import API, BOARD, BOARD_PATH, FakeClock, SharedClock

NOW = 1_700_000_000.0


def answer(remaining: int, reset_in: int = 30, limit: int = 100_000) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(int(NOW) + reset_in),
    }


def started(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


def test_the_default_ceiling_is_the_documented_one():
    assert AdaptiveLimiter().ceiling == DEFAULT_CONCURRENCY == MiroClient("T").max_workers == 16


def test_a_call_waits_while_the_ceiling_is_in_flight_and_goes_when_one_answers():
    limiter = AdaptiveLimiter(2, clock=lambda: NOW)
    limiter.acquire(50)
    limiter.acquire(50)
    third = started(limiter.acquire, 50)
    third.join(0.1)
    assert third.is_alive()  # held: two in flight
    limiter.release(50, 200, answer(90_000))
    third.join(5)
    assert not third.is_alive()


def test_credits_in_flight_never_exceed_what_miro_says_is_left():
    limiter = AdaptiveLimiter(16, clock=lambda: NOW)
    limiter.acquire(50)
    limiter.release(50, 200, answer(2_500))
    limiter.acquire(2_000)  # a bulk of 20
    second = started(limiter.acquire, 2_000)
    second.join(0.1)
    assert second.is_alive()  # 4,000 would overspend the 2,500 left
    limiter.release(2_000, 201, answer(4_000, reset_in=90))  # the next window's answer: room again
    second.join(5)
    assert not second.is_alive()


def test_with_nothing_in_flight_and_the_budget_spent_it_waits_for_the_reset_and_says_so():
    clock, told = FakeClock(NOW), []
    limiter = AdaptiveLimiter(4, clock=clock.time, sleep=clock.sleep, on_wait=told.append)
    limiter.acquire(100)
    limiter.release(100, 201, answer(300, reset_in=42))
    limiter.acquire(2_000)
    assert told == [42.0] and clock.sleeps == [42.0] and limiter.waited == 42.0
    limiter.release(2_000, 201, answer(98_000, reset_in=102))
    limiter.acquire(100)  # a new window: no more waiting
    assert clock.sleeps == [42.0]


def test_a_429_with_credits_left_halves_the_limit_and_successes_grow_it_back():
    limiter = AdaptiveLimiter(8, clock=lambda: NOW)
    limiter.acquire(50)
    limiter.release(50, 429, answer(60_000))
    assert limiter.limit == 4
    limiter.acquire(50)
    limiter.release(50, 429, answer(60_000))
    assert limiter.limit == 2
    for _ in range(2 + 3 + 4 + 5 + 6 + 7):  # one more slot per `limit` successes, up to the ceiling
        limiter.acquire(50)
        limiter.release(50, 200, answer(50_000))
    assert limiter.limit == 8


def test_a_429_that_spent_the_budget_holds_every_call_until_the_reset_told_once():
    clock, told = FakeClock(NOW), []
    limiter = AdaptiveLimiter(4, clock=clock.time, sleep=clock.sleep, on_wait=told.append)
    limiter.acquire(100)
    limiter.release(100, 429, answer(0, reset_in=20))
    assert limiter.limit == 4  # not a push-back: the budget is spent
    limiter.acquire(100)
    limiter.release(100, 200, answer(99_900, reset_in=80))
    limiter.acquire(100)
    assert told == [20.0] and clock.sleeps == [20.0]


def test_answers_out_of_order_keep_the_smallest_remaining_of_a_window():
    limiter = AdaptiveLimiter(4, clock=lambda: NOW)
    for remaining in (5_000, 9_000):
        limiter.acquire(100)
        limiter.release(100, 201, answer(remaining))
    assert limiter.remaining == 5_000
    limiter.acquire(100)
    limiter.release(100, 201, answer(99_000, reset_in=90))  # the next window
    assert (limiter.remaining, limiter.reset) == (99_000, NOW + 90)


def test_a_wait_for_one_reset_happens_once_even_if_the_clock_does_not_move():
    told, sleeps = [], []
    limiter = AdaptiveLimiter(2, clock=lambda: NOW, sleep=sleeps.append, on_wait=told.append)
    limiter.acquire(100)
    limiter.release(100, 429, answer(0, reset_in=9))
    limiter.acquire(100)
    assert sleeps == [9.0] and told == [9.0]


def test_the_ceiling_must_allow_one_request():
    with pytest.raises(ValueError, match="ceiling"):
        AdaptiveLimiter(0)


def test_the_client_keeps_at_most_max_workers_requests_in_flight(miro, make_client):
    lock, active, peak = threading.Lock(), [0], [0]

    def slow(request):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.02)
        with lock:
            active[0] -= 1
        return 200, answer(90_000), '{"id": "b"}'

    miro.add_callback("GET", API + BOARD_PATH, callback=slow)
    client = make_client(max_workers=3)
    threads = [started(client.get_board, BOARD) for _ in range(9)]
    for thread in threads:
        thread.join(10)
    assert peak[0] == 3


def test_a_board_over_the_budget_waits_for_the_reset_instead_of_getting_429s():
    clock, told = SharedClock(), []
    config = EmulatorConfig(credits_per_minute=5_000, clock=clock.time)
    with EmulatorServer(config) as emulator:
        client = MiroClient(
            emulator.token, base_url=emulator.base_url, clock=clock.time, sleep=clock.sleep, on_wait=told.append
        )
        board = client.create_board(name="Over budget")  # 500 credits
        items = [{"type": "sticky_note", "data": {"content": str(n)}} for n in range(100)]  # 10,000 credits
        created = client.create_items_bulk(board["id"], items)
        stats = requests.get(emulator.base_url + "/_emulator/stats", timeout=5).json()
    assert len(created) == 100
    assert client.stats.snapshot()["operations"]["create-items"]["retries"] == 0  # no 429 needed
    assert len(told) == 2 and all(0 < seconds <= 60 for seconds in told)  # 10,500 credits: three windows
    assert stats["credits"] and sum(stats["credits"].values()) == 10_500
