"""Sync end to end on the emulator: a team works on the board, the store follows, and the other way round."""

import math
import threading
import time

import pytest

from addon.adapters.locks import SyncBusy, board_lease
from addon.adapters.orm import KeyResultRow
from addon.domain.board.card_text import plain_text
from addon.domain.method.model import KRStatus, Quadrant
from addon.domain.method.scoring import kr_score
from addon.services.kr_update import update_key_result
from addon.services.sync_board import SyncRefused, cycle_conflicts, sync_cycle
from tests.services.sync_kit import TENANT, FailingPages, Team, generated_board


def cycle_of(store, board):
    with store.unit(TENANT) as uow:
        return uow.cycles.get(board.cycle_id)


def kr(store, board, ref):
    return cycle_of(store, board).key_results_by_ref()[ref][1]


def sync(store, board, gateway):
    return sync_cycle(store, TENANT, str(board.cycle_id), gateway)


def card_line(team, ref):
    return plain_text(team.item(f"card:{ref}")["data"]["description"])


@pytest.fixture
def tracked(store, gateway):
    return generated_board(store, gateway)


def test_what_the_team_does_on_the_board_becomes_the_store(store, gateway, miro, tracked):
    """The issue's 'done when': a card to Done, `Current: 4` on 0-to-5, a sticky top-left, `Score: abc`."""
    first = sync(store, tracked, gateway)
    assert first.quiet and first.usage["writes"] == 0
    team = Team(miro, tracked)
    team.move_card_to_column("KR1.2", "done")
    team.edit_description("KR1.1", "Target: 5 partners · Current: 4 · Score: 0.00")
    team.sticky_in_matrix("KR1.1", "Webinar with a bank", impact=9, effort=1)
    team.edit_description("KR2.1", "Target: yes · Current: no · Score: abc")

    result = sync(store, tracked, gateway)

    assert kr(store, tracked, "KR1.2").status is KRStatus.DONE
    signed = kr(store, tracked, "KR1.1")
    assert signed.current == 4 and round(kr_score(signed), 2) == 0.8
    [idea] = signed.ideas
    assert idea.text == "Webinar with a bank" and idea.impact >= 8 and idea.effort <= 2
    assert idea.quadrant is Quadrant.QUICK_WIN
    assert kr(store, tracked, "KR2.1").manual_score is None
    [finding] = [f for f in result.findings if f["kind"] == "bad_text"]
    assert finding["ref"] == "KR2.1" and "abc" in finding["message"]
    assert [m["ref"] for m in result.moves] == ["KR1.2"]
    assert [n["kind"] for n in result.new_items] == ["idea"]
    assert card_line(team, "KR1.1") == "Target: 5 partners · Current: 4 · Score: 0.00"  # someone may be typing
    assert result.patches == []

    miro.set_clock_offset(601)  # ten minutes later by Miro's clock, and nobody touched those cards
    later = sync(store, tracked, gateway)
    assert sorted((p["ref"], p["reason"]) for p in later.patches) == [("KR1.1", "normalise"), ("KR2.1", "normalise")]
    assert card_line(team, "KR1.1") == "Target: 5 partners · Current: 4 · Score: 0.80"
    assert later.moves == later.values == later.conflicts == []

    again = sync(store, tracked, gateway)
    assert again.quiet and again.findings == []
    assert again.usage["writes"] == 0 and again.usage["requests"] == math.ceil(again.items / 50) + 1


def test_a_quiet_sync_lists_each_page_once_and_writes_nothing(store, gateway, tracked):
    sync(store, tracked, gateway)
    result = sync(store, tracked, gateway)
    assert result.quiet and result.usage == {
        "requests": math.ceil(result.items / 50) + 1,
        "credits": result.usage["credits"],
        "list_calls": math.ceil(result.items / 50),
        "reads": 1,  # the board itself, for its ownership marker
        "writes": 0,
        "reads_before_writes": 0,
        "skipped_writes": 0,
    }


