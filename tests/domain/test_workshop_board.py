"""The workshop board's Kanban, log and header at full size: 25 cards per column, 25 log rows, one title."""

from pathlib import Path

import pytest

from addon.adapters.board_layouts import load_layout
from addon.adapters.plan_file import load_plan
from addon.domain.board.card_text import plain_text
from addon.domain.board.layout import footprint, plan_board
from addon.domain.method.model import KRStatus

STANDARD_PLAN = Path(__file__).resolve().parents[2] / "bench" / "standard-plan.yaml"
LANGUAGES = ["en", "fr"]


@pytest.fixture(scope="module")
def template():
    return load_layout()


def standard_cycle(status=None):
    cycle = load_plan(STANDARD_PLAN).cycle
    for objective in cycle.objectives:
        for kr in objective.key_results:
            kr.status = status or kr.status
    return cycle


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner, outer):
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def lines_needed(text: str, width: float, size: float) -> int:
    """Lines a text takes at a generous 0.6 em per character, whole words wrapping."""
    per_line, total = max(1, int(width / (0.6 * size))), 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > per_line:
                lines, used = lines + 1, len(word)
            else:
                used += (1 if used else 0) + len(word)
        total += lines
    return total


def heading_band(column, template):
    x0, y0, x1, _ = footprint(column)
    return x0, y0, x1, y0 + template["kanban"]["heading_height"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", [s for s in KRStatus if s is not KRStatus.DRAFT])
def test_a_kanban_column_holds_all_25_key_results_below_every_heading(template, language, status):
    plan = plan_board(standard_cycle(status), template, language=language)
    columns = plan.by_role("kanban_column")
    bands = [heading_band(c, template) for c in columns]
    (column,) = [c for c in columns if c.entity == str(status)]
    cards = plan.by_role("kr_card")
    assert len(cards) == 25
    for n, card in enumerate(cards):
        box = footprint(card)
        assert inside(box, footprint(column)), card.key
        assert not any(overlap(box, band) for band in bands), card.key
        assert not any(overlap(box, footprint(other)) for other in cards[n + 1 :]), card.key
    size = int(template["fonts"]["heading"])
    for c, band in zip(columns, bands, strict=True):
        assert lines_needed(plain_text(c.data["content"]), band[2] - band[0], size) * size * 1.4 <= band[3] - band[1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_log_fits_25_rows_and_six_dated_columns(template, language):
    cycle = standard_cycle()
    assert len(cycle.checkin_dates) == 6
    plan = plan_board(cycle, template, language=language)
    frame = footprint(plan.item("frame:log"))
    shapes = plan.by_role("log_header") + plan.by_role("log_cell")
    assert len(plan.by_role("log_cell")) == 25 * 6
    small = int(template["fonts"]["small"])
    for n, shape in enumerate(shapes):
        box = footprint(shape)
        assert inside(box, frame), shape.key
        assert not any(overlap(box, footprint(other)) for other in shapes[n + 1 :]), shape.key
        text = plain_text(shape.data["content"])
        assert lines_needed(text, shape.width - 16, small) * small * 1.4 <= shape.height, (shape.key, text)
    headers = [plain_text(plan.item(f"log:checkin:{n}").data["content"]) for n in range(1, 7)]
    months = template["labels"]["months"][language]
    for day, header in zip(cycle.checkin_dates, headers, strict=True):
        assert f"{day.day} {months[day.month - 1]} {day.year}" in header


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_shows_one_title_one_scoring_guide_and_one_findings_panel(template, language):
    cycle = standard_cycle()
    plan = plan_board(cycle, template, language=language)
    shown = [plain_text(i.data.get("content", "") or i.data.get("title", "")) for i in plan.items]
    assert sum(cycle.name in text for text in shown) == 1
    assert len(plan.by_role("title")) == 1
    keys = [i.key for i in plan.items if i.parent_key == "frame:header"]
    assert keys.count("header:scoring") == 1 and keys.count("header:findings") == 1
    assert cycle.name not in plan.item("frame:header").data["title"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_headings_are_sized_by_their_level_not_their_length(template, language):
    plan = plan_board(standard_cycle(KRStatus.NOT_STARTED), template, language=language)
    fonts = template["fonts"]
    by_level = {
        "kanban_column": fonts["heading"],
        "retro_section": fonts["heading"],
        "quadrant": fonts["small"],
        "log_header": fonts["small"],
    }
    for role, size in by_level.items():
        assert {int(i.style["fontSize"]) for i in plan.by_role(role)} == {size}, role
    assert {int(i.style["fontSize"]) for i in plan.by_role("title")} == {fonts["title"]}


def small_cycle(objectives=3, key_results=3):
    cycle = standard_cycle(KRStatus.NOT_STARTED)
    cycle.objectives = cycle.objectives[:objectives]
    for objective in cycle.objectives:
        objective.key_results = objective.key_results[:key_results]
    return cycle


@pytest.mark.parametrize("matrices", ["per_kr", "per_objective"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_key_results_and_objectives_added_mid_cycle_land_on_free_places(template, language, matrices):
    before = plan_board(small_cycle(), template, language=language, matrices=matrices)
    grown = standard_cycle(KRStatus.NOT_STARTED)  # the same 3 x 3, then KR1.4..KR3.5 and O4, O5 added
    after = plan_board(grown, template, language=language, matrices=matrices)
    assert (after.width, after.height) == (before.width, before.height)
    old = {i.key: i for i in before.items}
    for item in after.items:
        if item.key in old and item.role not in ("kr_card", "log_header", "matrix_frame", "objective_card"):
            assert (item.x, item.y, item.width, item.height) == (
                old[item.key].x,
                old[item.key].y,
                old[item.key].width,
                old[item.key].height,
            ), item.key
        elif item.key in old:  # the same place; only its words (the titles of the grown plan) may differ
            assert (item.x, item.y) == (old[item.key].x, old[item.key].y), item.key
    new = [i for i in after.items if i.key not in old]
    assert {i.key for i in new} >= {"card:KR2.4", "matrix:KR2.4" if matrices == "per_kr" else "matrix:O4", "frame:O4"}
    for item in new:
        box = footprint(item)
        for other in before.items:
            if item.type == "frame" or other.type == "frame":
                if item.type == other.type == "frame":
                    assert not overlap(box, footprint(other)), (item.key, other.key)
                continue
            same_layer = (item.type in ("card", "sticky_note")) == (other.type in ("card", "sticky_note"))
            if same_layer:
                assert not overlap(box, footprint(other)), (item.key, other.key)
    for area in before.areas:
        assert after.area(area.key) == area
