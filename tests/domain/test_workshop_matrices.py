"""The impact-effort matrices at a workshop's scale: six default stickies per quadrant, labels left uncovered."""

import copy
from pathlib import Path

import pytest

from addon.adapters.board_layouts import TemplateError, load_layout, validate_template
from addon.adapters.plan_file import load_plan
from addon.domain.board.layout import footprint, idea_placement, plan_board, position_for_scores
from addon.domain.board.plan import PlannedItem
from addon.domain.method.model import Idea, quadrant_for

STANDARD_PLAN = Path(__file__).resolve().parents[2] / "bench" / "standard-plan.yaml"
# Miro's default sticky note: 199 x 228 (https://developers.miro.com/docs/websdk-reference-stickynote).
STICKY_W, STICKY_H = 199, 228


@pytest.fixture(scope="module")
def template():
    return load_layout()


@pytest.fixture(scope="module", params=[("en", "per_kr"), ("fr", "per_kr"), ("en", "per_objective")])
def board(request, template):
    language, matrices = request.param
    return plan_board(load_plan(STANDARD_PLAN).cycle, template, language=language, matrices=matrices)


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner, outer):
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def text_lines(text: str, width: float, size: float) -> int:
    """Lines a text takes at a font size, at a generous 0.6 em per character (whole words wrap)."""
    per_line, lines, used = max(1, int(width / (0.6 * size))), 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def label_box(quadrant: PlannedItem, template: dict) -> tuple[float, float, float, float]:
    """The band along the quadrant's outer edge where Miro draws its label (the shape's text, top or bottom)."""
    x0, y0, x1, y1 = footprint(quadrant)
    band = template["matrix"]["label_band"]
    return (x0, y0, x1, y0 + band) if quadrant.style["textAlignVertical"] == "top" else (x0, y1 - band, x1, y1)


def six_stickies(quadrant: PlannedItem, label: tuple) -> list[tuple[float, float, float, float]]:
    """Six default stickies as a facilitator lays them out: 3 x 2, spread evenly over the quadrant off its label."""
    x0, y0, x1, y1 = footprint(quadrant)
    if label[1] == y0:
        y0 = label[3]
    else:
        y1 = label[1]
    gap_x, gap_y = (x1 - x0 - 3 * STICKY_W) / 4, (y1 - y0 - 2 * STICKY_H) / 3
    assert gap_x >= 0 and gap_y >= 0, quadrant.key
    return [
        (
            x0 + gap_x + col * (STICKY_W + gap_x),
            y0 + gap_y + row * (STICKY_H + gap_y),
            x0 + gap_x + col * (STICKY_W + gap_x) + STICKY_W,
            y0 + gap_y + row * (STICKY_H + gap_y) + STICKY_H,
        )
        for row in range(2)
        for col in range(3)
    ]


def test_six_default_stickies_fit_in_every_quadrant_of_every_matrix_without_covering_a_label(board, template):
    frames = board.by_role("matrix_frame")
    assert len(frames) in (5, 25)
    small = int(template["fonts"]["small"])
    for frame in frames:
        quadrants = [i for i in board.by_role("quadrant") if i.parent_key == frame.key]
        texts = [footprint(i) for i in board.by_role("axis_label") if i.parent_key == frame.key]
        labels = {q.key: label_box(q, template) for q in quadrants}
        assert len(quadrants) == 4 and len(texts) == 2
        for quadrant in quadrants:
            # the label's words fit in its band at the label font (Miro draws about 1.4 em per line)
            words = quadrant.data["content"].replace("<p>", "").replace("</p>", "")
            assert text_lines(words, quadrant.width - 16, small) * small * 1.4 <= template["matrix"]["label_band"]
        dropped = []
        for quadrant in quadrants:
            stickies = six_stickies(quadrant, labels[quadrant.key])
            for box in stickies:
                assert inside(box, footprint(quadrant)), quadrant.key
                assert not any(overlap(box, label) for label in labels.values()), quadrant.key
                assert not any(overlap(box, text) for text in texts), quadrant.key
                ref, impact, effort = idea_placement(board, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
                assert ref == frame.entity
                assert quadrant_for(impact, effort).value == quadrant.key.rsplit(":", 1)[1]
            dropped += stickies
        for n, a in enumerate(dropped):
            assert not any(overlap(a, b) for b in dropped[n + 1 :]), frame.key


def test_axis_titles_sit_outside_the_plot(board):
    for frame in board.by_role("matrix_frame"):
        quadrants = [footprint(i) for i in board.by_role("quadrant") if i.parent_key == frame.key]
        plot = (min(q[0] for q in quadrants), min(q[1] for q in quadrants), max(q[2] for q in quadrants))
        plot += (max(q[3] for q in quadrants),)
        for axis in (i for i in board.by_role("axis_label") if i.parent_key == frame.key):
            assert not overlap(footprint(axis), plot), axis.key
            assert inside(footprint(axis), footprint(frame)), axis.key


@pytest.mark.parametrize("impact, effort", [(10, 0), (10, 10), (0, 0), (0, 10), (5, 5), (5.1, 4.9), (10, 4.9)])
def test_an_idea_the_app_writes_at_any_score_covers_no_label(board, template, impact, effort):
    frame = board.by_role("matrix_frame")[0]
    plot = board.area(f"{frame.key}:plot")
    x, y = position_for_scores(plot, impact, effort)
    box = (x - STICKY_W / 2, y - STICKY_H / 2, x + STICKY_W / 2, y + STICKY_H / 2)
    quadrants = [i for i in board.by_role("quadrant") if i.parent_key == frame.key]
    assert not any(overlap(box, label_box(q, template)) for q in quadrants)
    assert any(inside(box, footprint(q)) for q in quadrants) or impact in (5, 5.1) or effort in (5, 4.9)
    assert idea_placement(board, x, y) == (frame.entity, impact, effort)


def test_the_app_writes_ideas_at_miros_default_sticky_size(template):
    cycle = load_plan(STANDARD_PLAN).cycle
    cycle.objectives[0].key_results[0].ideas = [Idea("Co-host a webinar with a partner", impact=9, effort=2)]
    (idea,) = plan_board(cycle, template).by_role("idea")
    x0, y0, x1, y1 = footprint(idea)
    assert (x1 - x0, round(y1 - y0)) == (STICKY_W, STICKY_H)


def test_a_layout_whose_quadrants_cannot_hold_six_ideas_is_refused(template):
    small = copy.deepcopy(template)
    small["matrix"]["quadrant"] = {"width": 240, "height": 240}
    with pytest.raises(TemplateError, match="matrix: each quadrant must hold six idea stickies"):
        validate_template(small)


def test_a_sticky_on_a_label_band_or_the_plot_edge_reads_as_the_edge_score(board):
    frame = board.by_role("matrix_frame")[0]
    top_left = next(q for q in board.by_role("quadrant") if q.key.endswith(":quick_win") and q.parent_key == frame.key)
    x0, y0, x1, y1 = footprint(top_left)
    assert idea_placement(board, x0 + 1, y0 + 1) == (frame.entity, 10.0, 0.0)  # on the label, at the corner
    ref, impact, effort = idea_placement(board, (x0 + x1) / 2, y1 - 1)
    assert impact == 5.0 and quadrant_for(impact, effort).value == "quick_win"
