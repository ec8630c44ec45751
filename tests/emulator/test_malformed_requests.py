"""Requests a careless or hostile client sends: wrong body types, too deep or too big bodies, over-long query
values, wrong methods. Each gets Miro's error shape with a 4xx, never a 5xx, and changes nothing."""

from __future__ import annotations

import json

import pytest
import requests

from tests.emulator.emu_kit import error, ok

NOT_OBJECTS = [None, False, True, 0, 1, [], [{"name": "x"}], "x", ""]


def _raw(api, method: str, path: str, data: bytes | str) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    return api.request(method, path, data=data, headers=headers)


@pytest.mark.parametrize("body", NOT_OBJECTS, ids=repr)
def test_create_board_with_a_json_body_that_is_not_an_object_is_refused(api, emu, body):
    answer = error(_raw(api, "POST", "/v2/boards", json.dumps(body)))
    assert answer["code"] == "invalidParameters"
    assert answer["context"]["fields"][0]["field"] == "body"
    assert "JSON object" in answer["message"]
    assert emu.state.boards == {}


@pytest.mark.parametrize("body", NOT_OBJECTS, ids=repr)
def test_copy_board_with_a_json_body_that_is_not_an_object_is_refused(api, emu, board_id, body):
    answer = error(_raw(api, "PUT", f"/v2/boards?copy_from={board_id}", json.dumps(body)))
    assert answer["context"]["fields"][0]["field"] == "body"
    assert list(emu.state.boards) == [board_id]


def test_create_board_with_an_empty_body_or_empty_object_is_untitled(api):
    assert ok(_raw(api, "POST", "/v2/boards", b""), 201)["name"] == "Untitled"
    assert ok(_raw(api, "POST", "/v2/boards", b"{}"), 201)["name"] == "Untitled"


def test_board_search_query_longer_than_500_characters_is_refused(api, board_id):
    ok(api.get("/v2/boards", params={"query": "x" * 500}))
    answer = error(api.get("/v2/boards", params={"query": "x" * 501}))
    assert answer["context"]["fields"][0]["field"] == "query"
    assert "500" in answer["message"]


def test_wrong_method_answers_405_with_an_allow_header(api, board_id):
    response = api.request("PUT", f"/v2/boards/{board_id}/cards")
    answer = error(response, 405)
    assert answer["code"] == "methodNotAllowed"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"POST"}
    response = api.request("POST", f"/v2/boards/{board_id}")
    error(response, 405)
    assert {"GET", "PATCH", "DELETE"} <= set(response.headers["Allow"].replace(" ", "").split(","))


@pytest.mark.parametrize(
    "parent,message",
    [({}, "Field [parent.id] is required"), ({"id": ""}, "Field [parent.id] must not be empty")],
)
def test_item_with_a_parent_without_id_names_the_missing_field(api, board_id, parent, message):
    body = {"data": {"content": "x"}, "parent": parent}
    answer = error(api.post(f"/v2/boards/{board_id}/sticky_notes", json=body))
    assert answer["context"]["fields"] == [{"field": "parent.id", "message": message, "reason": "invalidParameter"}]


def test_moving_an_item_to_a_parent_without_id_names_the_missing_field(api, board_id):
    note = ok(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "x"}}), 201)
    answer = error(api.patch(f"/v2/boards/{board_id}/items/{note['id']}", json={"parent": {}}))
    assert answer["message"] == "Field [parent.id] is required"


@pytest.mark.parametrize("depth", [100_000, 5_000])
@pytest.mark.parametrize("opener,closer", [("[", "]"), ('{"a":', "}")])
def test_deeply_nested_json_is_refused_as_invalid_json(api, emu, depth, opener, closer):
    deep = opener * depth + "1" + closer * depth
    answer = error(_raw(api, "POST", "/v2/boards", '{"name": "deep", "policy": ' + deep + "}"))
    assert answer["context"]["fields"][0]["field"] == "body"
    assert "nested" in answer["message"]
    assert emu.state.boards == {}


def test_nesting_just_within_the_limit_is_an_ordinary_validation_error(api, emu, board_id):
    deep = "[" * 60 + "1" + "]" * 60
    answer = error(_raw(api, "POST", f"/v2/boards/{board_id}/sticky_notes", '{"data": {"content": ' + deep + "}}"))
    assert answer["context"]["fields"][0]["field"] == "data.content"


def test_an_over_long_value_is_named_by_its_length_not_repeated_in_the_message(api):
    answer = error(api.post("/v2/boards", json={"name": "ok", "description": "x" * 5000}))
    assert answer["message"] == "Field [description] must be at most 300 characters long, got 5000"
