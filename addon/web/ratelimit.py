"""A per-address limit on sign-in attempts, so the OAuth endpoints cannot be hammered (sliding window).

The window lives in the process: with several processes each enforces its own, which still bounds the rate
by the number of processes.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from flask import current_app, request

from addon.web.errors import ApiError

SIGNIN_LIMIT, SIGNIN_WINDOW = 20, 60.0  # attempts per address per minute: a person never needs more


class SlidingWindow:
    """Allows `limit` events per key in any `window` seconds."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Record an event; return 0 when allowed, else the seconds until the next one is."""
        now = self.clock()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return events[0] + self.window - now
            events.append(now)
            if len(self._events) > 10_000:  # forget quiet addresses so the table stays small
                for stale in [k for k, v in self._events.items() if not v or v[-1] <= now - self.window]:
                    del self._events[stale]
            return 0.0


def limit_signin() -> None:
    """Refuse (429) an address that started too many sign-ins in the last minute."""
    extensions = current_app.extensions
    if "okrboard_signin_limit" not in extensions:
        limit = current_app.config.get("SIGNIN_LIMIT", SIGNIN_LIMIT)
        extensions["okrboard_signin_limit"] = SlidingWindow(limit, SIGNIN_WINDOW)
    wait = extensions["okrboard_signin_limit"].hit(request.remote_addr or "unknown")
    if wait:
        raise ApiError(429, "too_many_signins", f"Too many sign-in attempts from here: try again in {int(wait) + 1} s.")
