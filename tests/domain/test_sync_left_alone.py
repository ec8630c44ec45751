"""Sync decisions about time: a card's line is normalised only once the card has been left alone ten minutes by
Miro's clock, and a value conflict goes to the store only when its edit is newer beyond the clock skew window."""

from datetime import timedelta

import pytest

from addon.domain.sync.context import OWES
from addon.domain.sync.merge import NEWER_WINS, merge
from tests.domain.test_sync_fake import EPOCH, FakeBoard, iso, quiet, sample_cycle


@pytest.fixture
def board():
    fake = FakeBoard(sample_cycle(), left_alone_for=timedelta(seconds=5))  # a sync right after the typing
    fake.sync()
    return fake


def test_a_line_just_typed_is_read_but_left_as_typed(board):
    board.type_line("KR1.1", "Current: 4")
    decision = board.sync()
    assert [(c.ref, c.field, c.new) for c in decision.changes] == [("KR1.1", "current", 4.0)]
    assert decision.patches == [] and decision.owed == {"card:KR1.1"}
    assert board.description("KR1.1") == "Current: 4" and board.entries["card:KR1.1"].synced[OWES]


def test_a_card_left_as_typed_is_normalised_once_left_alone_ten_minutes(board):
    board.type_line("KR1.1", "Current: 4")
    board.sync()
    waiting = board.sync()  # read again (it owes normalising), nothing new on either side
    assert waiting.changes == waiting.patches == waiting.conflicts == [] and waiting.owed == {"card:KR1.1"}
    board.left_alone_for = timedelta(minutes=10)
    done = board.sync()
    assert [(p.ref, p.reason) for p in done.patches] == [("KR1.1", "normalise")] and done.changes == []
    assert board.description("KR1.1") == "Target: 5 partners · Current: 4 · Score: 0.80"
    assert OWES not in board.entries["card:KR1.1"].synced and quiet(board.sync())


def test_a_score_the_card_showed_is_not_taken_for_a_typed_one_while_the_line_waits(board):
    board.type_line("KR1.1", "Target: 5 partners · Current: 4 · Score: 0.00")
    board.sync()
    board.left_alone_for = timedelta(minutes=10)
    board.sync()
    assert board.kr("KR1.1").manual_score is None and board.description("KR1.1").endswith("Score: 0.80")


def test_a_store_change_is_written_at_once_even_to_a_card_just_typed_on(board):
    board.type_line("KR1.1", "Current: 4")
    board.kr("KR1.2").current = 2.0
    decision = board.sync()
    assert [(p.ref, p.reason) for p in decision.patches] == [("KR1.2", "store")]


def test_without_miros_clock_no_card_counts_as_left_alone(board):
    board.type_line("KR1.1", "Current: 4")
    board.left_alone_for = None  # the listing carried no Date header
    assert board.sync().patches == []


def test_the_base_kept_for_a_skipped_patch_is_the_card_as_listed(board):
    board.type_line("KR1.1", "Target: 5 partners · Current: 1")
    board.kr("KR1.1").title = "Signed partners"
    decision = board.decide()
    listed = decision.settled["card:KR1.1"].listed
    assert listed["current"] == 1.0 and listed["title"] == "Result 1.1"  # the board's side, not the store's


@pytest.mark.parametrize(
    "store_later, winner",
    [(0, "board"), (119, "board"), (120, "board"), (121, "store"), (-600, "board"), (None, "board")],
)
def test_a_value_conflict_goes_to_the_store_only_beyond_the_skew_window(store_later, winner):
    store_time = None if store_later is None else (EPOCH + timedelta(seconds=store_later)).isoformat()
    merged = merge(1.0, 2.0, 3.0, rule=NEWER_WINS, board_time=iso(EPOCH), store_time=store_time, skew=120)
    assert merged.conflict == (winner, NEWER_WINS)
    assert merged.value == (2.0 if winner == "board" else 3.0)
