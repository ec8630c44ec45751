"""A sync's burst of objects runs with fewer collections, and the collector is as it was afterwards."""

import gc
import threading

from addon.services.gc_burst import THRESHOLD, gc_for_burst


def test_the_collector_is_tuned_during_a_burst_and_restored_after():
    before = gc.get_threshold()
    with gc_for_burst():
        assert gc.get_threshold()[0] == max(THRESHOLD, before[0])
        assert gc.get_freeze_count() > 0
        with gc_for_burst():  # nested (or another thread's): still tuned
            pass
        assert gc.get_threshold()[0] == max(THRESHOLD, before[0])
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_the_collector_is_restored_when_the_burst_fails_and_when_threads_overlap():
    before = gc.get_threshold()
    try:
        with gc_for_burst():
            raise RuntimeError("the sync failed")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before
    inside, release = threading.Event(), threading.Event()

    def other():
        with gc_for_burst():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with gc_for_burst():
        pass
    assert gc.get_threshold() != before  # the other thread's burst is still running
    release.set()
    thread.join(5)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
