"""How many requests a client keeps in flight: bounded by Miro's credit budget and answers, not a fixed number.

Miro limits credits, not concurrency: each user of each app has a budget per minute (100,000 credits), every
answer says what is left (`X-RateLimit-Remaining`) and when the window resets (`X-RateLimit-Reset`, Unix seconds)
(https://developers.miro.com/reference/rate-limiting). The limiter lets a request go when

- fewer than `limit` requests are in flight: the limit starts at the ceiling, halves after a 429 that came while
  credits were left (Miro or a proxy pushing back on the burst) and grows back by one per `limit` successes
  (additive increase, multiplicative decrease, as TCP does), and
- the credits of the requests in flight plus its own fit in what Miro last said is left. When they cannot, the
  request waits for the answers in flight, and once nothing is in flight, until the reset (telling `on_wait`).

The ceiling's default, DEFAULT_CONCURRENCY, was chosen by the concurrency sweep in `bench/generate.py` (see
docs/benchmarks.md): at 50 ms of latency the standard board stops getting faster past it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

from .ratelimit import DEFAULT_BUDGET_PER_MINUTE, int_header
from .retry import EPOCH_2001, budget_spent, retry_after_header

DEFAULT_CONCURRENCY = 16
WINDOW_SECONDS = 60.0  # Miro's credit window: no wait for its reset is longer
WaitListener = Callable[[float], None]


class AdaptiveLimiter:
    """Admit requests by free slot and by credits left; thread-safe; `clock` and `sleep` are injectable."""

    def __init__(
        self,
        ceiling: int = DEFAULT_CONCURRENCY,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        on_wait: WaitListener | None = None,
        max_wait: float = WINDOW_SECONDS,
    ) -> None:
        if ceiling < 1:
            raise ValueError("ceiling must be at least 1 request in flight")
        self.ceiling = ceiling
        self.limit = ceiling
        self.on_wait = on_wait
        self.max_wait = max_wait
        self._clock, self._sleep = clock, sleep
        self._cond = threading.Condition()
        self._in_flight = 0
        self._credits_in_flight = 0
        self._successes = 0
        self.budget = DEFAULT_BUDGET_PER_MINUTE  # credits per minute, until Miro's X-RateLimit-Limit says
        self.remaining: int | None = None  # None: nothing heard in this window, assume the whole budget
        self.reset: float | None = None  # when the credits come back (Unix seconds)
        self._told: set[float] = set()  # the resets whose wait on_wait has heard of
        self.waited = 0.0  # seconds spent waiting for credits, told to on_wait

    def acquire(self, credits: int) -> None:
        """Block until a request costing `credits` may go, then count it in flight."""
        with self._cond:
            while True:
                now = self._clock()
                if self.reset is not None and now >= self.reset:
                    self.remaining, self.reset = None, None  # a new window: the whole budget is back
                left = self.budget if self.remaining is None else self.remaining
                if self._in_flight < self.limit and self._credits_in_flight + credits <= left:
                    break
                if self._in_flight == 0 and self.remaining is None:
                    break  # a call dearer than the whole budget still goes, alone, at the start of a window
                if self._in_flight > 0:
                    self._cond.wait()  # their answers free a slot or tell what is left
                    continue
                self._cond.release()
                try:
                    self.sit_out(self.reset - now)
                finally:
                    self._cond.acquire()
            self._in_flight += 1
            self._credits_in_flight += credits

    def release(self, credits: int, status: int | None, headers: Mapping[str, str] | None = None) -> None:
        """Count a request done: its status (None when no answer came) and the X-RateLimit-* headers it carried."""
        headers = headers or {}
        limit = int_header(headers, "X-RateLimit-Limit")
        remaining = int_header(headers, "X-RateLimit-Remaining")
        reset = self._reset_of(headers)
        with self._cond:
            self._in_flight -= 1
            self._credits_in_flight -= credits
            if limit:
                self.budget = limit
            if remaining is not None and reset is not None:
                self._observe(remaining, reset)
            if status == 429:
                asked = retry_after_header(headers, self._clock())
                back_at = self._clock() + asked if asked is not None else reset
                if budget_spent(headers, credits) and back_at is not None:
                    self.remaining, self.reset = 0, back_at  # spent: every request waits until then
                else:
                    self.limit = max(1, self.limit // 2)  # pushed back while credits are left: fewer at once
                    self._successes = 0
            elif status is not None and status < 400:
                self._successes += 1
                if self.limit < self.ceiling and self._successes >= self.limit:
                    self.limit += 1
                    self._successes = 0
            self._cond.notify_all()

    def sit_out(self, seconds: float) -> None:
        """Wait for the credits to come back (telling `on_wait` once per reset); then take the window as over."""
        seconds = min(max(seconds, 0.0), self.max_wait)
        with self._cond:
            reset = self.reset
            tell = reset not in self._told and seconds > 0
            if tell:
                self._told.add(reset)
                self.waited += seconds
        if tell and self.on_wait is not None:
            self.on_wait(seconds)
        self._sleep(seconds)
        with self._cond:
            # Waited once for this reset: the budget is back (whatever the clock says), so no wait can repeat.
            if self.reset == reset:
                self.remaining, self.reset = None, None
            self._cond.notify_all()

    def resets_in(self) -> float | None:
        """Return the seconds until the credits come back, or None when no answer said."""
        with self._cond:
            return None if self.reset is None else max(0.0, self.reset - self._clock())

    def _observe(self, remaining: int, reset: float) -> None:
        # Answers come back out of order: within one window the smallest remaining is the latest. An answer
        # of a window already over says nothing about this one.
        if reset <= self._clock():
            return
        if self.reset is None or reset > self.reset:
            self.remaining, self.reset = remaining, reset
        elif reset == self.reset:
            self.remaining = min(self.remaining if self.remaining is not None else remaining, remaining)

    def _reset_of(self, headers: Mapping[str, str]) -> float | None:
        reset = int_header(headers, "X-RateLimit-Reset")
        if reset is not None and reset < EPOCH_2001:
            return self._clock() + reset  # a count of seconds, as some proxies and emulators send
        return None if reset is None else float(reset)
