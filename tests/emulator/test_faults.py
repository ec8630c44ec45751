"""Faults: seeded and reproducible, scripted for the Nth request, `lost` keeps the change, never on /_emulator/."""

from __future__ import annotations

import threading

import pytest
import requests

from miro_emulator import EmulatorConfig
from miro_emulator.faults import FaultInjector, FaultSpec, ScriptedFault, parse_faults
from miro_emulator.testing import EmulatorServer
from tests.emulator.emu_kit import Api, FakeClock, error, ok

CARDS = "POST /v2/boards/{board_id}/cards"


def test_fault_spec_parses_rates_and_scripted_requests():
    spec = parse_faults("5xx=0.1, lost=0.05,timeout@7")
    assert spec.rates == {"5xx": 0.1, "lost": 0.05}
    assert spec.script == [ScriptedFault(7, "timeout")]


@pytest.mark.parametrize("text", ["boom=0.1", "5xx=1.5", "5xx=0.6,lost=0.6", "5xx", "lost@0"])
def test_bad_fault_specs_are_refused(text):
    with pytest.raises(ValueError):
        parse_faults(text)


def test_same_seed_fails_the_same_requests_and_another_seed_others():
    def pattern(seed):
        injector = FaultInjector(parse_faults("5xx=0.2,429=0.1,timeout=0.05,lost=0.1"), seed)
        return [(f.kind, f.status) if (f := injector.next("GET /v2/boards")) else None for _ in range(200)]

    assert pattern(7) == pattern(7)
    assert pattern(7) != pattern(8)
    kinds = {entry[0] for entry in pattern(7) if entry}
    assert kinds == {"5xx", "429", "timeout", "lost"}


def test_lost_faults_either_drop_the_connection_or_answer_5xx():
    statuses = set()
    for seed in range(40):
        fault = FaultInjector(parse_faults("lost@1"), seed).next("GET /x")
        statuses.add(fault.status)
    assert None in statuses and statuses - {None} <= {500, 502, 503} and len(statuses) > 2


def _server(clock, **settings) -> EmulatorServer:
    return EmulatorServer(EmulatorConfig(clock=clock, sleep=clock.sleep, timeout_seconds=0.0, **settings))


def _statuses(seed: int) -> list[int]:
    clock = FakeClock()
    with _server(clock, faults="5xx=0.3,429=0.1", seed=seed) as server:
        board = server.state.create_board("3458764500000000101", "seeded")
        session = requests.Session()
        session.headers.update(server.headers())
        return [session.get(f"{server.base_url}/v2/boards/{board.id}", timeout=5).status_code for _ in range(30)]


def test_a_seeded_run_fails_the_same_requests_on_every_run():
    first = _statuses(3)
    assert first == _statuses(3)
    assert 200 in first and 429 in first and set(first) & {500, 502, 503}


def test_scripted_5xx_fails_the_nth_request_and_changes_nothing(clock):
    with _server(clock, faults="5xx@2") as server:
        api = Api(server)
        board_id = ok(api.post("/v2/boards"), 201)["id"]
        response = api.post(f"/v2/boards/{board_id}/cards", json={"data": {"title": "x"}})
        assert response.status_code in (500, 502, 503) and response.json()["type"] == "error"
        assert server.state.boards[board_id].items == {}
        ok(api.post(f"/v2/boards/{board_id}/cards", json={"data": {"title": "x"}}), 201)


def test_scripted_fault_can_target_the_nth_request_of_a_route(clock):
    spec = FaultSpec(script=[ScriptedFault(2, "429", CARDS)])
    with _server(clock, faults=spec) as server:
        api = Api(server)
        board_id = ok(api.post("/v2/boards"), 201)["id"]
        ok(api.get(f"/v2/boards/{board_id}"))
        ok(api.post(f"/v2/boards/{board_id}/cards", json={}), 201)
        body = error(api.post(f"/v2/boards/{board_id}/cards", json={}), 429)
        assert body["code"] == "tooManyRequests"


@pytest.mark.parametrize("seed", range(6))
def test_lost_response_still_applies_the_change(clock, seed):
    spec = FaultSpec(script=[ScriptedFault(1, "lost", CARDS)])
    with _server(clock, faults=spec, seed=seed) as server:
        session = requests.Session()
        session.headers.update(server.headers())
        board = server.state.create_board("3458764500000000101", "lost")
        try:
            response = session.post(
                f"{server.base_url}/v2/boards/{board.id}/cards", json={"data": {"title": "KR"}}, timeout=5
            )
            assert response.status_code in (500, 502, 503)
        except requests.ConnectionError:
            pass  # the connection was dropped after the change
        assert [i.data["title"] for i in server.state.boards[board.id].items.values()] == ["KR"]
        assert session.get(f"{server.base_url}/v2/boards/{board.id}", timeout=5).status_code == 200


