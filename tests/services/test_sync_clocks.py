"""Two clocks: Miro's (its items' modifiedAt, its Date header) and ours (the store's edit times). Each "did it
change" question uses one clock; only a conflict compares them, and within the skew window the board wins. Miro's
clock is skewed both ways with the emulator's clock offset, set before the board is generated."""

from __future__ import annotations

import pytest

from addon.adapters.miro_gateway import MiroGateway
from addon.domain.board.card_text import plain_text
from addon.services.kr_update import update_key_result
from addon.services.sync_board import cycle_conflicts, sync_cycle
from miro_client import MiroClient
from miro_emulator.config import EmulatorConfig
from miro_emulator.testing import EmulatorServer
from tests.services.sync_kit import TENANT, Team, generated_board


@pytest.fixture
def skewed(request, store):
    """(store, gateway, emulator, board) with Miro's clock `request.param` seconds off ours from the start."""
    with EmulatorServer(EmulatorConfig(clock_offset=request.param)) as miro:
        gateway = MiroGateway(MiroClient(miro.token, base_url=miro.base_url, sleep=lambda _s: None))
        board = generated_board(store, gateway)
        sync_cycle(store, TENANT, str(board.cycle_id), gateway)
        team = Team(miro, board)
        yield store, gateway, team, board
        team.close()


def edit_both_sides(skewed):
    """The team types Current: 2 on KR1.1's card; a moment later someone sets it to 3 in the store."""
    store, gateway, team, board = skewed
    team.edit_description("KR1.1", "Target: 5 partners · Current: 2")
    update_key_result(store, TENANT, str(board.cycle_id), "KR1.1", current="3")
    result = sync_cycle(store, TENANT, str(board.cycle_id), gateway)
    with store.unit(TENANT) as uow:
        stored = uow.cycles.get(board.cycle_id).key_results_by_ref()["KR1.1"][1].current
    [conflict] = result.conflicts
    return conflict, stored, plain_text(team.item("card:KR1.1")["data"]["description"])


@pytest.mark.parametrize("skewed", [90, -90, 300], indirect=True)
def test_within_the_skew_window_or_with_miro_ahead_a_conflict_goes_to_the_board(skewed):
    conflict, stored, card = edit_both_sides(skewed)
    assert (conflict["resolution"], conflict["board_value"], conflict["store_value"]) == ("board", 2.0, 3.0)
    assert stored == 2 and "Current: 2" in card
    store, _, _, board = skewed
    assert cycle_conflicts(store, TENANT, board.cycle_id)[0]["store_value"] == 3.0  # the losing value is kept


@pytest.mark.parametrize("skewed", [-300], indirect=True)
def test_a_store_edit_newer_beyond_the_window_wins_and_the_boards_value_is_kept(skewed):
    conflict, stored, card = edit_both_sides(skewed)  # Miro 5 minutes behind: the store's edit reads 5 min newer
    assert (conflict["resolution"], conflict["board_value"], conflict["store_value"]) == ("store", 2.0, 3.0)
    assert stored == 3 and "Current: 3" in card
    store, _, _, board = skewed
    assert cycle_conflicts(store, TENANT, board.cycle_id)[0]["board_value"] == 2.0


@pytest.mark.parametrize("skewed", [3600, -3600], indirect=True)
def test_whether_a_card_was_left_alone_is_told_by_miros_clock_alone(skewed):
    store, gateway, team, board = skewed
    team.edit_description("KR1.1", "Target: 5 partners · Current: 2")  # just typed, whatever our clock says
    result = sync_cycle(store, TENANT, str(board.cycle_id), gateway)
    assert result.patches == [] and [v["new"] for v in result.values] == [2.0]
    assert plain_text(team.item("card:KR1.1")["data"]["description"]) == "Target: 5 partners · Current: 2"
