"""The client against the local emulator: every operation round-trips, credits agree, faults are handled."""

from __future__ import annotations

import pytest
import requests

from miro_client import MiroClient, MiroCreateOutcomeUnknown, NotFound, RetryPolicy

testing = pytest.importorskip("miro_emulator.testing")
config_module = pytest.importorskip("miro_emulator.config")
faults_module = pytest.importorskip("miro_emulator.faults")

NO_JITTER = RetryPolicy(jitter=lambda delay: delay)


def _server(script: list | None = None):
    config = config_module.EmulatorConfig(timeout_seconds=0.3)
    if script:
        config.faults = faults_module.FaultSpec(script=[faults_module.ScriptedFault(*item) for item in script])
    return testing.EmulatorServer(config)


@pytest.fixture
def emulator():
    with _server() as server:
        yield server


def _client(server, **kwargs) -> MiroClient:
    kwargs.setdefault("retry", NO_JITTER)
    kwargs.setdefault("sleep", lambda seconds: None)
    return MiroClient(server.token, base_url=server.base_url, **kwargs)


def _emulator_stats(server) -> dict:
    return requests.get(server.base_url + "/_emulator/stats", timeout=5).json()


def test_every_operation_round_trips_on_the_emulator(emulator):
    client = _client(emulator)
    assert "boards:write" in client.get_token_context()["scopes"]
    board = client.create_board(name="Round trip", description="miro_client test")
    board_id = board["id"]
    assert client.get_board(board_id)["name"] == "Round trip"
    assert board_id in {b["id"] for b in client.iter_boards()}
    assert client.update_board(board_id, name="Renamed")["name"] == "Renamed"
    members = list(client.iter_board_members(board_id))
    assert client.get_board_member(board_id, members[0]["id"])["id"] == members[0]["id"]
    assert set(client.share_board(board_id, emails=["nobody@example.com"])) >= {"successful", "failed"}

    frame = client.create_frame(
        board_id, data={"title": "O1", "format": "custom", "type": "freeform"}, geometry={"width": 1000, "height": 800}
    )
    made = {
        "card": client.create_card(
            board_id,
            data={"title": "KR", "dueDate": "2027-03-15T00:00:00Z"},
            position={"x": 100, "y": 100},
            parent_id=frame["id"],
        ),
        "app_card": client.create_app_card(board_id, data={"title": "App", "status": "connected"}),
        "sticky_note": client.create_sticky_note(board_id, data={"content": "idea"}, geometry={"width": 199}),
        "shape": client.create_shape(
            board_id, data={"content": "area", "shape": "rectangle"}, style={"fontSize": "14"}
        ),
        "text": client.create_text(board_id, data={"content": "label"}, geometry={"width": 200}),
        "frame": frame,
    }
    assert made["card"]["parent"]["id"] == frame["id"]
    for item_type, item in made.items():
        assert getattr(client, f"get_{item_type}")(board_id, item["id"])["type"] == item_type
        moved = getattr(client, f"update_{item_type}")(board_id, item["id"], position={"x": 20, "y": 30})
        assert (moved["position"]["x"], moved["position"]["y"]) == (20, 30)
    assert client.get_item(board_id, made["text"]["id"])["type"] == "text"
    client.update_item(board_id, made["sticky_note"]["id"], position={"x": 50, "y": 50}, parent_id=frame["id"])
    in_frame = {item["id"] for item in client.iter_items(board_id, parent_item_id=frame["id"])}
    assert in_frame == {made["card"]["id"], made["sticky_note"]["id"]}
    assert [item["type"] for item in client.iter_items(board_id, type="shape")] == ["shape"]

    connector = client.create_connector(board_id, start_item=made["sticky_note"]["id"], end_item=made["shape"]["id"])
    assert [c["id"] for c in client.iter_connectors(board_id)] == [connector["id"]]
    assert client.get_connector(board_id, connector["id"])["id"] == connector["id"]
    assert client.update_connector(board_id, connector["id"], shape="straight")["shape"] == "straight"
    client.delete_connector(board_id, connector["id"])

    tag = client.create_tag(board_id, title="at risk", fill_color="red")
    assert [t["id"] for t in client.iter_tags(board_id)] == [tag["id"]]
    assert client.get_tag(board_id, tag["id"])["title"] == "at risk"
    assert client.update_tag(board_id, tag["id"], title="risky")["title"] == "risky"
    client.attach_tag(board_id, made["card"]["id"], tag["id"])
    assert [t["id"] for t in client.get_item_tags(board_id, made["card"]["id"])] == [tag["id"]]
    assert [i["id"] for i in client.iter_items_by_tag(board_id, tag["id"])] == [made["card"]["id"]]
    client.detach_tag(board_id, made["card"]["id"], tag["id"])
    assert client.get_item(board_id, made["card"]["id"])["id"] == made["card"]["id"]  # the item survived
    assert client.get_item_tags(board_id, made["card"]["id"]) == []
    client.delete_tag(board_id, tag["id"])

    bulk = client.create_items_bulk(
        board_id, [{"type": "sticky_note", "data": {"content": f"idea {n}"}} for n in range(45)]
    )
    assert [item["data"]["content"] for item in bulk] == [f"idea {n}" for n in range(45)]
    assert len(list(client.iter_items(board_id, limit=10))) == 6 + 45

    client.delete_item(board_id, made["text"]["id"])
    with pytest.raises(NotFound):
        client.get_item(board_id, made["text"]["id"])
    copy = client.copy_board(board_id, name="Copy")
    client.delete_board(copy["id"])


