"""Credits per user per app per minute, by operation level; headers on every response; 429 when spent."""

from __future__ import annotations

import requests

from miro_emulator import EmulatorConfig
from miro_emulator.testing import EmulatorServer
from tests.emulator.emu_kit import START, Api, error, ok


def _remaining(response) -> int:
    return int(response.headers["X-RateLimit-Remaining"])


def test_every_api_response_carries_rate_limit_headers(api, board_id):
    for response in (
        api.get(f"/v2/boards/{board_id}"),
        api.get(f"/v2/boards/{board_id}/items"),
        api.post(f"/v2/boards/{board_id}/cards", json={"data": {"title": 1}}),
        api.get(f"/v2/boards/{board_id}/cards/3458764699999999999"),
    ):
        assert response.headers["X-RateLimit-Limit"] == "100000"
        assert int(response.headers["X-RateLimit-Reset"]) == int(START) + 60
        assert 0 <= _remaining(response) < 100_000


def test_operations_cost_credits_by_their_level(api):
    costs = []
    previous = 100_000
    board = api.post("/v2/boards")  # level 3
    board_id = board.json()["id"]
    calls = [
        board,
        api.get(f"/v2/boards/{board_id}"),  # level 1
        api.get(f"/v2/boards/{board_id}/items"),  # level 2
        api.put("/v2/boards", params={"copy_from": board_id}),  # level 4
        api.post(
            f"/v2/boards/{board_id}/items/bulk",
            json=[{"type": "sticky_note", "data": {"content": str(n)}} for n in range(7)],
        ),  # 2 per item
        api.get(f"/v2/boards/{board_id}/tags"),  # level 1
    ]
    for response in calls:
        costs.append(previous - _remaining(response))
        previous = _remaining(response)
    assert costs == [500, 50, 100, 2000, 700, 50]


def test_stats_report_credits_spent_per_user(api, emu, board_id):
    api.get(f"/v2/boards/{board_id}")
    stats = requests.get(f"{emu.base_url}/_emulator/stats", timeout=5).json()
    assert stats["credits"] == {"3458764500000000101": 550}


def test_spent_budget_answers_429_with_miros_body_until_the_window_resets(clock):
    config = EmulatorConfig(clock=clock, sleep=clock.sleep, credits_per_minute=1000)
    with EmulatorServer(config) as server:
        api = Api(server)
        board_id = ok(api.post("/v2/boards"), 201)["id"]  # 500
        for _ in range(10):
            ok(api.get(f"/v2/boards/{board_id}"))  # 10 x 50
        response = api.get(f"/v2/boards/{board_id}")
        assert response.status_code == 429
        assert response.json() == {
            "status": 429,
            "code": "tooManyRequests",
            "message": "Request rate limit exceed",
            "context": None,
            "type": "error",
        }
        assert response.headers["X-RateLimit-Remaining"] == "0"
        assert response.headers["X-RateLimit-Reset"] == str(int(START) + 60)
        clock.advance(60)
        refreshed = ok(api.get(f"/v2/boards/{board_id}"))
        assert refreshed["id"] == board_id


def test_a_bulk_call_costing_more_than_what_is_left_is_refused_whole(clock):
    with EmulatorServer(EmulatorConfig(clock=clock, credits_per_minute=2000)) as server:
        api = Api(server)
        board_id = ok(api.post("/v2/boards"), 201)["id"]  # 1500 left
        error(api.post(f"/v2/boards/{board_id}/items/bulk", json=[{"type": "card", "data": {}}] * 20), 429)
        assert server.state.boards[board_id].items == {}


def test_budgets_are_per_user_and_per_app(clock):
    with EmulatorServer(EmulatorConfig(clock=clock, credits_per_minute=600)) as server:
        ana = Api(server)
        ok(ana.post("/v2/boards"), 201)
        error(ana.post("/v2/boards"), 429)
        ben = ana.as_user("ben")
        ok(ben.post("/v2/boards"), 201)
        other_app = server.state.issue_token("3458764500000000101", "another-app", ["boards:read", "boards:write"])
        ok(Api(server, other_app.access_token).post("/v2/boards"), 201)