def test_timeout_holds_the_request_then_drops_it_without_applying_it(clock):
    with _server(clock, faults="timeout@2") as server:
        session = requests.Session()
        session.headers.update(server.headers())
        server.emulator.config.timeout_seconds = 0.25
        board = server.state.create_board("3458764500000000101", "slow")
        ok(Api(server).get(f"/v2/boards/{board.id}"))
        with pytest.raises(requests.ConnectionError):
            session.post(f"{server.base_url}/v2/boards/{board.id}/cards", json={}, timeout=5)
        assert clock.sleeps == [0.25]  # the injected sleep was used, no real waiting
        assert server.state.boards[board.id].items == {}


def test_latency_is_added_to_every_api_request_but_not_to_inspection(clock):
    with _server(clock, latency_ms=50) as server:
        api = Api(server)
        ok(api.post("/v2/boards"), 201)
        requests.get(f"{server.base_url}/_emulator/stats", timeout=5)
        assert clock.sleeps == [0.05]


def test_faults_never_hit_the_inspection_routes(clock):
    with _server(clock, faults="5xx=1.0") as server:
        assert requests.get(f"{server.base_url}/_emulator/stats", timeout=5).status_code == 200
        assert requests.get(f"{server.base_url}/v2/boards", headers=server.headers(), timeout=5).status_code >= 500


def test_faults_can_be_changed_at_runtime(clock):
    with _server(clock) as server:
        url = f"{server.base_url}/_emulator/faults"
        settings = requests.put(url, json={"rates": {"5xx": 1.0}, "seed": 4, "latency_ms": 5}, timeout=5).json()
        assert settings["rates"] == {"5xx": 1.0} and settings["seed"] == 4 and settings["latency_ms"] == 5
        assert requests.get(f"{server.base_url}/v2/boards", headers=server.headers(), timeout=5).status_code >= 500
        requests.put(url, json={"rates": {}, "script": [{"nth": 2, "kind": "429"}], "latency_ms": 0}, timeout=5)
        assert requests.get(f"{server.base_url}/v2/boards", headers=server.headers(), timeout=5).status_code == 200
        assert requests.get(f"{server.base_url}/v2/boards", headers=server.headers(), timeout=5).status_code == 429
        assert requests.get(url, timeout=5).json()["script"] == [{"nth": 2, "kind": "429", "match": None}]
        assert requests.put(url, json={"rates": {"boom": 1}}, timeout=5).status_code == 400


def test_injected_faults_cost_no_credits(clock):
    with _server(clock, faults="5xx@1") as server:
        requests.get(f"{server.base_url}/v2/boards", headers=server.headers(), timeout=5)
        stats = requests.get(f"{server.base_url}/_emulator/stats", timeout=5).json()
        assert stats["credits"] == {} and stats["faults_injected"] == {"5xx": 1}
        assert stats["requests"] == {"GET /v2/boards": 1}


def _failures_under_concurrency(seed: int) -> set[tuple[str, int, str]]:
    """Send 50 requests to each of four routes from eight threads at once; return the faults injected."""
    with _server(FakeClock(), faults="5xx=0.2,429=0.1,lost=0.05", seed=seed) as server:
        board = server.state.create_board("3458764500000000101", "busy")
        paths = [f"/v2/boards/{board.id}", f"/v2/boards/{board.id}/items", "/v2/boards", f"/v2/boards/{board.id}/tags"]
        barrier = threading.Barrier(2 * len(paths))

        def client(path: str) -> None:
            session = requests.Session()
            session.headers.update(server.headers())
            barrier.wait()
            for _ in range(25):
                try:
                    session.get(server.base_url + path, timeout=10)
                except requests.ConnectionError:
                    pass  # a `lost` fault may drop the connection

        threads = [threading.Thread(target=client, args=(path,)) for path in paths for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return set(server.emulator.faults.injected_requests())


def test_a_seed_fails_the_same_requests_of_each_route_when_clients_run_concurrently():
    first = _failures_under_concurrency(seed=11)
    assert first == _failures_under_concurrency(seed=11)
    assert {route for route, _, _ in first} == {
        "GET /v2/boards/{board_id}",
        "GET /v2/boards/{board_id}/items",
        "GET /v2/boards",
        "GET /v2/boards/{board_id}/tags",
    }
    assert {kind for _, _, kind in first} == {"5xx", "429", "lost"}
    assert first != _failures_under_concurrency(seed=12)
