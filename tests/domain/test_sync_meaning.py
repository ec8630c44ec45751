"""What items mean: columns, frames and quadrants (edges included), card text in English and French."""

from dataclasses import replace

import pytest

from addon.adapters.board_layouts import load_layout
from addon.adapters.miro_gateway import listed_item
from addon.domain.board.layout import plan_board
from addon.domain.method.model import KRStatus, Quadrant, quadrant_for
from addon.domain.sync.meaning import (
    annotation,
    board_areas,
    idea_at,
    listing_items,
    meaning_at,
    objective_words,
    read_card,
    read_objective_card,
    status_at,
    without_annotations,
)
from tests.domain.test_sync_fake import sample_cycle

TEMPLATE = load_layout()


def listed(raws):
    """Place items given in Miro's JSON, as sync does with a listing."""
    return listing_items([listed_item(raw) for raw in raws])


@pytest.fixture(scope="module")
def plan():
    return plan_board(sample_cycle(), TEMPLATE)


@pytest.fixture(scope="module")
def areas(plan):
    return plan.areas


def column(plan, status):
    return plan.area(f"kanban:column:{status}")


@pytest.mark.parametrize("status", ["not_started", "in_progress", "at_risk", "done"])
def test_a_point_in_a_column_means_its_status_edges_included(plan, areas, status):
    area = column(plan, status)
    for x, y in ((area.x0, area.y0), (area.x1, area.y1), ((area.x0 + area.x1) / 2, (area.y0 + area.y1) / 2)):
        assert status_at(areas, x, y, "O1") is KRStatus(status)


def test_the_gap_between_two_columns_means_nothing(plan, areas):
    left, right = column(plan, "not_started"), column(plan, "in_progress")
    assert status_at(areas, (left.x1 + right.x0) / 2, left.y0 + 100, "O1") is None


def test_a_card_in_its_own_objective_frame_is_a_draft_elsewhere_unplaced(plan, areas):
    frame = plan.area("frame:O1")
    middle = ((frame.x0 + frame.x1) / 2, (frame.y0 + frame.y1) / 2)
    assert status_at(areas, *middle, "O1") is KRStatus.DRAFT
    assert status_at(areas, *middle, "O2") is None
    assert status_at(areas, frame.x0 - 1, frame.y0, "O1") is None
    assert status_at(areas, None, None, "O1") is None


@pytest.mark.parametrize(
    "fx, fy, quadrant",
    [
        (0.0, 0.0, Quadrant.QUICK_WIN),
        (1.0, 0.0, Quadrant.BIG_BET),
        (0.0, 1.0, Quadrant.FILL_IN),
        (1.0, 1.0, Quadrant.MONEY_PIT),
        (0.5, 0.5, Quadrant.BIG_BET),
        (0.49, 0.5, Quadrant.QUICK_WIN),
        (0.5, 0.51, Quadrant.MONEY_PIT),
    ],
)
def test_a_sticky_in_a_matrix_reads_impact_effort_and_quadrant(plan, areas, fx, fy, quadrant):
    plot = plan.area("matrix:KR1.2:plot")
    ref, impact, effort = idea_at(areas, plot.x0 + fx * (plot.x1 - plot.x0), plot.y0 + fy * (plot.y1 - plot.y0))
    assert ref == "KR1.2" and 0 <= impact <= 10 and 0 <= effort <= 10
    assert quadrant_for(impact, effort) is quadrant


def test_a_sticky_in_a_matrix_margin_is_clamped_to_the_scale(plan, areas):
    frame = plan.area("matrix:KR1.1")
    assert idea_at(areas, frame.x0 + 1, frame.y0 + 1) == ("KR1.1", 10.0, 0.0)
    assert idea_at(areas, frame.x0 - 1, frame.y0 - 1) is None


def test_a_point_in_a_retro_section_means_that_section(plan, areas):
    area = plan.area("retro:carry_over")
    assert meaning_at(areas, area.x0 + 5, area.y1 - 5, "retro_section") == "carry_over"


def test_children_are_placed_from_their_frame_s_top_left():
    items = listed(
        [
            {"id": "f", "type": "frame", "position": {"x": 1000, "y": 500}, "geometry": {"width": 400, "height": 200}},
            {
                "id": "c",
                "type": "card",
                "position": {"x": 50, "y": 20},
                "parent": {"id": "f"},
                "geometry": {"width": 100, "height": 40},
            },
            {"id": "o", "type": "card", "position": {"x": 5, "y": 6}, "parent": {"id": "unlisted"}},
        ]
    )
    assert (items["c"].x, items["c"].y) == (850, 420)
    assert items["o"].x is None  # its frame is not in the listing: its meaning is unknown


def test_areas_follow_a_frame_the_team_moved(plan):
    kanban = plan.item("frame:kanban")
    moved = listed(
        [
            {
                "id": "k",
                "type": "frame",
                "position": {"x": kanban.x + 5000, "y": kanban.y - 300},
                "geometry": {"width": kanban.width, "height": kanban.height},
            }
        ]
    )["k"]
    areas = board_areas(plan, {"frame:kanban": ("kanban_frame", None, moved)})
    done = column(plan, "done")
    assert status_at(areas, done.x0 + 5005, done.y0 - 290, "O1") is KRStatus.DONE
    assert status_at(areas, done.x0 + 5, done.y0 + 10, "O1") is None  # the old place means nothing now


