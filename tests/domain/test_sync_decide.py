"""Sync decisions on an in-memory board: what the team does becomes the store's truth, and back."""

from datetime import date, timedelta

import pytest

from addon.domain.method.model import CycleStatus, KeyResult, KRKind, KRStatus, ObjectiveType, Quadrant
from addon.domain.method.scoring import kr_score
from addon.domain.sync.merge import BOARD_WINS, NEWER_WINS
from tests.domain.test_sync_fake import FakeBoard, quiet, sample_cycle


@pytest.fixture
def board():
    fake = FakeBoard(sample_cycle())
    fake.sync()
    return fake


@pytest.fixture
def tracked():
    cycle = sample_cycle()
    cycle.status = CycleStatus.TRACKING
    for _, kr in cycle.key_results_by_ref().values():
        kr.status = KRStatus.NOT_STARTED
    fake = FakeBoard(cycle)
    fake.sync()
    return fake


def changes(decision, field=None):
    return {(c.ref, c.field): c.new for c in decision.changes if field in (None, c.field)}


def test_a_card_dragged_into_a_kanban_column_takes_that_status(tracked):
    tracked.move_to_area("card:KR1.2", "kanban:column:done")
    decision = tracked.sync()
    assert changes(decision) == {("KR1.2", "status"): "done"}
    assert tracked.kr("KR1.2").status is KRStatus.DONE
    assert decision.patches == []


def test_a_card_back_in_its_objective_frame_is_a_draft_again(tracked):
    tracked.move_to_area("card:KR2.1", "frame:O2")
    tracked.sync()
    assert tracked.kr("KR2.1").status is KRStatus.DRAFT


def test_a_card_dropped_outside_every_area_changes_nothing_and_is_reported(tracked):
    tracked.move("card:KR1.1", -50_000, -50_000)
    decision = tracked.sync()
    assert decision.changes == [] and tracked.kr("KR1.1").status is KRStatus.NOT_STARTED
    assert [(f.ref, f.kind) for f in decision.findings] == [("KR1.1", "unplaced")]


def test_a_card_in_another_objectives_frame_is_unplaced(tracked):
    tracked.move_to_area("card:KR1.1", "frame:O2")
    decision = tracked.sync()
    assert decision.changes == [] and decision.findings[0].kind == "unplaced"


def test_a_value_typed_on_a_card_becomes_the_current_value_and_the_line_is_normalised(board):
    board.type_line("KR1.1", "Current: 4")
    decision = board.sync()
    assert changes(decision) == {("KR1.1", "current"): 4.0}
    assert kr_score(board.kr("KR1.1")) == pytest.approx(0.8)
    assert board.description("KR1.1") == "Target: 5 partners · Current: 4 · Score: 0.80"
    assert quiet(board.sync())


@pytest.mark.parametrize("typed, score", [("Score: 0.7", 0.7), ("Score: 70%", 0.7), ("Score: 65 %", 0.65)])
def test_a_score_typed_on_a_card_becomes_a_manual_score(board, typed, score):
    board.type_line("KR1.2", f"Target: 5 partners · Current: ? · {typed}")
    board.sync()
    assert board.kr("KR1.2").manual_score == pytest.approx(score)
    assert board.description("KR1.2").endswith(f"Score: {score:.2f} (manual)")
    assert quiet(board.sync())


def test_french_numbers_are_read_on_a_french_board():
    board = FakeBoard(sample_cycle(), language="fr")
    board.sync()
    board.type_line("KR1.1", "Cible : 5 partners · Actuel : 3,5 · Score : ?")
    board.sync()
    assert board.kr("KR1.1").current == 3.5
    assert "Actuel : 3,5 · Score : 0,70" in board.description("KR1.1")


@pytest.mark.parametrize("typed", ["Score: abc", "Score: 1.7", "Current: -"])
def test_bad_text_leaves_the_store_unchanged_and_is_reported_with_the_cards_ref(board, typed):
    board.kr("KR1.1").current = 2.0
    before = (board.kr("KR1.1").current, board.kr("KR1.1").manual_score)
    board.sync()
    board.type_line("KR1.1", f"Target: 5 · {typed}")
    decision = board.sync()
    assert (board.kr("KR1.1").current, board.kr("KR1.1").manual_score) == before
    assert [(f.ref, f.kind) for f in decision.findings] == [("KR1.1", "bad_text")]
    assert typed.split(":")[1].strip() in decision.findings[0].message
    assert "⚠" in board.description("KR1.1")  # the card says what was not read
    assert quiet(board.sync())


