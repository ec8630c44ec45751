"""Helpers of the emulator suite: a fake clock, and an HTTP client that checks every response against the
response schema of its operation in the official spec subset."""

from __future__ import annotations

import copy
from urllib.parse import parse_qsl, unquote, urlsplit

import requests
from jsonschema import Draft4Validator, FormatChecker

from miro_emulator.operations import resolve
from miro_emulator.testing import EmulatorServer
from miro_emulator.validation import response_schema

START = 1_800_000_000.0


class FakeClock:
    """A clock that only moves when told to; `sleep` advances it and records the wait."""

    def __init__(self, now: float = START):
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _relaxed(schema):
    """The spec's `oneOf`s over item data have no discriminator (several branches match): check `anyOf`."""
    if isinstance(schema, dict):
        return {("anyOf" if k == "oneOf" else k): _relaxed(v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_relaxed(v) for v in schema]
    return schema


def check_error_shape(body: dict, status: int) -> None:
    """Miro's error body: {status, code, message, context, type: "error"}."""
    assert set(body) >= {"status", "code", "message", "context", "type"}, body
    assert body["type"] == "error" and body["status"] == status, body
    assert isinstance(body["code"], str) and isinstance(body["message"], str) and body["message"]


class Api:
    """requests.Session bound to the emulator, validating each response against the spec."""

    def __init__(self, server: EmulatorServer, token: str | None = None):
        self.server = server
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token or server.token}"

    def as_user(self, user: str, scopes: list[str] | None = None) -> Api:
        return Api(self.server, self.server.add_token(user, scopes))

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        response = self.session.request(method, self.server.base_url + path, **kwargs)
        self.check_against_spec(method, path, response)
        return response

    def check_against_spec(self, method: str, path: str, response: requests.Response) -> None:
        if response.status_code == 204:
            assert response.content == b"", "204 responses have an empty body"
            return
        if response.status_code >= 400:
            check_error_shape(response.json(), response.status_code)
            return
        url = urlsplit(response.request.url)
        endpoint, _ = self.server.app.url_map.bind("localhost").match(unquote(url.path), method=method)
        operation = resolve(endpoint, dict(parse_qsl(url.query)))
        if operation is None:
            return
        schema = response_schema(operation.op_id, str(response.status_code))
        assert schema is not None, f"{operation.op_id} has no {response.status_code} response in the spec"
        Draft4Validator(_relaxed(copy.deepcopy(schema)), format_checker=FormatChecker()).validate(response.json())

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def ok(response: requests.Response, status: int = 200) -> dict:
    """Assert the status and return the JSON body."""
    assert response.status_code == status, (response.status_code, response.text)
    return response.json() if response.content else {}


def error(response: requests.Response, status: int = 400) -> dict:
    """Assert a Miro error with this status and return its body."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    check_error_shape(body, status)
    return body
