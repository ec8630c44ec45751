"""Start tracking: refused with the blocking findings, else every key-result card moves into Not started."""

from pathlib import Path

import pytest

from addon.adapters.plan_file import load_plan
from addon.domain.method.model import CycleStatus, KRStatus
from addon.services.generation.generator import BoardGenerator
from addon.services.track import TrackingRefused, start_tracking

EXAMPLES = Path(__file__).parent.parent.parent / "examples"


def generated(store, gateway, mutate=None):
    cycle = load_plan(EXAMPLES / "company-q1.yaml").cycle
    if mutate:
        mutate(cycle)
    with store.unit("t1") as uow:
        uow.cycles.add(cycle)
    summary = BoardGenerator(store, "t1", gateway).run(str(cycle.id))
    return cycle, summary


def absolute_centre(miro, board_id, item):
    board = miro.state.boards[board_id]
    x, y = item.x, item.y
    if item.parent_id:
        frame = board.items[item.parent_id]
        x, y = frame.x - frame.width / 2 + x, frame.y - frame.height / 2 + y
    return x, y


def test_tracking_moves_every_key_result_card_into_not_started(sqlite_store, gateway, miro):
    cycle, summary = generated(sqlite_store, gateway)
    result = start_tracking(sqlite_store, "t1", str(cycle.id), gateway)
    assert result.moved == 9
    with sqlite_store.unit("t1") as uow:
        tracked = uow.cycles.get(cycle.id)
        entries = uow.boards.entries(uow.boards.latest_board(cycle.id).id)
    assert tracked.status is CycleStatus.TRACKING
    assert {kr.status for _, kr in tracked.key_results_by_ref().values()} == {KRStatus.NOT_STARTED}
    kanban_id = entries["frame:kanban"].miro_item_id
    board = miro.state.boards[summary.board_id]
    for key, entry in entries.items():
        if entry.role == "kr_card":
            assert board.items[entry.miro_item_id].parent_id == kanban_id, key


def test_tracking_twice_moves_nothing_more(sqlite_store, gateway):
    cycle, _ = generated(sqlite_store, gateway)
    start_tracking(sqlite_store, "t1", str(cycle.id), gateway)
    assert start_tracking(sqlite_store, "t1", str(cycle.id), gateway).moved == 0


def test_tracking_is_refused_with_the_findings_when_a_key_result_has_no_owner(sqlite_store, gateway, miro):
    def no_owner(cycle):
        cycle.objectives[1].key_results[2].owner = None

    cycle, summary = generated(sqlite_store, gateway, no_owner)
    before = miro.state.boards[summary.board_id].items.copy()
    with pytest.raises(TrackingRefused) as refused:
        start_tracking(sqlite_store, "t1", str(cycle.id), gateway)
    assert [(f.rule, f.ref) for f in refused.value.findings] == [("M7", "KR2.3")]
    assert miro.state.boards[summary.board_id].items.keys() == before.keys()
    with sqlite_store.unit("t1") as uow:
        assert uow.cycles.get(cycle.id).status is CycleStatus.DRAFT


def test_tracking_without_a_board_says_to_generate_first(sqlite_store, gateway):
    cycle = load_plan(EXAMPLES / "company-q1.yaml").cycle
    with sqlite_store.unit("t1") as uow:
        uow.cycles.add(cycle)
    with pytest.raises(TrackingRefused, match="generate"):
        start_tracking(sqlite_store, "t1", str(cycle.id), gateway)


def test_a_key_result_the_team_wrote_on_a_sticky_is_tracked_too(sqlite_store, gateway, miro):
    from datetime import date

    from addon.services.kr_changes import replace_in_cycle
    from addon.services.sync_board import sync_cycle
    from tests.services.sync_kit import TENANT, Team, generated_board

    board = generated_board(sqlite_store, gateway, track=False)
    sticky = Team(miro, board).sticky_in_area("frame:O1", "frame:O1", "Partner webinars held")
    sync_cycle(sqlite_store, TENANT, str(board.cycle_id), gateway)
    replace_in_cycle(
        sqlite_store,
        TENANT,
        str(board.cycle_id),
        "KR1.4",
        {"target": 4.0, "owner": "Ben", "due": date(2027, 3, 20)},
        on=date(2027, 1, 5),
        reason="workshop",
    )

    result = start_tracking(sqlite_store, TENANT, str(board.cycle_id), gateway)

    assert result.moved == 10
    kanban_id = board.ids["frame:kanban"]
    assert miro.state.boards[board.board_id].items[sticky["id"]].parent_id == kanban_id
    after = sync_cycle(sqlite_store, TENANT, str(board.cycle_id), gateway)
    assert not after.moves and not after.findings
    with sqlite_store.unit(TENANT) as uow:
        assert uow.cycles.get(board.cycle_id).key_results_by_ref()["KR1.4"][1].status is KRStatus.NOT_STARTED
