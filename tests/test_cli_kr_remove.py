"""`okrboard kr remove`: a removed key result's ref is never given again, so nothing on the board changes owner."""

import json

import pytest

from miro_client import MiroClient
from tests.cli_kit import EXAMPLES, company_board, run
from tests.test_cli_room_to_grow import add_kr, items, overlap

IN_FIRST_HALF = "2027-01-20"  # the cycle runs 2027-01-04 .. 2027-03-31


def show(cycle_id):
    return json.loads(run("cycle", "show", cycle_id, "--format", "json").output)


def refs(shown, objective):
    return [(kr["ref"], kr["title"]) for kr in shown["objectives"][objective]["key_results"]]


@pytest.fixture
def board(cli_env, miro, monkeypatch):
    """A generated and tracked board of the company plan; yields (cycle id, board id, client)."""
    cycle_id, board_id = company_board(miro, monkeypatch, track=True)
    return cycle_id, board_id, MiroClient(miro.token, base_url=miro.base_url)


def drop_sticky(client, board_id, frame_title, text):
    frame = next(i for i in items(client, board_id) if i["type"] == "frame" and i["text"].startswith(frame_title))
    client.create_sticky_note(
        board_id, data={"content": f"<p>{text}</p>"}, position={"x": 300, "y": 300}, parent_id=frame["id"]
    )


def test_a_sticky_in_a_removed_key_results_matrix_never_becomes_an_idea_of_another(board):
    cycle_id, board_id, client = board
    removed = run("kr", "remove", cycle_id, "KR2.2", "--reason", "community moved to Q2", "--on", IN_FIRST_HALF)
    assert removed.exit_code == 0, removed.output
    assert "Removed KR2.2 'Compliance leads in the community'" in removed.output
    assert refs(show(cycle_id), 1) == [
        ("KR2.1", "Security questionnaire answered in one day"),
        ("KR2.3", "Weekly product uptime"),
    ]
    synced = run("sync", cycle_id)
    assert synced.exit_code == 0, synced.output
    assert "KR2.2 was deleted from the store" in synced.output
    drop_sticky(client, board_id, "Ideas for KR2.2", "Host a compliance meetup")
    drop_sticky(client, board_id, "Ideas for KR2.3", "Status page")
    assert run("sync", cycle_id).exit_code == 0
    shown = show(cycle_id)
    ideas = {kr["ref"]: [i["text"] for i in kr["ideas"]] for o in shown["objectives"] for kr in o["key_results"]}
    assert ideas["KR2.3"] == ["Status page"]
    assert not [ref for ref, texts in ideas.items() if "Host a compliance meetup" in texts]
    texts = [i["text"] for i in items(client, board_id)]
    assert "KR2.3 · Weekly product uptime" in texts  # its card still reads as it did


def test_a_key_result_added_after_a_removal_takes_a_new_ref_and_a_free_place(board):
    cycle_id, board_id, client = board
    assert (
        run("kr", "remove", cycle_id, "KR2.3", "--reason", "uptime is ops' goal", "--on", IN_FIRST_HALF).exit_code == 0
    )
    before = {i["id"]: i for i in items(client, board_id)}
    assert "Added KR2.4" in add_kr(cycle_id, "O2", "Audit findings closed").output
    assert run("generate", cycle_id).exit_code == 0
    new = [i for i in items(client, board_id) if i["id"] not in before]
    assert "KR2.4 · Audit findings closed" in {i["text"] for i in new}
    old_card = next(i for i in before.values() if i["text"] == "KR2.3 · Weekly product uptime")
    assert not [i["text"] for i in new if i["type"] == "card" and overlap(i["box"], old_card["box"])]
    assert run("sync", cycle_id).exit_code == 0
    assert refs(show(cycle_id), 1)[-1] == ("KR2.4", "Audit findings closed")


def test_the_removal_is_logged_with_its_reason_and_shown(board):
    cycle_id, _, _ = board
    assert (
        run("kr", "remove", cycle_id, "kr1.2", "--reason", "demos are a sales metric", "--on", IN_FIRST_HALF).exit_code
        == 0
    )
    [gone] = show(cycle_id)["objectives"][0]["removed_key_results"]
    assert gone["ref"] == "KR1.2" and gone["title"] == "Qualified demos booked"
    assert [(c["action"], c["reason"], c["on"]) for c in gone["changes"]] == [
        ("removed", "demos are a sales metric", IN_FIRST_HALF)
    ]
    text = run("cycle", "show", cycle_id).output
    assert f"{IN_FIRST_HALF} KR1.2 removed: demos are a sales metric" in text


