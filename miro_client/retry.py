"""When and how long to wait before trying a request again.

Miro answers 429 once a user's credit budget for the minute is spent; every answer says what is left in
`X-RateLimit-Remaining` and when the window resets in `X-RateLimit-Reset`
(https://developers.miro.com/reference/rate-limiting). Waiting for the reset is right only when the budget is
spent: a 429 while credits are left (a burst, a proxy) gets a brief backoff instead, as do other transient
failures (5xx, broken connections, timeouts): exponential with full jitter
(https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

EPOCH_2001 = 978_307_200  # a reset below this is a count of seconds, not a date


def full_jitter(delay: float) -> float:
    """Return a random wait between 0 and `delay` (kept apart so tests can replace the randomness)."""
    return random.uniform(0, delay)


@dataclass(frozen=True)
class Retrying:
    """A request about to be sent again (told to the client's `on_retry`): what failed and how long it waits."""

    method: str
    path: str
    seconds: float
    retry: int  # 1 for the first retry
    of: int  # the policy's max_retries
    cause: Exception  # the MiroAPIError (5xx, 429) or MiroTransportError (timeout, broken connection)


RetryListener = Callable[[Retrying], None]


@dataclass(frozen=True)
class RetryPolicy:
    """How many times to retry and how long to wait between attempts."""

    max_retries: int = 3
    backoff_factor: float = 0.5
    max_delay: float = 30.0
    # A 429 wait is what Miro asked for, clamped to this many seconds (a credit window is one minute).
    max_rate_limit_wait: float = 60.0
    jitter: Callable[[float], float] = field(default=full_jitter, compare=False)

    def backoff(self, attempt: int) -> float:
        """Return the wait before retry number `attempt + 1` after a transient failure."""
        return self.jitter(min(self.max_delay, self.backoff_factor * (2**attempt)))

    def rate_limit_wait(self, headers: Mapping[str, str], now: float, attempt: int, credits: int = 0) -> float:
        """Return the wait after a 429: what Retry-After asks; until X-RateLimit-Reset when the budget is spent
        (see `budget_spent`); otherwise a brief jittered backoff. Clamped to `max_rate_limit_wait`."""
        wait = retry_after_header(headers, now)
        if wait is None and budget_spent(headers, credits):
            wait = _reset_wait(headers, now)
        if wait is None:
            wait = self.backoff(attempt)
        return min(max(wait, 0.0), self.max_rate_limit_wait)


def budget_spent(headers: Mapping[str, str], credits: int = 0) -> bool:
    """Return True when Miro's answer says the minute's credits cannot pay for a call of `credits`:
    `X-RateLimit-Remaining` absent, unreadable, 0, or below the call's cost."""
    value = headers.get("X-RateLimit-Remaining")
    try:
        remaining = float(value) if value is not None else None
    except ValueError:
        remaining = None
    return remaining is None or remaining <= 0 or remaining < credits


def retry_after_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """Return the seconds the server asked to wait, from Retry-After or X-RateLimit-Reset, if it said."""
    wait = retry_after_header(headers, now)
    return wait if wait is not None else _reset_wait(headers, now)


def retry_after_header(headers: Mapping[str, str], now: float) -> float | None:
    """Return the seconds a Retry-After header asks to wait (a number or an HTTP date), if there is one."""
    value = headers.get("Retry-After")
    if value:
        value = value.strip()
        try:
            return float(value)
        except ValueError:
            pass
        try:
            return parsedate_to_datetime(value).timestamp() - now
        except (TypeError, ValueError, IndexError):
            pass
    return None


def _reset_wait(headers: Mapping[str, str], now: float) -> float | None:
    reset = headers.get("X-RateLimit-Reset")
    if reset:
        try:
            seconds = float(reset)
        except ValueError:
            return None
        # Unix epoch seconds when the credits come back (rate-limiting page above); a small number can only
        # be a count of seconds from now, which some proxies and emulators send instead.
        return seconds - now if seconds > EPOCH_2001 else seconds
    return None
