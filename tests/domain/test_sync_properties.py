"""Properties of sync decisions over random edit sequences on the in-memory board (fast; many examples).

After any mix of board and store edits, one sync converges: the next decision is quiet, cards show the store's
values and sit in the store's column (unless the team left them outside every area), and an edit made on both
sides is always recorded as a conflict.
"""

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from addon.adapters.miro_gateway import listed_item
from addon.domain.method.model import CycleStatus, KRStatus
from addon.domain.sync.meaning import listing_items, read_card, status_at
from addon.domain.sync.merge import kr_fields
from tests.domain.test_sync_fake import FakeBoard, quiet, sample_cycle

REFS = ["KR1.1", "KR1.2", "KR2.1", "KR2.2"]
COLUMNS = ["not_started", "in_progress", "at_risk", "done"]

board_move = st.tuples(st.just("move"), st.sampled_from(REFS), st.sampled_from(COLUMNS + ["outside"]))
board_current = st.tuples(st.just("current"), st.sampled_from(REFS), st.integers(0, 9))
board_score = st.tuples(st.just("score"), st.sampled_from(REFS), st.sampled_from(["0.3", "0,45", "80%", "abc"]))
store_current = st.tuples(st.just("store_current"), st.sampled_from(REFS), st.integers(0, 9))
store_status = st.tuples(st.just("store_status"), st.sampled_from(REFS), st.sampled_from(COLUMNS))
EDITS = st.lists(st.one_of(board_move, board_current, board_score, store_current, store_status), max_size=12)


def tracked_board() -> FakeBoard:
    cycle = sample_cycle()
    cycle.status = CycleStatus.TRACKING
    for _, kr in cycle.key_results_by_ref().values():
        kr.status = KRStatus.NOT_STARTED
    board = FakeBoard(cycle)
    board.sync()
    return board


def apply(board: FakeBoard, edit) -> None:
    kind, ref, value = edit
    if kind == "move" and value == "outside":
        board.move(f"card:{ref}", -80_000, -80_000)
    elif kind == "move":
        board.move_to_area(f"card:{ref}", f"kanban:column:{value}")
    elif kind == "current":
        board.type_line(ref, f"Current: {value}")
    elif kind == "score":
        board.type_line(ref, f"Score: {value}")
    else:
        kr = board.kr(ref)
        field = "current" if kind == "store_current" else "status"
        setattr(kr, field, float(value) if field == "current" else KRStatus(value))
        board.store_edit("kr", kr.id, field, at=board.now() + timedelta(milliseconds=500))


@settings(max_examples=150, deadline=None)
@given(rounds=st.lists(EDITS, min_size=1, max_size=4))
def test_any_edits_converge_in_one_sync_and_both_sides_agree(rounds):
    board = tracked_board()
    for edits in rounds:
        for edit in edits:
            apply(board, edit)
        board.sync()
        assert quiet(board.decide())
        items = listing_items(listed_item(raw) for raw in board.items.values())
        for ref in REFS:
            kr, card = board.kr(ref), items[board.id(f"card:{ref}")]
            reading, shown = read_card(card.data), kr_fields(kr, "en")
            assert (reading.values.get("current"), reading.values.get("score")) == (shown["current"], shown["score"])
            status = status_at(board.plan.areas, card.x, card.y, f"O{ref[2]}")
            assert status is None or status is kr.status


@settings(max_examples=100, deadline=None)
@given(ref=st.sampled_from(REFS), board_value=st.integers(0, 9), store_value=st.integers(0, 9))
def test_a_field_edited_on_both_sides_is_applied_once_or_recorded(ref, board_value, store_value):
    board = tracked_board()
    board.type_line(ref, f"Current: {board_value}")
    apply(board, ("store_current", ref, store_value))
    decision = board.sync()
    if board_value == store_value:
        assert decision.conflicts == []
    else:
        [conflict] = decision.conflicts
        winner = board_value if conflict.resolution == "board" else store_value
        assert board.kr(ref).current == winner
    assert quiet(board.decide())