def test_a_store_change_patches_the_card_and_our_write_never_comes_back(board):
    board.kr("KR2.1").current = 3.0
    board.store_edit("kr", board.kr("KR2.1").id, "current")
    decision = board.sync()
    assert decision.changes == [] and [p.ref for p in decision.patches] == ["KR2.1"]
    assert "Current: 3" in board.description("KR2.1")
    assert quiet(board.sync())


def test_a_store_status_change_moves_the_card_into_its_column(tracked):
    tracked.kr("KR1.1").status = KRStatus.AT_RISK
    decision = tracked.sync()
    patch = decision.patches[0]
    assert patch.position is not None and patch.parent_id == tracked.id("frame:kanban")
    assert quiet(tracked.sync())
    tracked.move("card:KR1.1", *_centre(tracked, "card:KR1.1"))  # touched, not moved: still at risk
    assert quiet(tracked.sync())


def _centre(board, key):
    raw, frame = board.item(key), board.item(board.item(key)["parent"]["id"])
    left = frame["position"]["x"] - frame["geometry"]["width"] / 2
    top = frame["position"]["y"] - frame["geometry"]["height"] / 2
    return left + raw["position"]["x"], top + raw["position"]["y"]


def test_the_same_edit_on_both_sides_is_no_conflict(board):
    board.type_line("KR1.1", "Current: 2")
    board.kr("KR1.1").current = 2.0
    decision = board.sync()
    assert decision.conflicts == []


def test_a_value_edited_on_both_sides_goes_to_the_newer_edit_and_is_recorded(board):
    board.type_line("KR1.1", "Current: 2")  # the board edit, at the board's clock
    board.kr("KR1.1").current = 3.0
    board.store_edit("kr", board.kr("KR1.1").id, "current", at=board.now() + timedelta(minutes=5))
    decision = board.sync()
    assert board.kr("KR1.1").current == 3.0
    [conflict] = decision.conflicts
    assert (conflict.ref, conflict.field, conflict.board, conflict.store) == ("KR1.1", "current", 2.0, 3.0)
    assert (conflict.resolution, conflict.rule) == ("store", NEWER_WINS)
    assert "Current: 3" in board.description("KR1.1")


def test_the_board_edit_wins_when_it_is_newer(board):
    board.kr("KR1.1").current = 3.0
    board.store_edit("kr", board.kr("KR1.1").id, "current", at=board.now() - timedelta(minutes=5))
    board.type_line("KR1.1", "Current: 2")
    decision = board.sync()
    assert board.kr("KR1.1").current == 2.0 and decision.conflicts[0].resolution == "board"


def test_the_board_wins_a_column_conflict(tracked):
    tracked.move_to_area("card:KR1.1", "kanban:column:in_progress")
    tracked.kr("KR1.1").status = KRStatus.DONE
    tracked.store_edit("kr", tracked.kr("KR1.1").id, "status", at=tracked.now() + timedelta(hours=1))
    decision = tracked.sync()
    assert tracked.kr("KR1.1").status is KRStatus.IN_PROGRESS
    assert [(c.field, c.resolution, c.rule) for c in decision.conflicts] == [("status", "board", BOARD_WINS)]


def test_a_sticky_dropped_top_left_in_a_matrix_is_a_quick_win_of_that_key_result(board):
    plot = board.plan.area("matrix:KR1.2:plot")
    board.add("sticky_note", plot.x0 + 20, plot.y0 + 20, "Webinar with a bank")
    decision = board.sync()
    [capture] = decision.captures
    idea = board.kr("KR1.2").ideas[0]
    assert (capture.kind, capture.ref, idea.text) == ("idea", "KR1.2", "Webinar with a bank")
    assert idea.impact > 8 and idea.effort < 2 and idea.quadrant is Quadrant.QUICK_WIN
    assert f"idea:KR1.2:{idea.id}" in board.entries
    assert quiet(board.sync())


def test_an_idea_moved_within_its_matrix_changes_impact_and_effort(board):
    plot = board.plan.area("matrix:KR1.1:plot")
    sticky = board.add("sticky_note", plot.x0 + 20, plot.y0 + 20, "Webinar")
    board.sync()
    board.move(sticky, plot.x1 - 10, plot.y1 - 10)
    decision = board.sync()
    assert board.kr("KR1.1").ideas[0].quadrant is Quadrant.MONEY_PIT
    assert {c.field for c in decision.changes} == {"impact", "effort"}


