"""A limit on sign-in attempts per address, shared by every process of the app, so the OAuth endpoints cannot be
hammered however many workers or hosts serve them.

The hits are counted in Redis when `REDIS_URL` is set, else in the store's `rate_limits` table. Either keeps two
fixed-window counters per address; the sliding count of the last window is the current counter plus the previous
one weighted by how much of it the sliding window still covers (the estimate described in
https://blog.cloudflare.com/counting-things-a-lot-of-different-things/).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from flask import current_app, request
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from addon.adapters.orm import RateLimitRow
from addon.web.errors import ApiError

logger = logging.getLogger("okrboard.web")
SIGNIN_LIMIT, SIGNIN_WINDOW = 20, 60  # attempts per address per minute: a person never needs more
REDIS_PREFIX = "okrboard:signin:"


def sliding_count(previous: int, current: int, elapsed: float, window: float) -> float:
    """The hits of the last `window` seconds, `elapsed` seconds into the current fixed window."""
    return previous * (1 - elapsed / window) + current


def seconds_until_allowed(previous: int, current: int, elapsed: float, window: float, limit: int) -> float:
    """How long until the sliding count falls below `limit` again, with no more hits."""
    if current >= limit:  # even the current window alone is full: wait into the next one
        return (window - elapsed) + window * (1 - limit / current)
    return window * (1 - (limit - current) / previous) - elapsed


class StoreCounter:
    """Window counters in the store's `rate_limits` table (SQLite or PostgreSQL)."""

    def __init__(self, engine):
        self.engine = engine

    def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count a hit in `window`; return the previous window's and this window's hits (this one included)."""
        try:
            return self._hit(key, window)
        except IntegrityError:  # another process inserted this window's row first: count on it
            return self._hit(key, window)

    def _hit(self, key: str, window: int) -> tuple[int, int]:
        row = (RateLimitRow.key == key) & (RateLimitRow.window == window)
        with self.engine.begin() as connection:
            if not connection.execute(update(RateLimitRow).where(row).values(hits=RateLimitRow.hits + 1)).rowcount:
                connection.execute(insert(RateLimitRow).values(key=key, window=window, hits=1))
                connection.execute(delete(RateLimitRow).where(RateLimitRow.window < window - 1))  # long past
            hits = dict(
                connection.execute(
                    select(RateLimitRow.window, RateLimitRow.hits).where(
                        RateLimitRow.key == key, RateLimitRow.window.in_((window - 1, window))
                    )
                ).all()
            )
        return hits.get(window - 1, 0), hits[window]


class CounterDown(Exception):
    """The shared counter cannot be reached."""


class RedisCounter:
    """Window counters in Redis, each expiring once it can no longer count."""

    def __init__(self, client, seconds: int, prefix: str = REDIS_PREFIX):
        self.client, self.seconds, self.prefix = client, seconds, prefix

    def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count a hit in `window`; return the previous window's and this window's hits (this one included)."""
        from redis import RedisError

        name = f"{self.prefix}{key}:{window}"
        pipe = self.client.pipeline()
        pipe.incr(name)
        pipe.expire(name, 2 * self.seconds + 1)
        pipe.get(f"{self.prefix}{key}:{window - 1}")
        try:
            current, _, previous = pipe.execute()
        except RedisError as error:
            raise CounterDown(f"Redis: {type(error).__name__}") from None
        return int(previous or 0), int(current)


class SigninLimit:
    """Allows `limit` sign-in steps per address in any `window` seconds, counted where every process sees them."""

    def __init__(self, counter, limit: int, window: int, clock: Callable[[], float] = time.time, fallback=None):
        self.counter, self.limit, self.window, self.clock, self.fallback = counter, limit, window, clock, fallback

    def hit(self, key: str) -> float:
        """Record a step; return 0 when allowed, else the seconds until the next one is."""
        now = self.clock()
        window, elapsed = int(now // self.window), now % self.window
        try:
            previous, current = self.counter.hit(key, window)
        except CounterDown as error:  # count in the store rather than not at all
            if self.fallback is None:
                raise
            logger.warning("sign-in limit: %s unreachable; counting in the store", error)
            previous, current = self.fallback.hit(key, window)
        if sliding_count(previous, current - 1, elapsed, self.window) < self.limit:
            return 0.0
        return max(1.0, seconds_until_allowed(previous, current, elapsed, self.window, self.limit))


def _limit() -> SigninLimit:
    from addon.web.extensions import store

    config, extensions = current_app.config, current_app.extensions
    if "okrboard_signin_limit" not in extensions:
        in_store = StoreCounter(store().engine)
        counter, fallback = in_store, None
        redis_url = config["SETTINGS"].redis_url
        if redis_url:
            import redis

            client = redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
            counter = RedisCounter(client, SIGNIN_WINDOW, config.get("SIGNIN_REDIS_PREFIX", REDIS_PREFIX))
            fallback = in_store
        limit = config.get("SIGNIN_LIMIT", SIGNIN_LIMIT)
        clock = config.get("SIGNIN_CLOCK", time.time)
        extensions["okrboard_signin_limit"] = SigninLimit(counter, limit, SIGNIN_WINDOW, clock, fallback)
    return extensions["okrboard_signin_limit"]


def limit_signin() -> None:
    """Refuse (429) an address that took too many sign-in steps in the last minute, in any process."""
    wait = _limit().hit(request.remote_addr or "unknown")
    if wait:
        raise ApiError(429, "too_many_signins", f"Too many sign-in attempts from here: try again in {int(wait) + 1} s.")
