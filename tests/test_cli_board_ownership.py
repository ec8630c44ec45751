"""A board belongs to one cycle of one store: generate and sync refuse anything else, and say why."""

import pytest

from miro_client import MiroClient
from tests.cli_kit import EXAMPLES, company_board, run


def shown(cycle_id):
    return run("cycle", "show", cycle_id, "--format", "json").output


@pytest.fixture
def client(cli_env, miro, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    return MiroClient(miro.token, base_url=miro.base_url)


@pytest.fixture
def generated(client, miro, monkeypatch):
    """The company plan imported and generated; returns (cycle id, board id)."""
    return company_board(miro, monkeypatch, track=False)


def test_generating_a_cycle_onto_another_cycles_board_is_refused(generated, miro):
    cycle_id, board_id = generated
    other = run("cycle", "import", str(EXAMPLES / "team-sales-q1.yaml")).stdout.strip()
    items, before = len(miro.state.boards[board_id].items), shown(other)
    result = run("generate", other, "--board", board_id)
    assert result.exit_code == 1
    assert f"Board {board_id} is the board of cycle {cycle_id}" in result.output and "--board new" in result.output
    assert len(miro.state.boards[board_id].items) == items and shown(other) == before
    assert "has no board yet" in run("sync", other).output  # nothing recorded for the other cycle
    assert run("sync", cycle_id).exit_code == 0


def test_a_board_that_lost_its_marker_is_not_synced(generated, client, miro):
    """Miro forgot the board (an emulator restarted without its state) and a new board got the same id."""
    cycle_id, board_id = generated
    assert run("sync", cycle_id).exit_code == 0
    before = shown(cycle_id)
    miro.state.clear_boards()
    miro.state.board_counter = 0
    stranger = client.create_board(name="Someone else's board")
    assert stranger["id"] == board_id
    client.create_sticky_note(board_id, data={"content": "Retrospective"}, position={"x": 0, "y": 0})
    result = run("sync", cycle_id)
    assert result.exit_code == 1
    assert "does not carry the marker of cycle" in result.output and "Nothing was read or written" in result.output
    assert shown(cycle_id) == before
    assert "does not carry the marker" in run("generate", cycle_id).output  # nor resumed onto


def test_sync_refuses_a_board_whose_marker_names_another_cycle(generated, client):
    cycle_id, board_id = generated
    before = shown(cycle_id)
    client.update_board(board_id, description="okrboard:local:99:0123abcd")
    result = run("sync", cycle_id)
    assert result.exit_code == 1 and "belongs to cycle 99" in result.output and shown(cycle_id) == before


def test_a_board_of_another_store_is_refused(generated, cli_env, monkeypatch):
    _, board_id = generated
    monkeypatch.setenv("OKRBOARD_INSTANCE_PATH", str(cli_env / "another-store"))
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    result = run("generate", cycle_id, "--board", board_id)
    assert result.exit_code == 1 and "in another store" in result.output


def test_an_unowned_board_is_claimed_with_the_cycles_marker(client, miro):
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    board_id = client.create_board(name="Workshop", description="Our Q1 workshop")["id"]
    result = run("generate", cycle_id, "--board", board_id)
    assert result.exit_code == 0, result.output
    description = miro.state.boards[board_id].description
    assert description.startswith("Our Q1 workshop okrboard:local:" + cycle_id + ":")
    assert run("sync", cycle_id).exit_code == 0


def test_a_language_that_cannot_apply_says_why_and_changes_nothing(generated, miro):
    cycle_id, board_id = generated
    items, before = len(miro.state.boards[board_id].items), shown(cycle_id)
    result = run("generate", cycle_id, "--lang", "fr")
    assert result.exit_code == 1
    assert "is in English" in result.output and f"okrboard generate {cycle_id} --board new --lang fr" in result.output
    assert len(miro.state.boards[board_id].items) == items and shown(cycle_id) == before


def test_moving_a_cycle_to_a_new_board_says_the_old_one_is_no_longer_synced(generated, miro):
    cycle_id, board_id = generated
    result = run("generate", cycle_id, "--board", "new", "--lang", "fr")
    assert result.exit_code == 0, result.output
    [new_id] = [b for b in miro.state.boards if b != board_id]
    assert f"now syncs with board {new_id}" in result.output
    said = " ".join(result.output.split())
    assert f"previous board {board_id} stays on Miro as it is and is no longer synced" in said
    assert run("sync", cycle_id, "--format", "json").output.count(new_id) == 1