def test_an_idea_dragged_into_another_matrix_moves_to_that_key_result(board):
    plot = board.plan.area("matrix:KR1.1:plot")
    sticky = board.add("sticky_note", plot.x0 + 20, plot.y0 + 20, "Webinar")
    board.sync()
    other = board.plan.area("matrix:KR2.2:plot")
    board.move(sticky, other.x0 + 30, other.y1 - 30)
    board.sync()
    assert board.kr("KR1.1").ideas == [] and [i.text for i in board.kr("KR2.2").ideas] == ["Webinar"]
    assert quiet(board.sync())


def test_a_card_added_in_an_objective_frame_becomes_a_draft_key_result(board):
    frame = board.plan.area("frame:O2")
    item = board.add("card", (frame.x0 + frame.x1) / 2, frame.y1 - 60, "Partnership with a bank")
    decision = board.sync()
    [capture] = decision.captures
    objective = board.cycle.objectives[1]
    assert capture.ref == "KR2.3" and objective.key_results[-1].title == "Partnership with a bank"
    assert objective.key_results[-1].status is KRStatus.DRAFT
    assert board.entries["card:KR2.3"].miro_item_id == item
    assert board.item(item)["data"]["title"].startswith("KR2.3 · ")  # the card is normalised
    assert quiet(board.sync())


def test_a_key_result_added_late_in_a_tracked_cycle_is_refused_and_reported(tracked):
    tracked.cycle.start -= timedelta(days=60)
    frame = tracked.plan.area("frame:O1")
    tracked.add("sticky_note", (frame.x0 + frame.x1) / 2, frame.y1 - 60, "Late idea")
    decision = tracked.sync()
    assert decision.captures == [] and decision.findings[0].kind == "deferred"
    assert "M9" not in decision.findings[0].message or "first half" in decision.findings[0].message


def test_a_sticky_in_the_retrospective_becomes_a_note_of_that_section(board):
    area = board.plan.area("retro:learned")
    board.add("sticky_note", (area.x0 + area.x1) / 2, (area.y0 + area.y1) / 2, "Banks buy slowly")
    board.sync()
    assert [(n.section, n.text) for n in board.cycle.retro] == [("learned", "Banks buy slowly")]
    assert quiet(board.sync())


def test_a_sticky_anywhere_else_is_ignored(board):
    header = board.plan.item("frame:header")
    board.add("sticky_note", header.x, header.y, "Lunch at noon")
    assert quiet(board.sync())


def test_a_confirmed_deletion_marks_the_item_missing_and_keeps_the_key_result(board):
    item = board.id("card:KR2.2")
    board.delete("card:KR2.2")
    decision = board.sync(gone={item})
    assert [(m.key, m.ref) for m in decision.missing] == [("card:KR2.2", "KR2.2")]
    assert board.entries["card:KR2.2"].state == "missing" and board.kr("KR2.2").title == "Result 2.2"


def test_an_unconfirmed_absence_is_no_deletion(board):
    board.delete("card:KR2.2")
    decision = board.sync()
    assert decision.missing == [] and board.entries["card:KR2.2"].state == "created"


def test_a_key_result_deleted_in_the_store_leaves_its_card_alone(board):
    del board.cycle.objectives[1].key_results[0]
    decision = board.sync()
    assert board.entries["card:KR2.1"].state == "detached"
    assert [f.kind for f in decision.findings] == ["detached"]
    # KR2.2 became KR2.1 in the store; its card still follows it by id
    board.type_line("KR2.2", "Current: 1")
    board.sync()
    assert board.cycle.objectives[1].key_results[0].current == 1.0


def test_a_title_edited_on_the_card_renames_the_key_result(board):
    board.edit("card:KR1.1", title="KR1.1 · Signed partners &amp; pilots")
    board.sync()
    assert board.kr("KR1.1").title == "Signed partners & pilots"


def test_a_milestone_card_reads_yes_and_no(board):
    board.type_line("KR1.3", "Target: yes · Current: yes · Score: 0.00")
    decision = board.sync()
    assert changes(decision) == {("KR1.3", "current"): 1.0}  # a milestone's target is not a field
    assert board.kr("KR1.3").current == 1.0 and kr_score(board.kr("KR1.3")) == 1.0
    assert quiet(board.sync())


def test_an_assignee_set_on_the_card_becomes_the_owner(board):
    board.members = {"42": "Chloé Chevalier"}
    board.edit("card:KR1.1", assigneeId="42")
    board.sync()
    assert board.kr("KR1.1").owner == "Chloé Chevalier"
    assert quiet(board.sync())


