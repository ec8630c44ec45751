"""Races on demand: a teammate's edit between a listing and the next request, Miro's clock off from ours, and
who read or wrote each item."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import pytest

from miro_emulator.serialize import iso
from tests.emulator.emu_kit import START, error, ok


@pytest.fixture
def card(api, board_id) -> dict:
    return ok(api.post(f"/v2/boards/{board_id}/cards", json={"data": {"title": "KR1.1 · Signed partners"}}), 201)


def _listed(api, board_id, item_id) -> dict:
    return next(i for i in ok(api.get(f"/v2/boards/{board_id}/items"))["data"] if i["id"] == item_id)


def test_a_scripted_edit_lands_after_the_listing_and_before_the_next_request(api, emu, board_id, card, clock):
    body = {"data": {"title": "KR1.1 · Signed partners (Ben typing)"}}
    scheduled = ok(api.put("/_emulator/edits", json={"board_id": board_id, "item_id": card["id"], "body": body}))
    assert [e["armed"] for e in scheduled["waiting"]] == [False]
    clock.advance(5)
    listed = _listed(api, board_id, card["id"])
    assert listed["data"]["title"] == "KR1.1 · Signed partners" and listed["modifiedAt"] == card["modifiedAt"]
    read = ok(api.get(f"/v2/boards/{board_id}/items/{card['id']}"))
    assert read["data"]["title"] == "KR1.1 · Signed partners (Ben typing)"
    assert read["modifiedAt"] == iso(START + 5) != listed["modifiedAt"]
    after = ok(api.get("/_emulator/edits"))
    assert after["waiting"] == [] and [e["item_id"] for e in after["applied"]] == [card["id"]]


def test_more_pages_of_the_same_listing_do_not_trigger_the_edit(api, emu, board_id, card):
    for n in range(11):
        ok(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": f"idea {n}"}}), 201)
    body = {"data": {"description": "Current: 4"}}
    emu.edit_between(board_id=board_id, item_id=card["id"], body=body, user_id="ben")
    first = ok(api.get(f"/v2/boards/{board_id}/items", params={"limit": 10}))
    second = ok(api.get(f"/v2/boards/{board_id}/items", params={"limit": 10, "cursor": first["cursor"]}))
    everything = first["data"] + second["data"]
    assert next(i for i in everything if i["id"] == card["id"])["data"]["description"] == ""
    read = ok(api.get(f"/v2/boards/{board_id}/cards/{card['id']}"))
    assert read["data"]["description"] == "Current: 4" and read["modifiedBy"]["id"] == emu.state.find_user("ben").id


def test_an_in_process_edit_can_be_a_teammates_own_request(api, emu, board_id, card):
    ben = api.as_user("ben")
    ok(api.post(f"/v2/boards/{board_id}/members", json={"emails": ["ben@example.com"], "role": "editor"}), 201)
    emu.edit_between(lambda: ok(ben.patch(f"/v2/boards/{board_id}/cards/{card['id']}", json={"data": {"title": "B"}})))
    _listed(api, board_id, card["id"])
    assert ok(api.get(f"/v2/boards/{board_id}/items/{card['id']}"))["data"]["title"] == "B"
    ben_id = emu.state.find_user("ben").id
    assert emu.item_requests(ben_id) == [("PATCH", card["id"])]
    assert emu.item_requests(emu.emulator.default_user_id) == [("GET", card["id"])]


@pytest.mark.parametrize(
    "edit, field",
    [
        ({"item_id": "1", "body": {"data": {}}}, "board_id"),
        ({"board_id": "b", "body": {"data": {}}}, "item_id"),
        ({"board_id": "b", "item_id": "1", "body": {"colour": "red"}}, "body"),
        ({"board_id": "b", "item_id": "1", "body": {"data": {}}, "after": "listing"}, "after"),
        ({"board_id": "b", "item_id": "1", "body": {"data": {}}, "user_id": "zoe"}, "user_id"),
    ],
)
def test_a_malformed_scripted_edit_is_refused_naming_the_field(api, edit, field):
    body = error(api.put("/_emulator/edits", json=edit))
    assert body["context"]["fields"][0]["field"] == field
    assert ok(api.get("/_emulator/edits"))["waiting"] == []


@pytest.mark.parametrize("offset", [300.0, -300.0])
def test_the_clock_offset_moves_miros_timestamps_and_its_date_header(api, emu, board_id, offset):
    ok(api.put("/_emulator/clock", json={"offset_seconds": offset}))
    response = api.post(f"/v2/boards/{board_id}/cards", json={"data": {"title": "late"}})
    assert ok(response, 201)["modifiedAt"] == iso(START + offset)
    assert parsedate_to_datetime(response.headers["Date"]).timestamp() == START + offset
    assert ok(api.get("/_emulator/stats"))["clock_offset"] == offset


def test_tokens_live_their_hour_on_miros_clock(api, emu, clock):
    emu.set_clock_offset(-1800)
    token = emu.state.issue_token(emu.emulator.default_user_id, emu.config.client_id, emu.config.scopes, ttl=3599)
    clock.advance(3000)
    headers = {"Authorization": f"Bearer {token.access_token}"}
    assert api.session.get(f"{emu.base_url}/v2/boards", headers=headers, timeout=10).status_code == 200
    clock.advance(600)
    assert api.session.get(f"{emu.base_url}/v2/boards", headers=headers, timeout=10).status_code == 401


@pytest.mark.parametrize("offset", ["soon", True, None, 1e12])
def test_a_bad_clock_offset_is_refused_and_the_clock_is_unchanged(api, offset):
    body = error(api.put("/_emulator/clock", json={"offset_seconds": offset}))
    assert body["context"]["fields"][0]["field"] == "offset_seconds"
    assert ok(api.get("/_emulator/clock"))["offset_seconds"] == 0.0


def test_stats_count_reads_and_writes_per_item_and_user(api, emu, board_id, card):
    ok(api.get(f"/v2/boards/{board_id}/items/{card['id']}"))
    ok(api.patch(f"/v2/boards/{board_id}/cards/{card['id']}", json={"data": {"title": "x"}}))
    ok(api.get(f"/v2/boards/{board_id}/cards/{card['id']}"))
    stats = ok(api.get("/_emulator/stats"))
    assert stats["items"] == {emu.emulator.default_user_id: {card["id"]: {"GET": 2, "PATCH": 1}}}
    assert emu.item_requests() == [("GET", card["id"]), ("PATCH", card["id"]), ("GET", card["id"])]
    ok(api.post("/_emulator/reset"))
    assert ok(api.get("/_emulator/stats"))["items"] == {}