def test_a_value_changed_in_the_store_is_written_to_the_card_once(store, gateway, miro, tracked):
    sync(store, tracked, gateway)
    update_key_result(
        store, TENANT, str(tracked.cycle_id), "KR1.2", current="22", score="70%", comment="Two demos a week"
    )
    result = sync(store, tracked, gateway)
    assert [p["ref"] for p in result.patches] == ["KR1.2"] and result.usage["writes"] == 1
    assert (
        card_line(Team(miro, tracked), "KR1.2") == "Start: 4 demos · Target: 40 demos · Current: 22 · "
        "Score: 0.70 (manual)"
    )
    assert sync(store, tracked, gateway).quiet  # our own write does not come back as an edit


def test_an_edit_on_both_sides_is_resolved_by_the_newer_one_and_recorded(store, gateway, miro, tracked):
    sync(store, tracked, gateway)
    team = Team(miro, tracked)
    team.edit_description("KR1.1", "Target: 5 · Current: 2")
    time.sleep(0.01)
    update_key_result(store, TENANT, str(tracked.cycle_id), "KR1.1", current="3")
    # No skew window: the newer edit wins however close the two are (test_sync_clocks.py has the window).
    result = sync_cycle(store, TENANT, str(tracked.cycle_id), gateway, clock_skew=0)
    [conflict] = result.conflicts
    assert (conflict["ref"], conflict["field"], conflict["resolution"]) == ("KR1.1", "current", "store")
    assert (conflict["board_value"], conflict["store_value"]) == (2.0, 3.0)
    assert kr(store, tracked, "KR1.1").current == 3 and "Current: 3" in card_line(team, "KR1.1")
    recorded = cycle_conflicts(store, TENANT, tracked.cycle_id)
    assert [(c["ref"], c["field"], c["resolution"]) for c in recorded] == [("KR1.1", "current", "store")]
    assert sync(store, tracked, gateway).quiet


def test_a_deleted_card_is_marked_missing_and_its_key_result_stays(store, gateway, miro, tracked):
    sync(store, tracked, gateway)
    Team(miro, tracked).delete("card:KR3.2")
    result = sync(store, tracked, gateway)
    assert [(m["key"], m["ref"]) for m in result.missing] == [("card:KR3.2", "KR3.2")]
    assert result.usage["reads"] == 2  # the board's marker, and the absence confirmed with a GET
    assert kr(store, tracked, "KR3.2").title == "Buyer interviews"
    with store.unit(TENANT) as uow:
        entries = uow.boards.entries(uow.boards.latest_board(tracked.cycle_id).id)
    assert entries["card:KR3.2"].state == "missing"
    assert sync(store, tracked, gateway).quiet


def test_an_incomplete_listing_changes_nothing_and_infers_no_deletion(store, gateway, miro, tracked):
    sync(store, tracked, gateway)
    team = Team(miro, tracked)
    team.delete("card:KR1.3")
    team.move_card_to_column("KR2.2", "at_risk")
    result = sync_cycle(store, TENANT, str(tracked.cycle_id), FailingPages(gateway, pages=2))
    assert not result.complete and result.missing == [] and result.moves == [] and result.patches == []
    assert result.findings[0]["kind"] == "incomplete"
    assert kr(store, tracked, "KR2.2").status is KRStatus.NOT_STARTED
    complete = sync(store, tracked, gateway)
    assert [m["ref"] for m in complete.missing] == ["KR1.3"] and [m["ref"] for m in complete.moves] == ["KR2.2"]


def test_a_sync_of_a_board_being_synced_is_refused_clearly(store, gateway, tracked):
    with board_lease(store.engine, tracked.board_id, holder="another-worker"):
        with pytest.raises(SyncBusy, match="another-worker"):
            sync(store, tracked, gateway)
    assert sync(store, tracked, gateway).complete


def test_a_cycle_without_a_board_cannot_be_synced(store, gateway):
    from addon.adapters.plan_file import load_plan
    from tests.services.sync_kit import EXAMPLES

    with store.unit(TENANT) as uow:
        cycle = uow.cycles.add(load_plan(EXAMPLES / "company-q1.yaml").cycle)
    with pytest.raises(SyncRefused, match="generate"):
        sync_cycle(store, TENANT, str(cycle.id), gateway)


