"""The client's operation table agrees with Miro's spec, and the spec check used by the tests has teeth."""

from __future__ import annotations

import re

import pytest
import requests
from openapi_core.exceptions import OpenAPIError

from miro_client import LEVEL_CREDITS, OPERATIONS
from miro_emulator.spec import load_subset
from tests.miro_client.miro_testkit import API, BOARD_PATH, validate_bulk_items, validate_request


def _spec_operations() -> dict[str, tuple[str, str, dict]]:
    found = {}
    for path, operations in load_subset()["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "operationId" in operation:
                found[operation["operationId"]] = (method.upper(), path, operation)
    return found


def _normalise(path: str) -> str:
    # The spec renames the board parameter per area ({board_id_PlatformTags}, ...); the URL is the same.
    return re.sub(r"\{board_id_[A-Za-z]+\}", "{board_id}", path)


@pytest.mark.parametrize("operation", OPERATIONS.values(), ids=lambda operation: operation.id)
def test_operation_matches_the_spec_method_path_and_rate_level(operation):
    method, path, spec_operation = _spec_operations()[operation.id]
    assert (operation.method, operation.path) == (method, _normalise(path))
    spec_level = spec_operation.get("x-rate-limit-level")
    if spec_level is None:
        # The spec gives no level for the token context; the client charges it as level 1.
        assert operation.id == "token-info" and operation.level == 1
    else:
        assert operation.level == spec_level


def test_only_gets_patches_and_deletes_are_retried_after_an_unknown_outcome():
    for operation in OPERATIONS.values():
        assert operation.idempotent == (operation.method in {"GET", "PATCH", "DELETE"}), operation.id
    assert not OPERATIONS["copy-board"].idempotent


def test_credit_table_follows_miros_rate_limit_levels():
    assert LEVEL_CREDITS == {1: 50, 2: 100, 3: 500, 4: 2000}


def _prepared(method: str, url: str, **kwargs) -> requests.PreparedRequest:
    return requests.Request(method, url, headers={"Authorization": "Bearer t"}, **kwargs).prepare()


@pytest.mark.parametrize(
    ("operation_id", "request_"),
    [
        (
            "create-text-item",
            _prepared("POST", f"{API}{BOARD_PATH}/texts", json={"data": {"content": "x"}, "style": {"fontSize": 14}}),
        ),
        ("create-card-item", _prepared("POST", f"{API}{BOARD_PATH}/cards", json={"data": {"titel": "typo"}})),
        ("get-items", _prepared("GET", f"{API}{BOARD_PATH}/items?limit=50&parent=1")),
        ("attach-tag-to-item", _prepared("POST", f"{API}{BOARD_PATH}/items/1")),
        ("create-tag", _prepared("POST", f"{API}{BOARD_PATH}/tags", json={"title": "x", "fillColor": "pink"})),
    ],
    ids=["numeric-font-size", "unknown-field", "unknown-query", "missing-tag-id", "bad-enum"],
)
def test_spec_check_rejects_requests_miro_would_refuse(operation_id, request_):
    with pytest.raises((AssertionError, OpenAPIError)):
        validate_request(request_, operation_id)


def test_bulk_check_validates_each_item_against_its_own_type():
    validate_bulk_items([{"type": "sticky_note", "data": {"content": "ok"}, "geometry": {"width": 199}}])
    with pytest.raises(OpenAPIError, match="Request body"):
        validate_bulk_items([{"type": "sticky_note", "data": {"title": "cards have titles, notes do not"}}])
    with pytest.raises(AssertionError):
        validate_bulk_items([])
