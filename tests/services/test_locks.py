"""One sync per board at a time: a lease in the store, across threads and processes, SQLite and PostgreSQL."""

import multiprocessing
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from addon.adapters.locks import Lease, SyncBusy, board_lease
from addon.adapters.store import Store


def test_a_second_holder_is_refused_until_the_first_releases(store):
    first = Lease(store.engine, "sync:b1", holder="worker-1").acquire()
    with pytest.raises(SyncBusy, match="worker-1"):
        Lease(store.engine, "sync:b1", holder="worker-2").acquire()
    first.release()
    with Lease(store.engine, "sync:b1", holder="worker-2") as second:
        assert second.held


def test_leases_of_different_boards_do_not_block_each_other(store):
    with board_lease(store.engine, "b1"), board_lease(store.engine, "b2") as other:
        assert other.held


def test_an_expired_lease_is_taken_over(store):
    start = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    Lease(store.engine, "sync:b1", holder="crashed", ttl=60, clock=lambda: start).acquire()
    with pytest.raises(SyncBusy):
        Lease(store.engine, "sync:b1", holder="late", clock=lambda: start + timedelta(seconds=59)).acquire()
    taker = Lease(store.engine, "sync:b1", holder="late", clock=lambda: start + timedelta(seconds=61)).acquire()
    assert taker.held


def test_releasing_a_lease_someone_took_over_leaves_theirs(store):
    start = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    stale = Lease(store.engine, "sync:b1", holder="stale", ttl=1, clock=lambda: start).acquire()
    Lease(store.engine, "sync:b1", holder="fresh", clock=lambda: start + timedelta(seconds=5)).acquire()
    stale.release()
    with pytest.raises(SyncBusy, match="fresh"):
        Lease(store.engine, "sync:b1", holder="third", clock=lambda: start + timedelta(seconds=6)).acquire()


def _contend(engine, rounds: int, inside: list, peak: list, errors: list, lock: threading.Lock) -> None:
    for _ in range(rounds):
        try:
            with board_lease(engine, "busy-board"):
                with lock:
                    inside.append(1)
                    peak.append(len(inside))
                time.sleep(0.001)  # hold it a moment, so others try while it is held
                with lock:
                    inside.pop()
        except SyncBusy:
            pass
        except Exception as error:  # noqa: BLE001 - any other failure (e.g. "database is locked") fails the test
            errors.append(error)


def test_eight_threads_never_hold_one_board_at_once(store):
    inside, peak, errors, lock = [], [], [], threading.Lock()
    threads = [threading.Thread(target=_contend, args=(store.engine, 40, inside, peak, errors, lock)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and peak and max(peak) == 1


def _process_worker(url: str, rounds: int, counter, peak, failures) -> None:
    store = Store.open(url, migrate=False)
    for _ in range(rounds):
        try:
            with board_lease(store.engine, "busy-board"):
                with counter.get_lock():
                    counter.value += 1
                    peak.value = max(peak.value, counter.value)
                time.sleep(0.002)
                with counter.get_lock():
                    counter.value -= 1
        except SyncBusy:
            pass
        except Exception:  # noqa: BLE001 - counted, then asserted to be none
            with failures.get_lock():
                failures.value += 1
    store.close()


def test_four_processes_never_hold_one_board_at_once(store):
    url = store.engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    counter, peak, failures = context.Value("i", 0), context.Value("i", 0), context.Value("i", 0)
    workers = [context.Process(target=_process_worker, args=(url, 25, counter, peak, failures)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    assert failures.value == 0 and peak.value == 1
