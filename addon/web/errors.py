"""Errors as a page for people and as `{error: {code, message, fields}}` for scripts, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from addon.domain.errors import OkrError
from addon.services.ports import CycleNotFound

logger = logging.getLogger("okrboard.web")


class ApiError(Exception):
    """A refusal with a status, a machine-readable code, a message and the fields at fault."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def wants_json() -> bool:
    """Whether the caller is a script: the API, or a client that prefers JSON to HTML."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    """Answer an error in the caller's format."""
    if wants_json():
        response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
        response.status_code = status
        return response
    return render_template("errors/error.html", status=status, code=code, message=message, fields=fields or {}), status


def _code(error: HTTPException) -> str:
    return (error.name or "error").lower().replace(" ", "_")


def init_app(app: Flask) -> None:
    """Install the error handlers."""

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.fields)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(400, "csrf_failed", f"The form expired or was not sent by this app ({error.description})")

    @app.errorhandler(CycleNotFound)
    def cycle_not_found(error: CycleNotFound):
        return error_response(404, "not_found", str(error))

    @app.errorhandler(OkrError)
    def refused(error: OkrError):
        return error_response(409, "refused", str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return error_response(error.code or 500, _code(error), error.description or error.name)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        logger.exception("unhandled error on %s %s", request.method, request.path)
        fallback = InternalServerError()
        return error_response(500, "internal_error", fallback.description)
