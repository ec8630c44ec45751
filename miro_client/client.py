"""MiroClient: the request loop (auth, retries, rate limits, typed errors) under the operation mixins."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from .endpoints import OPERATIONS, Operation
from .errors import MiroAPIError, MiroCreateOutcomeUnknown, MiroError, MiroTransportError, error_from_response
from .limiter import DEFAULT_CONCURRENCY, AdaptiveLimiter, WaitListener
from .operations.boards import BoardsMixin
from .operations.bulk import BulkMixin
from .operations.connectors import ConnectorsMixin
from .operations.items import ItemsMixin
from .operations.tags import TagsMixin
from .operations.typed_items import TypedItemsMixin
from .ratelimit import LEVEL_CREDITS, ClientStats, Throttle
from .retry import Retrying, RetryListener, RetryPolicy, budget_spent, retry_after_seconds
from .transport import send

logger = logging.getLogger("miro_client")

DEFAULT_BASE_URL = "https://api.miro.com"
# Connect timeout slightly above a multiple of 3 s (TCP retransmission), as the requests docs advise.
DEFAULT_TIMEOUT = (3.05, 30)

# A token, or a callable returning the current one. A callable may also have `rejected(token)`: the client calls it
# when Miro answers 401 to that token, before asking for the current token again (so it can refresh).
TokenSource = str | Callable[[], str]


class MiroClient(BoardsMixin, TypedItemsMixin, ItemsMixin, ConnectorsMixin, TagsMixin, BulkMixin):
    """A thread-safe client for Miro's REST API v2."""

    def __init__(
        self,
        token: TokenSource,
        *,
        base_url: str = DEFAULT_BASE_URL,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_workers: int = DEFAULT_CONCURRENCY,
        throttle: Throttle | float | None = None,
        on_wait: WaitListener | None = None,
        on_retry: RetryListener | None = None,
    ) -> None:
        if not token:
            raise ValueError("token is required: a string or a callable returning the current access token")
        self._token = token
        self.base_url = base_url.rstrip("/")
        self._owns_session = session is None
        self._session = session if session is not None else _new_session(max_workers, self.base_url)
        self.timeout = timeout
        self.retry = retry
        self._sleep = sleep
        self._clock = clock
        self.max_workers = max_workers
        if isinstance(throttle, int | float) and not isinstance(throttle, bool):
            throttle = Throttle(float(throttle), clock=clock, sleep=sleep)
        self.throttle: Throttle | None = throttle
        self.stats = ClientStats()
        self.on_retry = on_retry  # told before each retry's wait; waits for spent credits go to on_wait instead
        # At most `max_workers` requests in flight, fewer when Miro's credits or answers say so.
        self.limiter = AdaptiveLimiter(
            max_workers, clock=clock, sleep=sleep, on_wait=on_wait, max_wait=retry.max_rate_limit_wait
        )

    def __repr__(self) -> str:
        return f"MiroClient(base_url={self.base_url!r})"

    def __enter__(self) -> MiroClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session if this client created it."""
        if self._owns_session:
            self._session.close()

    def _current_token(self) -> str:
        token = self._token() if callable(self._token) else self._token
        if not token:
            raise MiroError("the token callable returned no token")
        return token

    def _call(
        self,
        operation_id: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        credits: int | None = None,
        **path_params: str,
    ) -> Any:
        operation = OPERATIONS[operation_id]
        path = operation.format_path(**path_params)
        cost = credits if credits is not None else LEVEL_CREDITS[operation.level]
        return self._request(operation, path, params=params, json=json, credits=cost)

    def _pause(self, operation: Operation, path: str, delay: float, reason: object, attempt: int, sleep=None) -> None:
        self.stats.record_retry(operation.id)
        logger.info(
            "retrying %s %s in %.2fs (retry %d of %d): %s",
            operation.method,
            path,
            delay,
            attempt + 1,
            self.retry.max_retries,
            reason,
        )
        credits_wait = sleep is not None and sleep == self.limiter.sit_out  # the limiter tells on_wait
        if self.on_retry is not None and not credits_wait:
            self.on_retry(Retrying(operation.method, path, delay, attempt + 1, self.retry.max_retries, reason))
        (sleep or self._sleep)(delay)

    def _request(
        self, operation: Operation, path: str, *, params: dict[str, Any] | None, json: Any, credits: int
    ) -> Any:
        """Send one operation, retrying what is safe to retry; return the decoded JSON (None for 204)."""
        url = self.base_url + path
        token = self._current_token()
        asked_for_new_token = False
        # True once an attempt may have reached Miro: a later 404 on DELETE then means "already deleted".
        maybe_applied = False
        attempt = 0
        while True:
            if self.throttle is not None:
                self.throttle.acquire(credits)
            self.limiter.acquire(credits)
            try:
                response = send(self._session, operation.method, url, params, json, token, self.timeout)
            except MiroTransportError as error:
                self.limiter.release(credits, None)
                self.stats.record_failure(operation.id)
                error.method, error.path = operation.method, path
                if error.sent and not operation.idempotent:
                    raise MiroCreateOutcomeUnknown(
                        method=operation.method, path=path, body=json, cause=error
                    ) from error
                if not error.retryable or attempt >= self.retry.max_retries:
                    raise error
                maybe_applied = maybe_applied or error.sent
                self._pause(operation, path, self.retry.backoff(attempt), error, attempt)
                attempt += 1
                continue
            except BaseException:
                self.limiter.release(credits, None)
                raise
            status = response.status_code
            self.limiter.release(credits, status, response.headers)
            self.stats.record_response(operation.id, status, credits, response.headers)
            if self.throttle is not None:
                self.throttle.observe(self.stats.rate_limit.limit)
            logger.debug("%s %s -> %d", operation.method, path, status)
            if status < 400:
                return _decode(response, operation, path)

            if status == 401 and callable(self._token) and not asked_for_new_token:
                # The token may have expired or been rotated since we read it: ask once more, retry once.
                asked_for_new_token = True
                rejected = getattr(self._token, "rejected", None)
                if rejected is not None:
                    rejected(token)  # a token source may refresh now instead of handing the same token back
                fresh = self._current_token()
                if fresh != token:
                    logger.info("%s %s got 401; retrying once with a new token", operation.method, path)
                    token = fresh
                    continue

            error = self._error(response, operation, path)
            if status == 404 and maybe_applied and operation.method == "DELETE":
                logger.info("%s %s: 404 after an unanswered attempt; already deleted", operation.method, path)
                return None
            if status == 429 and attempt < self.retry.max_retries:
                delay = self.retry.rate_limit_wait(response.headers, self._clock(), attempt, credits)
                # A spent budget is waited out by the limiter, which holds every other request too.
                spent = budget_spent(response.headers, credits)
                self._pause(operation, path, delay, error, attempt, self.limiter.sit_out if spent else self._sleep)
                attempt += 1
                continue
            if status >= 500:
                if not operation.idempotent:
                    raise MiroCreateOutcomeUnknown(
                        method=operation.method, path=path, body=json, cause=error
                    ) from error
                if attempt < self.retry.max_retries:
                    maybe_applied = True
                    self._pause(operation, path, self.retry.backoff(attempt), error, attempt)
                    attempt += 1
                    continue
            raise error

    def _error(self, response: requests.Response, operation: Operation, path: str) -> MiroAPIError:
        try:
            payload: Any = response.json()
        except ValueError:
            payload = response.text
        return error_from_response(
            response.status_code,
            payload,
            method=operation.method,
            path=path,
            headers=dict(response.headers),
            retry_after=retry_after_seconds(response.headers, self._clock()),
        )


def _new_session(max_workers: int, base_url: str) -> requests.Session:
    session = requests.Session()
    # One pooled connection per concurrent request (bulk chunks, several threads), so none is thrown away.
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(10, 2 * max_workers))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    # requests reads the proxy variables, the CA bundle variables and ~/.netrc again for every request (a scan of
    # the whole environment: a third of its CPU per call). The client has one base URL, so read them once here.
    # ~/.netrc is left out on purpose: an entry for the host would replace the bearer token with Basic auth.
    session.trust_env = False
    session.proxies.update(requests.utils.get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    return session


def _decode(response: requests.Response, operation: Operation, path: str) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError as exc:
        raise MiroError(f"{operation.method} {path}: Miro answered {response.status_code} with invalid JSON") from exc