def test_a_journaled_frame_the_plan_lacks_borrows_the_areas_of_its_role(plan):
    model = plan.item("matrix:KR1.1")
    extra = listed(
        [
            {
                "id": "m",
                "type": "frame",
                "position": {"x": -40_000, "y": 0},
                "geometry": {"width": model.width, "height": model.height},
            }
        ]
    )["m"]
    areas = board_areas(plan, {"matrix:KR3.3": ("matrix_frame", "KR3.3", extra)})
    assert idea_at(areas, -40_000 - model.width / 2 + 80, -model.height / 2 + 90)[0] == "KR3.3"


@pytest.mark.parametrize(
    "text, current, score",
    [
        ("Target: 10,000 · Current: 6,500 · Score: 0.65", 6500.0, 0.65),
        ("Cible : 10 000 · Actuel : 6\u00a0500 · Score : 0,65", 6500.0, 0.65),
        ("Actuel : 1,5 · Score : 70%", 1.5, 0.7),
        ("Current: 1,200 · Score: 70 %", 1200.0, 0.7),
        ("Current: ? · Score: ?", None, None),
    ],
)
def test_card_text_is_read_in_english_and_french(text, current, score):
    reading = read_card({"title": "KR1.1 · Demos", "description": f"<p>{text}</p>"})
    assert reading.values.get("current") == current and reading.values.get("score") == pytest.approx(score)
    assert reading.problems == {} and reading.title == "Demos"


@pytest.mark.parametrize(
    "text, field",
    [("Score: abc", "score"), ("Score: 1.7", "score"), ("Current: -", "current"), ("Cible : beaucoup", "target")],
)
def test_unreadable_fields_are_problems_not_values(text, field):
    reading = read_card({"description": f"<p>{text}</p>"})
    assert field not in reading.values and field in reading.problems


def test_an_absent_field_is_no_reading():
    reading = read_card({"description": "<p>Current: 4</p>"})
    assert reading.values == {"current": 4.0}


def test_a_due_date_and_assignee_are_read_from_the_card():
    reading = read_card({"dueDate": "2027-03-14T23:00:00.000Z", "assigneeId": 3458764500000000102})
    assert reading.due == "2027-03-15" and reading.assignee == "3458764500000000102"


def test_the_annotation_is_never_read_as_a_field():
    note = annotation({"score": "Score: 'abc' is not a number."})
    description = "<p>Target: 5 · Current: 2 · Score: 0.40</p>" + note
    assert read_card({"description": description}).problems == {}
    assert without_annotations(description) == "Target: 5 · Current: 2 · Score: 0.40"


@pytest.mark.parametrize(
    "description, kind, owner",
    [
        ("<p>Commitment</p><p>Owner: Ana</p>", "commitment", "Ana"),
        ("<p>Apprentissage</p><p>Responsable : Chloé</p>", "learning", "Chloé"),
        ("<p>Type: inspirational · Owner: Dev</p>", "inspirational", "Dev"),
        ("<p>Type: commitment, inspirational or learning · Owner: ?</p>", None, None),
        ("<p>Type: to be chosen</p><p>Owner: to be named</p>", None, None),
    ],
)
def test_objective_cards_are_read_in_english_and_french(description, kind, owner):
    reading = read_objective_card({"title": "O1 · Win", "description": description}, objective_words(TEMPLATE))
    assert (reading.title, reading.type, reading.owner) == ("Win", kind, owner)


def test_a_learning_goal_line_is_not_a_type():
    words = objective_words(TEMPLATE)
    reading = read_objective_card({"description": "<p>Commitment</p><p>Learning goal: find a channel</p>"}, words)
    assert reading.type == "commitment"


def test_areas_keep_their_meaning_when_unmoved(plan):
    kanban = plan.item("frame:kanban")
    same = listed(
        [
            {
                "id": "k",
                "type": "frame",
                "position": {"x": kanban.x, "y": kanban.y},
                "geometry": {"width": kanban.width, "height": kanban.height},
            }
        ]
    )["k"]
    anchored = board_areas(plan, {"frame:kanban": ("kanban_frame", None, same)})
    planned = [a for a in plan.areas if a.role == "kanban_column"]
    assert [replace(a) for a in anchored] == planned


def test_columns_stretch_with_a_kanban_frame_taller_than_todays_plan(plan):
    kanban = plan.item("frame:kanban")
    taller = listed(
        [
            {
                "id": "k",
                "type": "frame",
                "position": {"x": kanban.x, "y": kanban.y + 400},
                "geometry": {"width": kanban.width, "height": kanban.height + 800},
            }
        ]
    )["k"]
    areas = board_areas(plan, {"frame:kanban": ("kanban_frame", None, taller)})
    done = column(plan, "done")
    assert status_at(areas, done.x0 + 10, done.y1 + 700, "O1") is KRStatus.DONE
