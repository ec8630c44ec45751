"""Room to grow, run the way a facilitator runs it: key results added mid-cycle get free places on the board,
and a replaced key result's title reaches every label that shows it."""

import json

import pytest

from addon.domain.board import card_text
from miro_client import MiroClient
from tests.cli_kit import company_board, run

IN_FIRST_HALF = "2027-01-20"  # the cycle runs 2027-01-04 .. 2027-03-31


@pytest.fixture
def board(cli_env, miro, monkeypatch):
    """A generated and tracked board of the company plan; yields (cycle id, board id, client)."""
    cycle_id, board_id = company_board(miro, monkeypatch, track=True)
    return cycle_id, board_id, MiroClient(miro.token, base_url=miro.base_url)


def items(client, board_id):
    """Every item with its absolute box (x0, y0, x1, y1) and its text."""
    listed = list(client.iter_items(board_id))
    frames = {i["id"]: i for i in listed if i["type"] == "frame"}
    out = []
    for item in listed:
        x, y = item["position"]["x"], item["position"]["y"]
        parent = frames.get((item.get("parent") or {}).get("id"))
        if parent is not None:
            x += parent["position"]["x"] - parent["geometry"]["width"] / 2
            y += parent["position"]["y"] - parent["geometry"]["height"] / 2
        w = item["geometry"]["width"]
        h = item["geometry"].get("height") or w * 228 / 199
        data = item.get("data") or {}
        text = card_text.plain_text(data.get("title") or data.get("content") or "")
        out.append({**item, "box": (x - w / 2, y - h / 2, x + w / 2, y + h / 2), "text": text})
    return out


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def add_kr(cycle_id, objective, title):
    result = run(
        "kr", "add", cycle_id, objective, "--title", title, "--target", "4", "--owner", "Ben",
        "--due", "2027-03-20", "--reason", "new channel", "--on", IN_FIRST_HALF,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result


def test_key_results_added_mid_cycle_land_on_free_places_and_their_ideas_stay_theirs(board):
    cycle_id, board_id, client = board
    before = {i["id"]: i for i in items(client, board_id)}
    add_kr(cycle_id, "O2", "Partner webinars")
    add_kr(cycle_id, "O2", "Partner newsletter")
    assert run("generate", cycle_id).exit_code == 0
    after = items(client, board_id)
    new = [i for i in after if i["id"] not in before]
    assert {i["text"] for i in new if i["type"] == "card"} >= {"KR2.4 · Partner webinars", "KR2.5 · Partner newsletter"}
    assert any(i["text"].startswith("Ideas for KR2.4") for i in new)
    for item in new:
        for other in before.values():
            same_kind = item["type"] == other["type"] or {item["type"], other["type"]} <= {"card", "sticky_note"}
            if same_kind:
                assert not overlap(item["box"], other["box"]), (item["text"], other["text"])
    # a sticky dropped in KR3.1's matrix is an idea of KR3.1, not of a key result added since
    frame = next(i for i in after if i["type"] == "frame" and i["text"].startswith("Ideas for KR3.1"))
    client.create_sticky_note(
        board_id,
        data={"content": "<p>Co-host a webinar</p>"},
        position={"x": 300, "y": 300},
        parent_id=frame["id"],
    )
    assert run("sync", cycle_id).exit_code == 0
    shown = json.loads(run("cycle", "show", cycle_id, "--format", "json").output)
    o2, o3 = shown["objectives"][1], shown["objectives"][2]
    assert [idea["text"] for idea in o3["key_results"][0]["ideas"]] == ["Co-host a webinar"]
    assert all(not kr["ideas"] for kr in o2["key_results"][3:])


def test_a_replaced_key_result_shows_its_new_title_on_its_card_matrix_and_log_row(board):
    cycle_id, board_id, client = board
    result = run("kr", "replace", cycle_id, "KR1.2", "--title", "Partner-sourced demos", "--reason", "focus",
                 "--on", IN_FIRST_HALF)  # fmt: skip
    assert result.exit_code == 0, result.output
    synced = run("sync", cycle_id)
    assert synced.exit_code == 0, synced.output
    texts = [i["text"] for i in items(client, board_id)]
    assert "KR1.2 · Partner-sourced demos" in texts  # the card
    assert any(t.startswith("Ideas for KR1.2: Partner-sourced demos") for t in texts)  # the matrix
    assert any(t.startswith("KR1.2 · Partner-sourced demos") and t != texts[0] for t in texts)
    assert not [t for t in texts if "Qualified demos booked" in t]
    assert "Nothing changed" in run("sync", cycle_id).output
