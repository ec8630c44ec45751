"""Check-ins: sync first, snapshot every key result, fill the board's log; six at most, only while tracking."""

from datetime import date

import pytest

from addon.domain.board.card_text import plain_text
from addon.domain.method.model import KRStatus
from addon.services.checkin import CheckinRefused, record_checkin
from addon.services.kr_update import update_key_result
from tests.services.sync_kit import TENANT, Team, generated_board


def test_a_checkin_snapshots_what_the_team_did_on_the_board(sqlite_store, gateway, miro):
    board = generated_board(sqlite_store, gateway)
    team = Team(miro, board)
    team.move_card_to_column("KR1.1", "done")
    team.edit_description("KR1.1", "Target: 5 partners · Current: 4 · Score: ?")
    update_key_result(sqlite_store, TENANT, str(board.cycle_id), "KR1.2", confidence="70%", comment="two demos slipped")

    result = record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 1, 18))

    snapshots = {s.ref: s for s in result.snapshots}
    assert result.number == 1 and not result.late
    assert snapshots["KR1.1"].status is KRStatus.DONE and snapshots["KR1.1"].value == 4
    assert snapshots["KR1.1"].score == pytest.approx(0.8)
    assert snapshots["KR1.2"].confidence == pytest.approx(0.7) and snapshots["KR1.2"].comment == "two demos slipped"
    assert result.log_cells == 9
    cell = miro.state.boards[board.board_id].items[board.ids["log:cell:KR1.1:1"]]
    assert plain_text(cell.data["content"]) == "0.80"
    with sqlite_store.unit(TENANT) as uow:
        stored = uow.cycles.get(board.cycle_id)
    assert [c.number for c in stored.checkins] == [1]


def test_a_comment_belongs_to_one_checkin_only(sqlite_store, gateway):
    board = generated_board(sqlite_store, gateway)
    update_key_result(sqlite_store, TENANT, str(board.cycle_id), "KR1.2", comment="first")
    record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 1, 18))
    second = record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 2, 2))
    assert second.number == 2 and {s.comment for s in second.snapshots} == {""}


def test_a_checkin_after_its_date_is_marked_late(sqlite_store, gateway):
    board = generated_board(sqlite_store, gateway)
    result = record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 1, 25))
    assert result.late and result.due == date(2027, 1, 18)


def test_checkins_are_refused_before_tracking_and_after_the_sixth(sqlite_store, gateway):
    draft = generated_board(sqlite_store, gateway, track=False)
    with pytest.raises(CheckinRefused, match="okrboard track"):
        record_checkin(sqlite_store, TENANT, str(draft.cycle_id), gateway, on=date(2027, 1, 18))
    board = generated_board(sqlite_store, gateway)
    for day in (18, 19, 20, 21, 22, 23):
        record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 1, day), sync=False)
    with pytest.raises(CheckinRefused, match="All 6 check-ins"):
        record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 1, 24), sync=False)


def test_a_recorded_checkin_is_not_changed_by_later_edits(sqlite_store, gateway, miro):
    board = generated_board(sqlite_store, gateway)
    record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 1, 18))
    update_key_result(sqlite_store, TENANT, str(board.cycle_id), "KR1.1", current="5")
    with sqlite_store.unit(TENANT) as uow:
        first = uow.cycles.get(board.cycle_id).checkins[0]
    assert {s.ref: s.value for s in first.snapshots}["KR1.1"] is None


def test_a_log_miro_could_not_write_is_written_by_the_next_checkin(sqlite_store, gateway, monkeypatch):
    from miro_client import MiroConnectionError

    board = generated_board(sqlite_store, gateway)

    def unreachable(*args, **kwargs):
        raise MiroConnectionError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(gateway.client, "update_shape", unreachable)  # the gateway says: Miro unavailable
        first = record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 1, 18), sync=False)
    assert first.number == 1 and first.log_cells == 0 and "connection refused" in first.log_error
    second = record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 2, 2), sync=False)
    assert second.log_cells == 18 and second.log_error is None  # both columns: the missed one caught up
    third = record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 2, 16), sync=False)
    assert third.log_cells == 9  # only the new column: cells already showing their score are not rewritten


def test_a_checkin_keeps_a_picture_of_the_board_as_it_stood(sqlite_store, gateway):
    board = generated_board(sqlite_store, gateway)
    record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 1, 18), sync=False)
    record_checkin(sqlite_store, TENANT, str(board.cycle_id), gateway, on=date(2027, 2, 2), sync=False)
    with sqlite_store.unit(TENANT) as uow:
        pictures = uow.boards.pictures(board.cycle_id)
    assert sorted(pictures) == [1, 2]
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000 for png in pictures.values())
