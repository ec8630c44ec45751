"""Miro's error shape: `{status, code, message, context, type: "error"}` (https://developers.miro.com/reference/errors)."""

from __future__ import annotations

import json

from flask import Response

RATE_LIMIT_MESSAGE = "Request rate limit exceed"  # sic, as Miro's rate-limiting page shows it


class ApiError(Exception):
    """An error answered in Miro's JSON error shape."""

    def __init__(self, status: int, code: str, message: str, context: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.context = context

    def body(self) -> dict:
        """Return the JSON body Miro sends for this error."""
        return {
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "context": self.context,
            "type": "error",
        }

    def response(self) -> Response:
        """Return this error as a Flask response."""
        return json_response(self.body(), self.status)


def field_error(field: str, message: str) -> dict:
    """Return one entry of `context.fields` (bulk errors prefix `field` with the item index)."""
    return {"field": field, "message": message, "reason": "invalidParameter"}


def invalid(message: str, field: str | None = None, fields: list[dict] | None = None) -> ApiError:
    """Return a 400 `invalidParameters` error, naming the offending field(s) in `context.fields`."""
    if field is not None:
        fields = [field_error(field, message)]
    return ApiError(400, "invalidParameters", message, {"fields": fields} if fields else None)


def not_found(message: str = "Not found") -> ApiError:
    """Return a 404 error."""
    return ApiError(404, "notFound", message)


def forbidden(message: str = "Forbidden access") -> ApiError:
    """Return a 403 error for a user whose board role does not allow the operation."""
    return ApiError(403, "forbiddenAccess", message)


def unauthorized(code: str, message: str) -> ApiError:
    """Return a 401 error (no token, or a token that is unknown, expired or revoked)."""
    return ApiError(401, code, message)


def too_many_requests() -> ApiError:
    """Return the documented 429 error."""
    return ApiError(429, "tooManyRequests", RATE_LIMIT_MESSAGE)


def payload_too_large(limit: int) -> ApiError:
    """Return the 413 for a request body above `limit` bytes (Miro documents no code for it; named like its others)."""
    return ApiError(413, "payloadTooLarge", f"Request body is larger than the limit of {limit} bytes")


def server_error(status: int) -> ApiError:
    """Return an injected 5xx error."""
    codes = {500: "internalError", 502: "badGateway", 503: "serviceUnavailable", 504: "gatewayTimeout"}
    return ApiError(status, codes.get(status, "internalError"), "Internal error, please retry later")


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    """Serialise `body` compactly (faster than jsonify and byte-for-byte stable)."""
    return Response(
        json.dumps(body, separators=(",", ":")), status=status, headers=headers, mimetype="application/json"
    )


def empty_response(status: int = 204) -> Response:
    """Return a response with no body and no content type (Miro's 204)."""
    response = Response(status=status)
    response.headers.pop("Content-Type", None)
    return response
