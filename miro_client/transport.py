"""One HTTP attempt on `requests`, with transport failures turned into typed errors.

What matters for a retry is whether the request could have reached Miro: a refused connection, a DNS
failure or a connect timeout happen before a byte of the request is sent, so any method may be sent again;
a read timeout or a connection dropped mid-way may follow a request Miro already carried out.
"""

from __future__ import annotations

from typing import Any

import requests
from urllib3.exceptions import NewConnectionError

from .errors import MiroConnectionError, MiroTimeout, MiroTransportError

USER_AGENT = "okrboard-miro-client/0.1 (+python-requests)"


def _never_connected(exc: BaseException) -> bool:
    """Return True when the failure happened while opening the connection (nothing was sent)."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, NewConnectionError | requests.exceptions.ConnectTimeout):
            return True
        pending.extend([getattr(current, "reason", None), current.__cause__, current.__context__])
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return False


def _describe(exc: BaseException) -> str:
    # requests' messages name the host and path, never the headers; keep the type for the reader.
    return f"{type(exc).__name__}: {exc}"


def send(
    session: requests.Session,
    method: str,
    url: str,
    params: dict[str, Any] | None,
    json: Any,
    token: str,
    timeout: float | tuple[float, float],
) -> requests.Response:
    """Send one request with the bearer token; raise MiroTransportError when no response came back."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json", "User-Agent": USER_AGENT}
    kwargs: dict[str, Any] = {"params": params, "headers": headers, "timeout": timeout}
    if json is not None:
        kwargs["json"] = json
    try:
        return session.request(method, url, **kwargs)
    except requests.exceptions.ConnectTimeout as exc:
        raise MiroTimeout(_describe(exc), sent=False) from None
    except requests.exceptions.Timeout as exc:
        raise MiroTimeout(_describe(exc), sent=True) from None
    except requests.exceptions.SSLError as exc:
        raise MiroConnectionError(_describe(exc), sent=False, retryable=False) from None
    except requests.exceptions.ConnectionError as exc:
        raise MiroConnectionError(_describe(exc), sent=not _never_connected(exc)) from None
    except (
        requests.exceptions.InvalidURL,
        requests.exceptions.MissingSchema,
        requests.exceptions.InvalidSchema,
    ) as exc:
        raise MiroConnectionError(_describe(exc), sent=False, retryable=False) from None
    except requests.exceptions.RequestException as exc:
        # e.g. a body cut off mid-way (ChunkedEncodingError): Miro got the request.
        raise MiroTransportError(_describe(exc), sent=True) from None
