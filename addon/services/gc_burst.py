"""Fewer garbage collections while a sync makes its burst of short-lived objects (listing, journal, decision).

CPython collects its youngest generation every 700 net allocations, and each full collection walks every object
alive, most of them modules and caches that outlive any sync. During the burst, the objects alive before it are
frozen (collections skip them) and the first threshold is raised; both are restored after. bench/sync.py
measures the variants side by side (docs/benchmarks.md, "Sync: garbage collection").
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

FREEZE = True  # freeze what is alive before the burst
THRESHOLD = 50_000  # youngest-generation threshold during the burst (0 keeps the interpreter's)

_lock = threading.Lock()
_depth = 0  # bursts in progress (threads of a web server may sync at once): the last one out restores
_saved: tuple[int, int, int] | None = None


@contextmanager
def gc_for_burst() -> Iterator[None]:
    """Run a block with fewer collections (see the module docstring)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            if FREEZE:
                gc.freeze()
            if THRESHOLD:
                gc.set_threshold(max(THRESHOLD, _saved[0]), _saved[1], _saved[2])
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)
                gc.unfreeze()
