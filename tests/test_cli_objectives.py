"""`okrboard objective add / update`: rules checked, changes logged while tracking, the board relabelled."""

import json

import pytest

from addon.adapters.store import Store
from addon.domain.method.model import CycleStatus
from miro_client import MiroClient
from tests.cli_kit import EXAMPLES, company_board, run
from tests.test_cli_room_to_grow import add_kr, items, overlap

IN_FIRST_HALF = "2027-01-20"  # the cycle runs 2027-01-04 .. 2027-03-31
NEW_OBJECTIVE = ["--title", "Make partners sell for us", "--type", "inspirational", "--owner", "Ana"]


def show(cycle_id):
    return json.loads(run("cycle", "show", cycle_id, "--format", "json").output)


@pytest.fixture
def board(cli_env, miro, monkeypatch):
    """A generated and tracked board of the company plan; yields (cycle id, board id, client)."""
    cycle_id, board_id = company_board(miro, monkeypatch, track=True)
    return cycle_id, board_id, MiroClient(miro.token, base_url=miro.base_url)


def set_status(cli_env, cycle_id, status):
    store = Store.open(f"sqlite:///{cli_env / 'instance' / 'okrboard.sqlite3'}")
    with store.unit("local") as uow:
        cycle = uow.cycles.get(int(cycle_id))
        cycle.status = status
        uow.cycles.save(cycle)
    store.close()


def test_an_updated_objective_is_relabelled_on_the_board_by_the_next_sync(board):
    cycle_id, board_id, client = board
    updated = run(
        "objective", "update", cycle_id, "O2", "--title", "Earn the trust of compliance teams", "--owner", "Eva",
        "--reason", "clearer wording", "--on", IN_FIRST_HALF,
    )  # fmt: skip
    assert updated.exit_code == 0 and "Updated O2: title, owner" in updated.output, updated.output
    synced = run("sync", cycle_id)
    assert synced.exit_code == 0, synced.output
    cards = [i for i in items(client, board_id) if i["type"] == "card"]
    [card] = [c for c in cards if c["text"].startswith("O2 ·")]
    assert card["text"] == "O2 · Earn the trust of compliance teams"
    assert "Eva" in card["data"]["description"]
    assert not [c for c in cards if "Win the trust" in c["text"]]
    shown = show(cycle_id)["objectives"][1]
    assert (shown["title"], shown["owner"]) == ("Earn the trust of compliance teams", "Eva")
    assert [(c["action"], c["reason"], c["previous"]) for c in shown["changes"]] == [
        ("updated", "clearer wording", "Win the trust of compliance teams")
    ]
    assert "Nothing changed" in run("sync", cycle_id).output


def test_an_added_objective_lands_on_free_board_with_its_key_results(board):
    cycle_id, board_id, client = board
    before = {i["id"]: i for i in items(client, board_id)}
    added = run("objective", "add", cycle_id, *NEW_OBJECTIVE, "--reason", "partner push", "--on", IN_FIRST_HALF)
    assert added.exit_code == 0 and "Added O4" in added.output, added.output
    assert "Added KR4.1" in add_kr(cycle_id, "O4", "Partner-sourced deals").output
    assert run("generate", cycle_id).exit_code == 0
    new = [i for i in items(client, board_id) if i["id"] not in before]
    texts = {i["text"] for i in new}
    assert {"O4 · Make partners sell for us", "KR4.1 · Partner-sourced deals"} <= texts
    for item in new:
        for other in before.values():
            if item["type"] == other["type"] == "card":
                assert not overlap(item["box"], other["box"]), (item["text"], other["text"])
    synced = run("sync", cycle_id)
    assert synced.exit_code == 0, synced.output
    o4 = show(cycle_id)["objectives"][3]
    assert (o4["title"], o4["type"], o4["owner"]) == ("Make partners sell for us", "inspirational", "Ana")
    assert o4["changes"][0]["action"] == "added" and o4["changes"][0]["reason"] == "partner push"


def test_a_sixth_objective_is_refused_by_the_method(cli_env):
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    for n in (4, 5):
        assert (
            run("objective", "add", cycle_id, "--title", f"Goal {'ABCDE'[n - 1]}", "--type", "learning").exit_code == 0
        )
    sixth = run("objective", "add", cycle_id, "--title", "Goal F", "--type", "learning")
    assert sixth.exit_code == 1 and "M2" in sixth.output and "already has 5 objectives" in sixth.output
    assert len(show(cycle_id)["objectives"]) == 5


