"""The three-way merge of one field, and the fields key results are compared on."""

from datetime import date

import pytest

from addon.domain.method.model import KeyResult, KRKind
from addon.domain.sync.merge import BOARD_WINS, NEWER_WINS, card_text_for, kr_fields, merge, same

EARLY, LATE = "2027-01-10T09:00:00.000Z", "2027-01-10T10:00:00+00:00"


def test_nothing_changed_keeps_the_value():
    assert merge(1.0, 1.0, 1.0, rule=NEWER_WINS) == merge(1.0, 1.0, 1.0, rule=BOARD_WINS)
    outcome = merge(1.0, 1.0, 1.0, rule=NEWER_WINS)
    assert (outcome.value, outcome.to_store, outcome.to_board, outcome.conflict) == (1.0, False, False, None)


def test_only_the_board_changed_goes_to_the_store():
    outcome = merge(1.0, 2.0, 1.0, rule=NEWER_WINS)
    assert (outcome.value, outcome.to_store, outcome.to_board) == (2.0, True, False)


def test_only_the_store_changed_goes_to_the_board():
    outcome = merge(1.0, 1.0, 3.0, rule=NEWER_WINS)
    assert (outcome.value, outcome.to_store, outcome.to_board) == (3.0, False, True)


def test_both_changed_alike_converge_without_conflict():
    outcome = merge(None, 2.0, 2.0000000001, rule=NEWER_WINS)
    assert outcome.conflict is None and not outcome.to_store and not outcome.to_board


def test_position_conflicts_go_to_the_board_whatever_the_times():
    outcome = merge("not_started", "done", "at_risk", rule=BOARD_WINS, board_time=EARLY, store_time=LATE)
    assert (outcome.value, outcome.to_store, outcome.conflict) == ("done", True, ("board", BOARD_WINS))


@pytest.mark.parametrize(
    "board_time, store_time, winner",
    [
        (EARLY, LATE, "store"),
        (LATE, EARLY, "board"),
        (EARLY, "2027-01-10T09:00:00+00:00", "board"),
        (EARLY, None, "board"),
        (None, LATE, "board"),
        ("garbage", LATE, "board"),
    ],
)
def test_value_conflicts_go_to_the_newer_edit_ties_and_unknowns_to_the_board(board_time, store_time, winner):
    outcome = merge(1.0, 2.0, 3.0, rule=NEWER_WINS, board_time=board_time, store_time=store_time)
    assert outcome.conflict == (winner, NEWER_WINS)
    assert outcome.value == (2.0 if winner == "board" else 3.0)
    assert (outcome.to_store, outcome.to_board) == ((True, False) if winner == "board" else (False, True))


def test_same_is_tolerant_for_floats_only():
    assert same(0.1 + 0.2, 0.3) and not same("0.3", 0.3) and same(None, None) and not same(0, None)


def test_a_milestone_has_no_target_field_and_shows_yes_or_no():
    kr = KeyResult("Security review", kind=KRKind.MILESTONE, current=0.5)
    fields = kr_fields(kr, "en")
    assert fields["target"] is None and fields["current"] == 0.0  # 0.5 reads "no" on the card


def test_a_manual_score_is_shown_as_such():
    kr = KeyResult("Demos", target=40, current=10, manual_score=0.7)
    fields = kr_fields(kr, "en")
    assert (fields["score"], fields["manual"]) == (0.7, 0.7)
    assert kr_fields(KeyResult("Demos", target=40, current=10), "en")["manual"] is None


def test_the_card_text_carries_a_note_for_what_was_not_read():
    kr = KeyResult("Demos", target=40, current=10, due=date(2027, 3, 31))
    text = card_text_for("KR1.2", kr, "en", {"score": "Score: 'abc' is not a number."})
    data = text.data()
    assert data["title"] == "KR1.2 · Demos" and data["dueDate"] == "2027-03-31T12:00:00.000Z"
    assert "⚠ Score 'abc' is not a number." in data["description"]
