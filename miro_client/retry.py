"""When and how long to wait before trying a request again.

Miro answers 429 once a user's credit budget for the minute is spent and tells when it resets in
`X-RateLimit-Reset` (https://developers.miro.com/reference/rate-limiting). Other transient failures (5xx,
broken connections, timeouts) get exponential backoff with full jitter
(https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

_EPOCH_2001 = 978_307_200.0


def full_jitter(delay: float) -> float:
    """Return a random wait between 0 and `delay` (kept apart so tests can replace the randomness)."""
    return random.uniform(0, delay)


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

    def rate_limit_wait(self, headers: Mapping[str, str], now: float, attempt: int) -> float:
        """Return the wait after a 429: Retry-After, else X-RateLimit-Reset, else backoff; clamped."""
        wait = retry_after_seconds(headers, now)
        if wait is None:
            wait = self.backoff(attempt)
        return min(max(wait, 0.0), self.max_rate_limit_wait)


def retry_after_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """Return the seconds the server asked to wait, from Retry-After or X-RateLimit-Reset, if it said."""
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
    reset = headers.get("X-RateLimit-Reset")
    if reset:
        try:
            seconds = float(reset)
        except ValueError:
            return None
        # Unix epoch seconds when the credits come back (rate-limiting page above); a small number can only
        # be a count of seconds from now, which some proxies and emulators send instead.
        return seconds - now if seconds > _EPOCH_2001 else seconds
    return None