def test_a_title_with_a_number_is_taken_with_the_m3_warning(cli_env):
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    result = run("objective", "update", cycle_id, "O1", "--title", "Sign 5 banks")
    assert result.exit_code == 0 and "M3" in result.output
    assert show(cycle_id)["objectives"][0]["title"] == "Sign 5 banks"
    assert "changes" not in show(cycle_id)["objectives"][0]  # drafting is free and not logged


def test_a_late_change_of_meaning_is_refused_unless_forced(board):
    cycle_id, _, _ = board
    late = run(
        "objective", "update", cycle_id, "O3", "--type", "commitment", "--reason", "sure now", "--on", "2027-03-01"
    )
    assert late.exit_code == 1 and "M9" in late.output and "first half" in late.output
    owner = run("objective", "update", cycle_id, "O3", "--owner", "Eva", "--reason", "handover", "--on", "2027-03-01")
    assert owner.exit_code == 0, owner.output  # who owns it is not what it means
    forced = run(
        "objective", "update", cycle_id, "O3", "--type", "commitment", "--reason", "sure now", "--on", "2027-03-01",
        "--force",
    )  # fmt: skip
    assert forced.exit_code == 0, forced.output
    shown = show(cycle_id)
    changes = shown["objectives"][2]["changes"]
    assert [(c["reason"], c["forced"]) for c in changes] == [("handover", False), ("sure now", True)]
    [flag] = [f for f in shown["findings"] if f["rule"] == "M9"]
    assert (
        flag["ref"] == "O3" and "Objective updated on 2027-03-01 after mid-cycle (forced): sure now" in flag["message"]
    )


@pytest.mark.parametrize(
    "args, code, message",
    [
        (
            ["update", "O9", "--title", "x", "--reason", "r"],
            1,
            "O9: no such objective in GTM Q1 2027 (it has O1, O2, O3)",
        ),
        (
            ["update", "KR1.1", "--title", "x", "--reason", "r"],
            2,
            "'KR1.1' is not an objective's ref; write it like O2",
        ),
        (["update", "O1", "--title", "   ", "--reason", "r"], 2, "'--title': give 1 to 200 characters (got 0)"),
        (["update", "O1", "--title", "x" * 201, "--reason", "r"], 2, "'--title': give 1 to 200 characters (got 201)"),
        (["update", "O1", "--owner", " ", "--reason", "r"], 2, "'--owner': give 1 to 200 characters"),
        (["update", "O1", "--type", "stretch", "--reason", "r"], 2, "Invalid value for '--type'"),
        (["update", "O1", "--reason", "r"], 2, "say what changes"),
        (["update", "O1", "--title", "Clearer"], 1, "--reason: GTM Q1 2027 is tracking"),
        (["add", "--title", "x", "--type", "learning", "--reason", "r"], 1, "M4"),
        (["add", *NEW_OBJECTIVE, "--aligned-to", "O1", "--reason", "r"], 1, "--aligned-to: GTM Q1 2027 is not a team"),
        (["add", "--type", "learning", "--reason", "r"], 2, "Missing option '--title'"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(cli_env, args, code, message):
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    set_status(cli_env, cycle_id, CycleStatus.TRACKING)
    before = show(cycle_id)
    result = run("objective", args[0], cycle_id, *args[1:], "--on", IN_FIRST_HALF)
    assert result.exit_code == code and message in result.output, result.output
    assert show(cycle_id) == before


def test_a_team_objective_aligns_only_to_an_objective_of_its_company_cycle(cli_env):
    run("cycle", "import", str(EXAMPLES / "company-q1.yaml"))
    team = run("cycle", "import", str(EXAMPLES / "team-sales-q1.yaml")).stdout.strip()
    wrong = run("objective", "add", team, *NEW_OBJECTIVE, "--aligned-to", "O7")
    assert wrong.exit_code == 1 and "--aligned-to: O7 is not an objective of GTM Q1 2027 (it has O1, O2, O3)" in (
        wrong.output
    )
    right = run("objective", "add", team, *NEW_OBJECTIVE, "--aligned-to", "o2")
    assert right.exit_code == 0, right.output
    assert show(team)["objectives"][-1]["aligned_to"] == "O2"


def test_a_closed_cycle_refuses_objective_changes(cli_env):
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    set_status(cli_env, cycle_id, CycleStatus.CLOSED)
    for args in (["add", *NEW_OBJECTIVE, "--reason", "r"], ["update", "O1", "--title", "New", "--reason", "r"]):
        result = run("objective", args[0], cycle_id, *args[1:])
        assert result.exit_code == 1 and "read-only" in result.output, result.output
    closed = run("kr", "remove", cycle_id, "KR1.1", "--reason", "r")
    assert closed.exit_code == 1 and "read-only" in closed.output