def test_client_credits_agree_with_the_emulators_accounting(emulator):
    client = _client(emulator)
    board = client.create_board(name="Credits")
    client.create_items_bulk(board["id"], [{"type": "card", "data": {"title": str(n)}} for n in range(25)])
    list(client.iter_items(board["id"]))
    client.get_board(board["id"])

    stats = _emulator_stats(emulator)
    assert list(stats["credits"].values()) == [client.stats.credits] == [500 + 25 * 100 + 100 + 50]
    assert client.stats.snapshot()["rate_limit"]["remaining"] == 100_000 - client.stats.credits


def test_a_lost_create_is_not_resent_and_reconciling_finds_it_once():
    with _server([(1, "lost", "POST /v2/boards/{board_id}/cards")]) as server:
        client = _client(server, timeout=(1, 1))
        board_id = client.create_board(name="Lost")["id"]
        with pytest.raises(MiroCreateOutcomeUnknown) as caught:
            client.create_card(board_id, data={"title": "Signed design partners"})
        title = caught.value.body["data"]["title"]
        matches = [item for item in client.iter_items(board_id, type="card") if item["data"]["title"] == title]
        assert len(matches) == 1


def test_rate_limited_and_failed_reads_are_retried_on_the_emulator():
    waits: list[float] = []
    script = [(2, "429", None), (3, "5xx", None), (4, "timeout", None)]
    with _server(script) as server:
        client = _client(server, sleep=waits.append, timeout=(1, 0.2))
        board_id = client.create_board(name="Flaky")["id"]
        assert client.get_board(board_id)["id"] == board_id
    assert len(waits) == 3
    assert client.stats.snapshot()["retries"] == 3


def test_a_delete_whose_answer_was_lost_is_retried_and_counts_as_done():
    with _server([(1, "lost", "DELETE /v2/boards/{board_id}/items/{item_id}")]) as server:
        client = _client(server, timeout=(1, 1))
        board_id = client.create_board(name="Delete")["id"]
        note = client.create_sticky_note(board_id, data={"content": "bye"})
        assert client.delete_item(board_id, note["id"]) is None
        with pytest.raises(NotFound):
            client.get_item(board_id, note["id"])
