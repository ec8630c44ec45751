"""Credit accounting and an optional throttle for Miro's per-user rate limit.

Miro charges each call a number of credits by its rate-limit level and gives each user of each app a budget of
100,000 credits per minute (https://developers.miro.com/reference/rate-limiting). Every response carries
`X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix seconds).
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

# Credits per call by level, from the rate-limiting page above. Bulk create costs level 2 per item.
LEVEL_CREDITS: dict[int, int] = {1: 50, 2: 100, 3: 500, 4: 2000}
DEFAULT_BUDGET_PER_MINUTE = 100_000


@dataclass
class RateLimitState:
    """The latest X-RateLimit-* values Miro sent (None until a response carried them)."""

    limit: int | None = None
    remaining: int | None = None
    reset: int | None = None


def int_header(headers: Mapping[str, str], name: str) -> int | None:
    """Return a header's whole number, or None when it is absent or not a number."""
    value = headers.get(name)
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


class ClientStats:
    """Counts requests and credits per operation and keeps the latest rate-limit headers; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._credits: Counter[str] = Counter()
        self._retries: Counter[str] = Counter()
        self._failures: Counter[str] = Counter()
        self.rate_limit = RateLimitState()
        self._date: str | None = None  # the Date header of the latest answer, parsed only when asked for

    def record_response(self, operation: str, status: int, credits: int, headers: Mapping[str, str]) -> None:
        """Count one answered request; a 429 is refused before any work, so it is not charged."""
        with self._lock:
            self._requests[operation] += 1
            if status != 429:
                self._credits[operation] += credits
            self._date = headers.get("Date") or self._date
            limit = int_header(headers, "X-RateLimit-Limit")
            if limit is not None:
                self.rate_limit = RateLimitState(
                    limit=limit,
                    remaining=int_header(headers, "X-RateLimit-Remaining"),
                    reset=int_header(headers, "X-RateLimit-Reset"),
                )

    def record_retry(self, operation: str) -> None:
        """Count one retry of an operation."""
        with self._lock:
            self._retries[operation] += 1

    def record_failure(self, operation: str) -> None:
        """Count one attempt that got no response (connection error or timeout)."""
        with self._lock:
            self._failures[operation] += 1

    @property
    def server_time(self) -> datetime | None:
        """Miro's clock at its latest answer (its Date header, to the second), or None if none carried one."""
        with self._lock:
            date = self._date
        try:
            moment = parsedate_to_datetime(date) if date else None
        except (TypeError, ValueError):
            return None
        # HTTP dates are GMT (RFC 9110 §5.6.7); a `-0000` zone parses as naive, so it is read as UTC too.
        return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment

    @property
    def requests(self) -> int:
        """Return the number of requests Miro answered."""
        with self._lock:
            return sum(self._requests.values())

    @property
    def credits(self) -> int:
        """Return the credits spent, by Miro's level table."""
        with self._lock:
            return sum(self._credits.values())

    def snapshot(self) -> dict[str, Any]:
        """Return a plain dict: totals, per-operation counts and the latest rate-limit headers."""
        with self._lock:
            operations = sorted(set(self._requests) | set(self._failures))
            return {
                "requests": sum(self._requests.values()),
                "credits": sum(self._credits.values()),
                "retries": sum(self._retries.values()),
                "failures": sum(self._failures.values()),
                "operations": {
                    name: {
                        "requests": self._requests[name],
                        "credits": self._credits[name],
                        "retries": self._retries[name],
                        "failures": self._failures[name],
                    }
                    for name in operations
                },
                "rate_limit": asdict(self.rate_limit),
            }


class Throttle:
    """Keep the credits spent in any sliding minute below `share` of the budget; shareable across threads.

    The budget is 100,000 credits per minute until a response's `X-RateLimit-Limit` says otherwise.
    """

    def __init__(
        self,
        share: float = 0.5,
        *,
        budget: int | None = None,
        window: float = 60.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not 0 < share <= 1:
            raise ValueError("share must be in (0, 1]")
        self.share = share
        self.budget = budget or DEFAULT_BUDGET_PER_MINUTE
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._spent: deque[tuple[float, int]] = deque()

    def observe(self, limit: int | None) -> None:
        """Adopt the budget Miro announced in X-RateLimit-Limit."""
        if limit:
            with self._lock:
                self.budget = limit

    def acquire(self, credits: int) -> float:
        """Wait until `credits` fit in this client's share of the window, record them, return the wait."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                while self._spent and self._spent[0][0] <= now - self.window:
                    self._spent.popleft()
                allowance = self.share * self.budget
                in_window = sum(cost for _, cost in self._spent)
                # A single call dearer than the allowance still goes through once the window is empty.
                if not self._spent or in_window + credits <= allowance:
                    self._spent.append((now, credits))
                    return waited
                delay = max(self._spent[0][0] + self.window - now, 0.001)
            self._sleep(delay)
            waited += delay