def test_a_move_during_our_write_is_not_taken_for_ours(store, gateway, miro, tracked):
    sync(store, tracked, gateway)
    team = Team(miro, tracked)
    update_key_result(store, TENANT, str(tracked.cycle_id), "KR1.1", current="1")
    real = gateway.client.update_card

    def racing(board_id, item_id, **fields):
        team.move_card_to_column("KR1.1", "in_progress")  # the team drags the card just before our PATCH
        return real(board_id, item_id, **fields)

    gateway.client.update_card = racing
    sync(store, tracked, gateway)
    gateway.client.update_card = real
    result = sync(store, tracked, gateway)
    assert [(m["ref"], m["new"]) for m in result.moves] == [("KR1.1", "in_progress")]


def test_stickies_in_the_retrospective_become_notes(store, gateway, miro, tracked):
    Team(miro, tracked).sticky_in_area("retro:worked", "frame:retro", "Weekly demos kept us honest")
    result = sync(store, tracked, gateway)
    assert [n["kind"] for n in result.new_items] == ["retro_note"]
    assert [(n.section, n.text) for n in cycle_of(store, tracked).retro] == [("worked", "Weekly demos kept us honest")]
    assert sync(store, tracked, gateway).quiet


def test_a_workshop_board_fills_the_store(store, gateway, miro):
    board = generated_board(store, gateway, track=False, blank=True)
    team = Team(miro, board)
    team.edit_title("objective:O1", "Win DACH fintechs", "Type: commitment · Owner: Ana")
    team.edit_title("card:KR1.1", "Signed design partners", "Target: 5 · Current: ? · Score: ?")
    team.sticky_in_area("frame:O1", "frame:O1", "Demos booked", item_type="card")
    result = sync(store, board, gateway)
    cycle = cycle_of(store, board)
    assert [o.title for o in cycle.objectives] == ["Win DACH fintechs"]
    assert [(k.title, k.target, k.status) for k in cycle.objectives[0].key_results] == [
        ("Signed design partners", 5.0, KRStatus.DRAFT),
        ("Demos booked", None, KRStatus.DRAFT),
    ]
    assert {n["kind"] for n in result.new_items} == {"objective", "key_result"}
    assert sync(store, board, gateway).quiet


def test_kr_update_keeps_a_comment_for_the_next_check_in(store, tracked):
    update_key_result(store, TENANT, str(tracked.cycle_id), "kr1.1", comment="Two pilots signed")
    with store.unit(TENANT) as uow:
        rows = uow.session.query(KeyResultRow).filter(KeyResultRow.comment.isnot(None)).all()
    assert [r.comment for r in rows] == ["Two pilots signed"]


def test_two_syncs_at_once_one_runs_and_the_other_is_told_so(store, gateway, miro, tracked):
    sync(store, tracked, gateway)
    update_key_result(store, TENANT, str(tracked.cycle_id), "KR1.1", current="2")
    started = threading.Barrier(2)

    class Slow:
        def __getattr__(self, name):
            return getattr(gateway, name)

        def iter_items(self, board_id, **kwargs):
            started.wait(timeout=10)  # both syncs are past their start before either lists
            time.sleep(0.2)
            return gateway.iter_items(board_id, **kwargs)

    outcomes = []

    def one():
        try:
            outcomes.append(sync_cycle(store, TENANT, str(tracked.cycle_id), Slow()))
        except SyncBusy as busy:
            outcomes.append(busy)
            started.wait(timeout=10)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = [o for o in outcomes if not isinstance(o, SyncBusy)]
    assert len(done) == 1 and len(outcomes) == 2
    assert [p["ref"] for p in done[0].patches] == ["KR1.1"]
    assert sync(store, tracked, gateway).quiet


def test_a_due_date_and_title_changed_on_the_card_reach_the_store(store, gateway, miro, tracked):
    sync(store, tracked, gateway)
    team = Team(miro, tracked)
    team.client.update_card(
        tracked.board_id,
        tracked.ids["card:KR2.2"],
        data={"dueDate": "2027-03-20T00:00:00.000Z", "title": "KR2.2 · Compliance leads who joined"},
    )
    result = sync(store, tracked, gateway)
    changed = kr(store, tracked, "KR2.2")
    assert changed.due.isoformat() == "2027-03-20" and changed.title == "Compliance leads who joined"
    assert {v["field"] for v in result.values} == {"due", "title"}
    assert sync(store, tracked, gateway).quiet
