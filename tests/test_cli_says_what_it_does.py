"""Commands say what they did or why not: track run twice, render into a missing folder, a huge sticky text."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from addon.cli import main
from board_picture.text import MAX_TEXT_CHARS
from miro_client import MiroClient
from tests.cli_kit import company_board, run


@pytest.fixture
def client(cli_env, miro, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    return MiroClient(miro.token, base_url=miro.base_url)


@pytest.fixture
def generated(client, miro, monkeypatch):
    """The company plan imported and generated; returns (cycle id, board id)."""
    return company_board(miro, monkeypatch, track=False)


def board_items(miro, board_id):
    return {i.id: (i.x, i.y, i.parent_id, i.modified_at) for i in miro.state.boards[board_id].items.values()}


def test_track_on_a_tracking_cycle_says_so_and_changes_nothing(generated, miro):
    cycle_id, board_id = generated
    assert "9 key-result cards moved" in run("track", cycle_id).output
    shown = run("cycle", "show", cycle_id, "--format", "json").output
    items = board_items(miro, board_id)
    again = run("track", cycle_id)
    assert again.exit_code == 0, again.output
    assert "already tracking" in again.output and "nothing changed" in again.output
    assert "Tracking started" not in again.output
    assert run("cycle", "show", cycle_id, "--format", "json").output == shown
    assert board_items(miro, board_id) == items


def test_render_into_a_missing_folder_names_out_and_lists_nothing(generated, miro):
    _, board_id = generated
    result = CliRunner().invoke(main, ["board", "render", board_id, "--out", "missing/dir/board.png"])
    assert result.exit_code == 2, result.output
    assert "--out" in result.output and "missing/dir" in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output and not Path("missing").exists()


def test_render_cuts_a_huge_sticky_text_and_says_so(generated, client, cli_env):
    _, board_id = generated
    client.create_sticky_note(board_id, data={"content": "growth " * 500_000}, position={"x": 0, "y": 0})
    picture = cli_env / "board.svg"
    result = run("board", "render", board_id, "--out", str(picture))
    assert result.exit_code == 0, result.output
    assert f"longer than {MAX_TEXT_CHARS:,} characters" in result.output and "1 item(s)" in result.output
    drawn = picture.read_text(encoding="utf-8")
    assert "growth" in drawn and drawn.count("growth") < MAX_TEXT_CHARS // len("growth ") + 1
