"""Credit-based rate limits per user per app (https://developers.miro.com/reference/rate-limiting).

Each (user, app) pair has `credits_per_minute` credits (100,000 by default) in a fixed one-minute window that
starts with its first request. An operation costs credits by its level (Level 1 = 50, 2 = 100, 3 = 500,
4 = 2,000; bulk create costs Level 2 per item). Every authenticated API response carries `X-RateLimit-Limit`,
`X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds); a request that would overspend gets 429 and
costs nothing.
"""

from __future__ import annotations

import math
import threading
from collections import Counter

LEVEL_CREDITS = {1: 50, 2: 100, 3: 500, 4: 2000}
WINDOW_SECONDS = 60


class CreditLimiter:
    """Tracks credits spent per (user, app) window, and in total per user for the stats page."""

    def __init__(self, per_minute: int, clock):
        self.per_minute = per_minute
        self.clock = clock
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], list[float]] = {}
        self.spent: Counter[str] = Counter()

    def reset(self) -> None:
        """Forget all windows and totals."""
        with self._lock:
            self._windows.clear()
            self.spent.clear()

    def charge(self, user_id: str, app_id: str, cost: int) -> tuple[bool, dict[str, str]]:
        """Spend `cost` credits if the window allows it; return (allowed, rate-limit headers)."""
        now = self.clock()
        with self._lock:
            window = self._windows.get((user_id, app_id))
            if window is None or now >= window[0] + WINDOW_SECONDS:
                window = self._windows[(user_id, app_id)] = [now, 0]
            allowed = window[1] + cost <= self.per_minute
            if allowed:
                window[1] += cost
                self.spent[user_id] += cost
            headers = {
                "X-RateLimit-Limit": str(self.per_minute),
                "X-RateLimit-Remaining": str(int(max(0, self.per_minute - window[1]))),
                "X-RateLimit-Reset": str(math.ceil(window[0] + WINDOW_SECONDS)),
            }
        return allowed, headers

    def spent_by_user(self) -> dict[str, int]:
        """Return a copy of the credits spent per user since the last reset."""
        with self._lock:
            return dict(self.spent)
