"""`okrboard board render` of a huge board stops at the documented cap and says how many items it left out."""

import pytest

from addon.domain.board.items import ListedItem
from addon.services.ports import BoardUnavailable
from board_picture import cap
from tests.cli_kit import company_board, run

HUGE = 200_000


class HugeBoard:
    """A fake gateway listing 200,000 sticky notes lazily, counting how many it was asked for."""

    def __init__(self, count_fails=False):
        self.listed = 0
        self.count_fails = count_fails

    def iter_items(self, board_id):
        for n in range(HUGE):
            self.listed += 1
            yield ListedItem(str(n), "sticky_note", {"content": f"<p>note {n}</p>"}, {}, (n % 400) * 250.0,
                             (n // 400) * 250.0, 199.0)  # fmt: skip

    def count_items(self, board_id):
        if self.count_fails:
            raise BoardUnavailable("Miro did not answer as expected: 503")
        return HUGE


@pytest.fixture
def huge(cli_env, monkeypatch):
    monkeypatch.setattr(cap, "MAX_ITEMS", 40)  # the same code path as 5,000, drawn in a blink
    board = HugeBoard()
    monkeypatch.setattr("addon.cli.board.gateway_for", lambda app: board)
    return board


def test_a_huge_board_is_drawn_up_to_the_cap_and_the_rest_is_counted_not_listed(huge, cli_env):
    out = cli_env / "huge.svg"
    result = run("board", "render", "b1", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "more than 40 items, the most a picture draws: 40 drawn, 199,960 left out" in result.output
    assert huge.listed == 41  # one past the cap tells the board is larger; the other 199,959 are never listed
    svg = out.read_text(encoding="utf-8")
    assert "Partial picture: 40 items drawn, 199,960 left out" in svg and "note 39" in svg and "note 40" not in svg


def test_when_miro_cannot_count_the_rest_the_message_still_says_the_picture_is_partial(huge, cli_env):
    huge.count_fails = True
    result = run("board", "render", "b1", "--out", str(cli_env / "huge.png"))
    assert result.exit_code == 0 and "40 drawn, the rest left out" in result.output, result.output


def test_on_the_emulator_the_left_out_count_comes_from_miros_total(cli_env, miro, monkeypatch):
    _cycle_id, board_id = company_board(miro, monkeypatch, track=False)
    total = len(miro.state.boards[board_id].items)
    monkeypatch.setattr(cap, "MAX_ITEMS", 100)
    result = run("board", "render", board_id, "--out", str(cli_env / "board.svg"))
    assert result.exit_code == 0, result.output
    assert f"100 drawn, {total - 100} left out" in result.output