def test_a_late_removal_is_refused_unless_forced_and_then_flagged(board):
    cycle_id, _, _ = board
    before = show(cycle_id)
    late = run("kr", "remove", cycle_id, "KR3.1", "--reason", "too late", "--on", "2027-03-01")
    assert late.exit_code == 1 and "M9" in late.output and "first half" in late.output
    assert show(cycle_id) == before
    forced = run("kr", "remove", cycle_id, "KR3.1", "--reason", "too late", "--on", "2027-03-01", "--force")
    assert forced.exit_code == 0, forced.output
    shown = show(cycle_id)
    [gone] = shown["objectives"][2]["removed_key_results"]
    assert gone["changes"][0]["forced"] is True
    [flag] = [f for f in shown["findings"] if f["rule"] == "M9"]
    assert flag["ref"] == "KR3.1" and "removed on 2027-03-01 after mid-cycle (forced): too late" in flag["message"]
    report = json.loads(run("report", cycle_id, "--format", "json", "--no-sync").stdout)
    assert [(c["ref"], c["action"], c["forced"]) for c in report["change_log"]] == [("KR3.1", "removed", True)]


@pytest.mark.parametrize(
    "args, message",
    [
        (["KR2.9", "--reason", "x"], "KR2.9: no such key result in GTM Q1 2027 (it has KR1.1, KR1.2"),
        (["O2", "--reason", "x"], "'O2' is not a key result's ref; write it like KR2.3"),
        (["KR2.2"], "--reason: GTM Q1 2027 is tracking, so the change is logged with its reason"),
        (["KR2.2", "--reason", "   "], "--reason: GTM Q1 2027 is tracking"),
        (["KR2.2", "--reason", "x", "--on", "2027-02-30"], "Invalid value for '--on'"),
    ],
)
def test_a_bad_removal_names_what_is_wrong_and_changes_nothing(board, args, message):
    cycle_id, _, _ = board
    before = show(cycle_id)
    result = run("kr", "remove", cycle_id, *args)
    assert result.exit_code in (1, 2) and message in result.output, result.output
    assert "Traceback" not in result.output
    assert show(cycle_id) == before


def test_the_last_key_result_of_a_tracked_objective_stays(board):
    cycle_id, _, _ = board
    for ref in ("KR1.1", "KR1.2"):
        assert run("kr", "remove", cycle_id, ref, "--reason", "focus", "--on", IN_FIRST_HALF).exit_code == 0
    last = run("kr", "remove", cycle_id, "KR1.3", "--reason", "focus", "--on", IN_FIRST_HALF)
    assert last.exit_code == 1 and "keeps at least one key result" in last.output


def test_on_a_draft_a_removal_is_free_and_not_logged(cli_env):
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    result = run("kr", "remove", cycle_id, "KR1.1")
    assert result.exit_code == 0, result.output
    shown = show(cycle_id)
    assert [ref for ref, _ in refs(shown, 0)] == ["KR1.2", "KR1.3"]
    assert shown["objectives"][0]["removed_key_results"][0]["changes"] == []


def test_once_the_boards_places_are_taken_a_new_key_result_is_refused(board):
    cycle_id, _, _ = board
    assert run("kr", "remove", cycle_id, "KR2.3", "--reason", "ops goal", "--on", IN_FIRST_HALF).exit_code == 0
    add_kr(cycle_id, "O2", "Audit findings closed")  # KR2.4
    add_kr(cycle_id, "O2", "Pen test passed")  # KR2.5: the last reserved place
    before = show(cycle_id)
    sixth = run(
        "kr", "add", cycle_id, "O2", "--title", "Trust page", "--target", "1", "--owner", "Dev",
        "--due", "2027-03-20", "--reason", "x", "--on", IN_FIRST_HALF,
    )  # fmt: skip
    assert sixth.exit_code == 1 and "O2 has no free key-result place on its board" in sixth.output
    assert show(cycle_id) == before
    assert len(before["objectives"][1]["key_results"]) == 4  # fewer than five: only the board's places refuse


def test_without_a_board_numbers_may_go_past_the_reserved_places_and_the_board_makes_room(cli_env, miro, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    assert run("kr", "remove", cycle_id, "KR1.3").exit_code == 0
    for title in ("Referrals", "Partner deals", "Webinars"):
        added = run("kr", "add", cycle_id, "O1", "--title", title, "--target", "3", "--reason", "draft")
        assert added.exit_code == 0, added.output
    assert [ref for ref, _ in refs(show(cycle_id), 0)] == ["KR1.1", "KR1.2", "KR1.4", "KR1.5", "KR1.6"]
    assert run("generate", cycle_id).exit_code == 0
    [board_id] = miro.state.boards
    placed = [
        i for i in items(MiroClient(miro.token, base_url=miro.base_url), board_id) if i["type"] in ("card", "frame")
    ]
    assert "KR1.6 · Webinars" in {i["text"] for i in placed}
    for n, item in enumerate(placed):
        for other in placed[n + 1 :]:
            if item["type"] == other["type"] and item.get("parent") == other.get("parent"):
                assert not overlap(item["box"], other["box"]), (item["text"], other["text"])
