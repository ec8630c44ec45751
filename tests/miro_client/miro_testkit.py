"""Shared helpers for miro_client tests: constants, a fake clock and validation against Miro's spec.

Requests are checked against Miro's official OpenAPI contract as extracted into
`miro_emulator/spec/miro-openapi-subset.json` (no network and no /work/shared needed).
"""

from __future__ import annotations

import copy
import json
import threading
from functools import cache
from urllib.parse import parse_qsl, urlsplit

import requests
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest

from miro_client.endpoints import ITEM_PATHS
from miro_emulator.spec import load_subset

API = "https://api.miro.com"
BOARD = "uXjVOD6LSME="
BOARD_PATH = "/v2/boards/uXjVOD6LSME%3D"
TOKEN = "tok-SECRET-123"


class FakeClock:
    """Wall clock that only moves when the client sleeps."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class SharedClock:
    """A clock for a client and an emulator together: a sleeper wakes at its own deadline, whoever sleeps."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.lock = threading.Lock()
        self.now = now
        self.sleeps: list[float] = []
        self.seen = threading.local()  # the time each thread last read: its sleep counts from there

    def time(self) -> float:
        with self.lock:
            self.seen.now = self.now
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.now = max(self.now, getattr(self.seen, "now", self.now) + seconds)


def _operation(operation_id: str) -> tuple[str, str, dict]:
    for path, operations in load_subset()["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return path, method, operation
    raise KeyError(operation_id)


@cache
def _validator(operation_id: str) -> OpenAPI:
    # One path per document: Miro's spec lists the same URL under several renamed templates
    # (e.g. {board_id_PlatformTags} for tag attach), so a whole-spec lookup could pick the wrong operation.
    path, method, operation = _operation(operation_id)
    document = dict(load_subset())
    document["paths"] = {path: {method: operation}}
    # Unknown body fields are errors, so a misspelt key cannot slip through.
    config = Config(spec_validator_cls=None, additional_properties_default_policy="forbid")
    return OpenAPI.from_dict(copy.deepcopy(document), config=config)


def validate_bulk_items(items: list[dict]) -> None:
    """Check each bulk element against its own type's create schema (the bulk `data` oneOf has no discriminator)."""
    schemas = load_subset()["components"]["schemas"]
    allowed_types = set(schemas["ItemTypeChange"]["enum"])
    assert 1 <= len(items) <= 20
    for item in items:
        assert item["type"] in allowed_types, item["type"]
        assert set(item) <= {"type", "data", "style", "position", "geometry", "parent"}
        segment = ITEM_PATHS[item["type"]]
        fields = {key: value for key, value in item.items() if key != "type"}
        typed = requests.Request("POST", f"{API}{BOARD_PATH}/{segment}", json=fields).prepare()
        _validator(f"create-{item['type'].replace('_', '-')}-item").validate_request(RequestsOpenAPIRequest(typed))


def validate_request(request: requests.PreparedRequest, operation_id: str) -> None:
    """Fail unless the request is a valid call of the named operation of Miro's spec."""
    path, method, operation = _operation(operation_id)
    assert request.method == method.upper(), (request.method, operation_id)
    if operation_id == "create-items":
        validate_bulk_items(json.loads(request.body))
        return
    _validator(operation_id).validate_request(RequestsOpenAPIRequest(request))
    declared = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    sent = {name for name, _ in parse_qsl(urlsplit(request.url).query)}
    assert sent <= declared, f"undeclared query parameters {sent - declared} for {operation_id}"
    assert request.headers["Authorization"].startswith("Bearer ")
