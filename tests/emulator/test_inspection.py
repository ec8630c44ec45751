"""/_emulator/: stats, reset, save and reload, users and tokens, board pictures."""

from __future__ import annotations

import requests

from miro_emulator import EmulatorConfig
from miro_emulator.testing import EmulatorServer
from tests.emulator.emu_kit import Api, ok


def _get(emu, path):
    return requests.get(f"{emu.base_url}/_emulator{path}", timeout=10)


def test_stats_count_requests_by_method_and_route_template(api, emu, board_id):
    card = ok(api.post(f"/v2/boards/{board_id}/cards", json={}), 201)
    for _ in range(3):
        ok(api.patch(f"/v2/boards/{board_id}/cards/{card['id']}", json={"data": {"title": "x"}}))
    requests.get(f"{emu.base_url}/v2/boards/{board_id}/nope", headers=emu.headers(), timeout=5)
    stats = _get(emu, "/stats").json()
    assert stats["requests"] == {
        "POST /v2/boards": 1,
        "POST /v2/boards/{board_id}/cards": 1,
        "PATCH /v2/boards/{board_id}/cards/{item_id}": 3,
        "GET <unmatched>": 1,
    }
    assert stats["credits"] == {"3458764500000000101": 500 + 100 + 300}


def test_reset_clears_counters_and_optionally_boards(api, emu, board_id):
    assert requests.post(f"{emu.base_url}/_emulator/reset", timeout=5).json() == {"reset": True}
    stats = _get(emu, "/stats").json()
    assert stats["requests"] == {} and stats["credits"] == {} and stats["boards"] == 1
    requests.post(f"{emu.base_url}/_emulator/reset?state=1", timeout=5)
    assert _get(emu, "/stats").json()["boards"] == 0
    ok(api.get("/v2/boards"))  # tokens survive a reset


def test_state_is_saved_and_loaded_again(tmp_path, clock):
    state_file = str(tmp_path / "state.json")
    config = EmulatorConfig(clock=clock, state_file=state_file)
    with EmulatorServer(config) as first:
        api = Api(first)
        board_id = ok(api.post("/v2/boards", json={"name": "Persisted"}), 201)["id"]
        frame = ok(api.post(f"/v2/boards/{board_id}/frames", json={"data": {"title": "F"}}), 201)
        ok(api.post(f"/v2/boards/{board_id}/cards", json={"parent": {"id": frame["id"]}}), 201)
        assert requests.post(f"{first.base_url}/_emulator/save", timeout=5).json() == {"saved": state_file}
    with EmulatorServer(EmulatorConfig(clock=clock, state_file=state_file)) as second:
        api = Api(second)
        assert ok(api.get(f"/v2/boards/{board_id}"))["name"] == "Persisted"
        items = ok(api.get(f"/v2/boards/{board_id}/items"))["data"]
        assert [i["type"] for i in items] == ["frame", "card"] and items[1]["parent"]["id"] == frame["id"]
        new_board = ok(api.post("/v2/boards"), 201)["id"]
        assert new_board != board_id  # id counters were restored too


def test_save_without_a_state_file_is_refused(emu):
    assert requests.post(f"{emu.base_url}/_emulator/save", timeout=5).status_code == 400


def test_users_are_listed_and_tokens_can_be_issued(emu):
    users = _get(emu, "/users").json()
    assert len(users["users"]) >= 4 and len(users["teams"]) == 2
    token = requests.post(f"{emu.base_url}/_emulator/tokens", json={"user_id": "ben@example.com"}, timeout=5).json()
    me = ok(Api(emu, token["access_token"]).get("/v1/oauth-token"))
    assert me["user"]["name"] == "Ben Brandt"


def test_board_page_and_pictures(api, emu, board_id, frame):
    ok(
        api.post(f"/v2/boards/{board_id}/cards", json={"data": {"title": "A &amp; B"}, "parent": {"id": frame["id"]}}),
        201,
    )
    ok(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "idea"}}), 201)
    page = _get(emu, f"/boards/{board_id}")
    assert page.status_code == 200 and "Test board" in page.text and "picture.svg" in page.text
    svg = _get(emu, f"/boards/{board_id}/picture.svg")
    assert svg.headers["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content and b"A &amp; B" in svg.content
    png = _get(emu, f"/boards/{board_id}/picture.png")
    assert png.headers["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert _get(emu, "/boards/uXjVnope000=/picture.svg").status_code == 404
    assert board_id in _get(emu, "/").text and _get(emu, "/boards").json()["boards"][0]["items"] == 3


def test_view_link_opens_the_board_page(api, emu, board_id):
    board = ok(api.get(f"/v2/boards/{board_id}"))
    assert requests.get(board["viewLink"], timeout=5).status_code == 200
