"""Sync never overwrites a teammate's edit: each PATCH is preceded by a read of its item, a card changed after the
listing is left to the next sync, and a card's line is normalised only once it has been left alone.

On SQLite and PostgreSQL (the `store` fixture), against the emulator, whose scripted edits land between the
listing and the sync's next request, as a teammate typing at that moment would.
"""

from __future__ import annotations

from addon.domain.board.card_text import plain_text
from addon.services.kr_update import update_key_result
from addon.services.sync_board import cycle_conflicts, sync_cycle
from tests.services.sync_kit import TENANT, Team, generated_board

TYPED = "Start: 4 demos · Target: 40 demos · Current: 9"


def sync(store, board, gateway):
    return sync_cycle(store, TENANT, str(board.cycle_id), gateway)


def kr(store, board, ref):
    with store.unit(TENANT) as uow:
        return uow.cycles.get(board.cycle_id).key_results_by_ref()[ref][1]


def card_line(team, ref):
    return plain_text(team.item(f"card:{ref}")["data"]["description"])


def our_requests(miro):
    return miro.item_requests(miro.emulator.default_user_id)


def test_a_teammates_edit_between_our_listing_and_our_patch_ends_on_the_board_and_in_the_store(store, gateway, miro):
    """The issue's 'done when': the store has a change for KR1.2's card; Ben types on that card after our listing."""
    board = generated_board(store, gateway)
    sync(store, board, gateway)
    team = Team(miro, board)
    update_key_result(store, TENANT, str(board.cycle_id), "KR1.2", current="22")
    miro.edit_between(lambda: team.edit_description("KR1.2", TYPED))

    raced = sync(store, board, gateway)

    assert [s["ref"] for s in raced.skipped] == ["KR1.2"] and raced.patches == []
    assert raced.usage["reads_before_writes"] == 1 and raced.usage["skipped_writes"] == 1
    assert card_line(team, "KR1.2") == TYPED  # not overwritten
    merged = sync(store, board, gateway)
    assert kr(store, board, "KR1.2").current == 9  # the newer edit, Ben's, wins the conflict
    [conflict] = merged.conflicts
    assert (conflict["field"], conflict["board_value"], conflict["store_value"]) == ("current", 9.0, 22.0)
    assert cycle_conflicts(store, TENANT, board.cycle_id)[0]["store_value"] == 22.0  # the losing value is kept
    assert card_line(team, "KR1.2") == TYPED
    assert sync(store, board, gateway).quiet


def test_a_store_change_left_by_a_skipped_patch_is_written_by_the_next_sync(store, gateway, miro):
    board = generated_board(store, gateway)
    sync(store, board, gateway)
    team = Team(miro, board)
    update_key_result(store, TENANT, str(board.cycle_id), "KR1.2", current="22")
    miro.edit_between(lambda: team.edit_title("card:KR1.2", "KR1.2 · Demos booked with buyers"))

    assert [s["ref"] for s in sync(store, board, gateway).skipped] == ["KR1.2"]
    merged = sync(store, board, gateway)

    assert merged.conflicts == [] and [p["key"] for p in merged.patches if p["reason"] == "store"] == ["card:KR1.2"]
    assert kr(store, board, "KR1.2").title == "Demos booked with buyers" and kr(store, board, "KR1.2").current == 22
    assert "Current: 22" in card_line(team, "KR1.2")
    assert plain_text(team.item("card:KR1.2")["data"]["title"]) == "KR1.2 · Demos booked with buyers"
    assert sync(store, board, gateway).quiet


def test_every_patch_of_a_sync_is_preceded_by_a_read_of_that_item(store, gateway, miro):
    board = generated_board(store, gateway)
    sync(store, board, gateway)
    for ref, value in (("KR1.1", "2"), ("KR1.2", "30"), ("KR2.1", "1")):
        update_key_result(store, TENANT, str(board.cycle_id), ref, current=value)
    miro.reset(state=False)

    result = sync(store, board, gateway)

    assert len(result.patches) == 3 and result.usage["reads_before_writes"] == 3
    requests = our_requests(miro)
    patched = [item for method, item in requests if method == "PATCH"]
    assert len(patched) == 3
    for index, (method, item) in enumerate(requests):
        if method == "PATCH":
            assert requests[index - 1] == ("GET", item)
    stats = miro.emulator.item_log.by_user()[miro.emulator.default_user_id]
    assert all(stats[item] == {"GET": 1, "PATCH": 1} for item in patched)


def test_a_card_being_typed_on_is_not_rewritten_until_it_is_left_alone(store, gateway, miro):
    board = generated_board(store, gateway)
    sync(store, board, gateway)
    team = Team(miro, board)
    team.edit_description("KR1.1", "Target: 5 partners · Current: 3")

    typing = sync(store, board, gateway)
    assert kr(store, board, "KR1.1").current == 3 and typing.patches == []
    assert card_line(team, "KR1.1") == "Target: 5 partners · Current: 3"
    assert sync(store, board, gateway).patches == []  # still recent: still left as typed

    miro.set_clock_offset(599)
    assert sync(store, board, gateway).patches == []
    miro.set_clock_offset(601)
    later = sync(store, board, gateway)
    assert [(p["ref"], p["reason"]) for p in later.patches] == [("KR1.1", "normalise")]
    assert card_line(team, "KR1.1") == "Target: 5 partners · Current: 3 · Score: 0.60"
    assert later.values == [] and kr(store, board, "KR1.1").current == 3
    assert sync(store, board, gateway).quiet


def test_a_real_change_normalises_the_line_at_once(store, gateway, miro):
    board = generated_board(store, gateway)
    sync(store, board, gateway)
    team = Team(miro, board)
    team.edit_description("KR1.1", "Target: 5 partners · Current: 3")
    sync(store, board, gateway)
    update_key_result(store, TENANT, str(board.cycle_id), "KR1.1", score="0.5")
    result = sync(store, board, gateway)
    assert [(p["ref"], p["reason"]) for p in result.patches] == [("KR1.1", "store")]
    assert card_line(team, "KR1.1") == "Target: 5 partners · Current: 3 · Score: 0.50 (manual)"
    assert sync(store, board, gateway).quiet
