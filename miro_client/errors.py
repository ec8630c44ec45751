"""Typed errors raised by miro_client, and the one mapping from an HTTP status to an error class.

Miro's error body is `{"status", "code", "message", "context", "type": "error"}`
(https://developers.miro.com/reference/error-codes). No error here ever holds the request headers, so the
Authorization header cannot leak through a message, a repr or a log line.
"""

from __future__ import annotations

from typing import Any


class MiroError(Exception):
    """Base class of every error miro_client raises."""


class MiroTransportError(MiroError):
    """Base class of failures where no HTTP response came back."""

    def __init__(
        self, message: str, *, method: str = "", path: str = "", sent: bool = True, retryable: bool = True
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        # False only when the request certainly never left this machine (so any method may be re-sent).
        self.sent = sent
        # False for failures that another attempt would not fix (a TLS certificate error, an invalid URL).
        self.retryable = retryable


class MiroConnectionError(MiroTransportError):
    """Raised when the connection to Miro failed (refused, reset, DNS, TLS)."""


class MiroTimeout(MiroTransportError):
    """Raised when Miro did not answer within the client's timeout."""


class MiroAPIError(MiroError):
    """Raised when Miro answered with an error status (4xx or 5xx)."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        message: str = "",
        context: Any = None,
        *,
        method: str = "",
        path: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.context = context
        self.method = method
        self.path = path
        # Response headers only (X-RateLimit-*, Retry-After, ...): never the request's.
        self.headers = dict(headers or {})
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f" on {self.method} {self.path}" if self.method else ""
        return f"{self.status} {self.code or 'error'}: {self.message or 'no message'}{where}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, message={self.message!r})"


class BadRequest(MiroAPIError):
    """Raised on 400: Miro rejected the parameters or body (`context.fields` names the culprits in bulk)."""


class Unauthorized(MiroAPIError):
    """Raised on 401: the access token is missing, expired or revoked."""


class Forbidden(MiroAPIError):
    """Raised on 403: the token lacks a scope or the user lacks access to the board."""


class NotFound(MiroAPIError):
    """Raised on 404: the board, item, tag or member does not exist (or is not visible to this user)."""


class Conflict(MiroAPIError):
    """Raised on 409: Miro refused a concurrent or conflicting update."""


class RateLimited(MiroAPIError):
    """Raised on 429 once retries are spent; `retry_after` says how long Miro asked to wait (seconds)."""

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)


class ServerError(MiroAPIError):
    """Raised on 5xx: Miro failed; retried for idempotent calls only."""


class MiroCreateOutcomeUnknown(MiroError):
    """Raised when a non-idempotent call (a POST, or a board copy) may or may not have taken effect.

    It happens on a 5xx, a read timeout or a broken connection after the request was sent. The client never
    re-sends such a request: list what exists, match it against `body`, and only then create what is missing.
    """

    def __init__(self, *, method: str, path: str, body: Any, cause: MiroError) -> None:
        self.method = method
        self.path = path
        self.body = body
        self.cause = cause
        super().__init__(f"outcome unknown for {method} {path}: {cause}")

    def __repr__(self) -> str:
        return f"MiroCreateOutcomeUnknown(method={self.method!r}, path={self.path!r}, cause={self.cause!r})"


class MiroBulkCreateError(MiroError):
    """Raised by `create_items_bulk` when one or more chunks failed; successful chunks are kept.

    `results` follows the request order: the created item, or None where the item's chunk failed or was not
    sent. `failures` lists `(start, stop, error)` per failed chunk (items[start:stop]); `unsent` lists the
    `(start, stop)` chunks that were never sent, which are safe to send again as they are.
    """

    def __init__(
        self,
        *,
        results: list[dict[str, Any] | None],
        failures: list[tuple[int, int, MiroError]],
        unsent: list[tuple[int, int]],
    ) -> None:
        self.results = results
        self.failures = failures
        self.unsent = unsent
        created = sum(item is not None for item in results)
        first = failures[0][2] if failures else None
        super().__init__(
            f"bulk create: {created} of {len(results)} items created, {len(failures)} chunk(s) failed, "
            f"{len(unsent)} not sent; first error: {first}"
        )


_BY_STATUS: dict[int, type[MiroAPIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    429: RateLimited,
}


def error_class_for(status: int) -> type[MiroAPIError]:
    """Return the error class for an HTTP error status."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, MiroAPIError)


def error_from_response(
    status: int,
    body: Any,
    *,
    method: str = "",
    path: str = "",
    headers: dict[str, str] | None = None,
    retry_after: float | None = None,
) -> MiroAPIError:
    """Build the typed error for an error response from its status and decoded JSON body."""
    payload = body if isinstance(body, dict) else {}
    kwargs: dict[str, Any] = {"method": method, "path": path, "headers": headers}
    cls = error_class_for(status)
    if cls is RateLimited:
        kwargs["retry_after"] = retry_after
    message = payload.get("message")
    if message is None and isinstance(body, str):
        message = body[:200]
    return cls(status, payload.get("code"), message or "", payload.get("context"), **kwargs)