def test_an_owner_changed_in_the_store_assigns_the_card_to_that_member(board):
    board.members = {"42": "Chloé Chevalier"}
    board.kr("KR1.1").owner = "Chloé"
    decision = board.sync()
    assert decision.patches[0].data == {"assigneeId": "42"}
    assert quiet(board.sync())


def test_workshop_placeholders_overwritten_by_the_team_become_objectives_and_key_results():
    cycle = sample_cycle()
    cycle.objectives = []
    board = FakeBoard(cycle)
    board.sync()
    board.edit("objective:O1", title="Win DACH fintechs", description="<p>Type: commitment · Owner: Ana</p>")
    board.edit("card:KR1.2", title="Signed design partners", description="<p>Target: 5 · Current: ? · Score: ?</p>")
    board.edit("objective:O3", title="Learn our channel")  # O2 is still a placeholder
    decision = board.sync()
    [objective] = board.cycle.objectives
    assert (objective.title, objective.type, objective.owner) == ("Win DACH fintechs", ObjectiveType.COMMITMENT, "Ana")
    assert [(kr.title, kr.target) for kr in objective.key_results] == [("Signed design partners", 5.0)]
    assert board.entries["card:KR1.2"].entity == "KR1.1" and board.entries["card:KR1.2"].role == "kr_card"
    assert [f.kind for f in decision.findings] == ["deferred"]
    board.edit("objective:O2", title="Win trust")
    board.sync()
    assert [o.title for o in board.cycle.objectives] == ["Win DACH fintechs", "Win trust", "Learn our channel"]
    assert quiet(board.sync())


def test_an_objective_card_edited_on_the_board_updates_the_objective(board):
    board.edit("objective:O2", title="O2 · Win the trust of banks", description="<p>Learning</p><p>Owner: Dev</p>")
    board.sync()
    objective = board.cycle.objectives[1]
    assert (objective.title, objective.type, objective.owner) == (
        "Win the trust of banks",
        ObjectiveType.LEARNING,
        "Dev",
    )
    assert quiet(board.sync())


def maintain_board(language="en"):
    cycle = sample_cycle()
    cycle.objectives[1].key_results[0] = KeyResult(
        "API uptime", kind=KRKind.MAINTAIN, at_least=99.5, unit="%", current=99.7, owner="Dev", due=date(2027, 3, 15)
    )
    fake = FakeBoard(cycle, language=language)
    fake.sync()
    return fake


def test_a_maintain_card_reads_its_threshold_and_stays_quiet():
    board = maintain_board()
    assert board.description("KR2.1") == "Keep ≥ 99.5% · Current: 99.7% · Score: 1.00"
    assert quiet(board.sync())


@pytest.mark.parametrize(
    "typed, at_least, at_most, line",
    [
        ("Keep ≥ 99%", 99.0, None, "Keep ≥ 99%"),
        ("Keep <= 0.5%", None, 0.5, "Keep ≤ 0.5%"),
        ("keep between 99 and 99.9", 99.0, 99.9, "Keep between 99 and 99.9%"),
    ],
)
def test_a_threshold_edited_on_a_maintain_card_goes_to_the_store(typed, at_least, at_most, line):
    board = maintain_board()
    board.type_line("KR2.1", f"{typed} · Current: 99.7% · Score: 1.00")
    decision = board.sync()
    kr = board.kr("KR2.1")
    assert (kr.at_least, kr.at_most) == (at_least, at_most)
    assert ("KR2.1", "at_least") in changes(decision) or ("KR2.1", "at_most") in changes(decision)
    assert board.description("KR2.1").startswith(line + " · ")
    assert quiet(board.sync())


def test_a_french_threshold_is_read_with_french_numbers():
    board = maintain_board("fr")
    board.type_line("KR2.1", "Garder entre 99,5 et 99,9 % · Actuel : 99,7 % · Score : 1,00")
    board.sync()
    assert (board.kr("KR2.1").at_least, board.kr("KR2.1").at_most) == (99.5, 99.9)


def test_an_unreadable_threshold_keeps_the_stored_one_and_says_so():
    board = maintain_board()
    board.type_line("KR2.1", "Keep high · Current: 99.7% · Score: 1.00")
    decision = board.sync()
    assert (board.kr("KR2.1").at_least, board.kr("KR2.1").at_most) == (99.5, None)
    assert [(f.ref, f.kind) for f in decision.findings] == [("KR2.1", "bad_text")]
    assert "is not a threshold" in decision.findings[0].message
    assert "⚠" in board.description("KR2.1")
    assert quiet(board.sync())
