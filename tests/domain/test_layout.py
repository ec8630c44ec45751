"""The board plan: geometry (containment, overlaps, size), Miro validity, workshop mode and reading positions."""

import re
from collections import Counter
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addon.adapters.board_layouts import STICKY_COLOURS, load_layout
from addon.domain.board.card_text import parse_kr_description, plain_text
from addon.domain.board.layout import (
    Area,
    area_at,
    footprint,
    idea_placement,
    matrix_scores,
    plan_board,
    position_for_scores,
)
from addon.domain.method.model import (
    CheckIn,
    Cycle,
    Idea,
    IdeaStatus,
    KeyResult,
    KRSnapshot,
    KRStatus,
    Level,
    Objective,
    ObjectiveType,
    Quadrant,
    quadrant_for,
)
from addon.domain.method.rules import Finding, Severity, finding

TYPES = [ObjectiveType.COMMITMENT, ObjectiveType.INSPIRATIONAL, ObjectiveType.LEARNING]
HEX = re.compile(r"^#[0-9a-f]{6}$")


@pytest.fixture(scope="module")
def template():
    return load_layout()


def make_cycle(objectives=5, key_results=5, **kwargs):
    objs = []
    for o in range(1, objectives + 1):
        krs = [
            KeyResult(
                f"Key result {o}.{k} & <friends>",
                target=10_000,
                current=6_500,
                unit="partners",
                owner="Ben",
                due=date(2027, 3, 15),
            )
            for k in range(1, key_results + 1)
        ]
        objs.append(Objective(f"Objective {o}", TYPES[(o - 1) % 3], "Ana", key_results=krs))
    return Cycle("GTM Q1 2027", date(2027, 1, 4), date(2027, 3, 31), objectives=objs, **kwargs)


@pytest.fixture(scope="module")
def standard(template):
    cycle = make_cycle()
    cycle.objectives[0].key_results[0].ideas = [
        Idea("Partner webinar", impact=9, effort=1),
        Idea("Trade fair", impact=2, effort=9, status=IdeaStatus.DONE),
    ]
    return plan_board(cycle, template)


def boxes_overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_geometry(plan):
    """Every key unique, frames first, children inside their frame, no sibling overlaps, all inside the board."""
    keys = [i.key for i in plan.items]
    assert len(keys) == len(set(keys))
    frames = {i.key: i for i in plan.items if i.type == "frame"}
    assert [i.type for i in plan.items[: len(frames)]] == ["frame"] * len(frames)
    assert all(i.parent_key is None for i in frames.values())
    half_w, half_h = plan.width / 2, plan.height / 2
    for item in plan.items:
        x0, y0, x1, y1 = footprint(item)
        assert -half_w <= x0 and x1 <= half_w and -half_h <= y0 and y1 <= half_h, item.key
        if item.type != "frame":
            f = footprint(frames[item.parent_key])
            assert f[0] <= x0 and f[1] <= y0 and x1 <= f[2] and y1 <= f[3], item.key
    frame_list = list(frames.values())
    for n, a in enumerate(frame_list):
        for b in frame_list[n + 1 :]:
            assert not boxes_overlap(footprint(a), footprint(b)), (a.key, b.key)
    # Among a frame's children, structure (shapes, texts) never overlaps structure and cards never overlap
    # cards; cards sit on top of Kanban columns by design, and ideas sit wherever their scores put them.
    by_parent = {}
    for item in plan.items:
        if item.parent_key and item.role != "idea":
            layer = "content" if item.type in ("card", "sticky_note") else "structure"
            by_parent.setdefault((item.parent_key, layer), []).append(item)
    for siblings in by_parent.values():
        for n, a in enumerate(siblings):
            for b in siblings[n + 1 :]:
                assert not boxes_overlap(footprint(a), footprint(b)), (a.key, b.key)


def check_miro_bodies(plan):
    """Every item's data and style follow Miro's request schemas for its type."""
    for item in plan.items:
        assert item.width > 0
        text = " ".join(str(v) for v in item.data.values())
        assert not re.search(r"\{\w+\}", text), (item.key, text)  # every label placeholder was filled
        if item.type == "frame":
            assert item.data["format"] == "custom" and item.data["type"] == "freeform"
            assert set(item.data) == {"title", "format", "type"} and item.height >= 100
        elif item.type == "card":
            assert set(item.data) <= {"title", "description", "dueDate"}
            assert HEX.match(item.style["cardTheme"])
        elif item.type == "shape":
            assert item.data["shape"] in ("rectangle", "round_rectangle")
            assert HEX.match(item.style["fillColor"])
            assert all(isinstance(v, str) for v in item.style.values())
            assert 10 <= int(item.style["fontSize"]) <= 288
            assert item.style["textAlign"] in ("left", "right", "center")
            assert item.style["textAlignVertical"] in ("top", "middle", "bottom")
        elif item.type == "text":
            assert item.height is None and set(item.data) == {"content"}
            assert item.width >= 1.7 * int(item.style["fontSize"])
        elif item.type == "sticky_note":
            assert item.height is None and item.data["shape"] in ("square", "rectangle")
            assert item.style["fillColor"] in STICKY_COLOURS
        else:
            pytest.fail(f"unexpected type {item.type}")


def test_the_standard_board(standard):
    check_geometry(standard)
    check_miro_bodies(standard)
    types = Counter(i.type for i in standard.items)
    roles = Counter(i.role for i in standard.items)
    assert types["frame"] == 1 + 5 + 1 + 25 + 1 + 1
    assert roles["kr_card"] == 25 and roles["objective_card"] == 5 and roles["quadrant"] == 100
    assert roles["log_cell"] == 25 * 6 and roles["kanban_column"] == 4 and roles["retro_section"] == 4
    assert roles["idea"] == 2 and roles["axis_label"] == 50


def test_the_standard_board_fits_a_wide_picture(standard):
    # One picture 4000 px wide at about 3 board units per pixel, with matrices at workshop scale (six default
    # stickies per quadrant) in a row per objective.
    assert 1.2 <= standard.width / standard.height <= 3.0
    assert standard.width <= 12_000
    bounds = [footprint(i) for i in standard.items]
    assert min(b[0] for b in bounds) == pytest.approx(-standard.width / 2)
    assert max(b[3] for b in bounds) == pytest.approx(standard.height / 2)


def test_frames_come_in_board_order(standard):
    frames = [i.key for i in standard.items if i.type == "frame"]
    assert frames[:8] == [
        "frame:header",
        "frame:O1",
        "frame:O2",
        "frame:O3",
        "frame:O4",
        "frame:O5",
        "frame:kanban",
        "matrix:KR1.1",
    ]
    assert frames[-2:] == ["frame:log", "frame:retro"]
    parents = [i.parent_key for i in standard.items if i.parent_key]
    first_seen = list(dict.fromkeys(parents))
    assert first_seen == [f for f in frames if f in first_seen]


def test_the_plan_is_deterministic(template):
    assert plan_board(make_cycle(), template) == plan_board(make_cycle(), template)


@pytest.mark.parametrize("objectives, key_results", [(1, 1), (3, 3), (5, 2), (2, 5)])
def test_other_sizes_stay_sound(template, objectives, key_results):
    plan = plan_board(make_cycle(objectives, key_results), template, language="fr")
    check_geometry(plan)
    check_miro_bodies(plan)


def test_english_and_french_boards_differ_only_in_words(template):
    english, french = plan_board(make_cycle(), template), plan_board(make_cycle(), template, language="fr")
    assert [(i.key, i.x, i.y, i.role) for i in english.items] == [(i.key, i.x, i.y, i.role) for i in french.items]
    assert plain_text(french.item("kanban:column:not_started").data["content"]) == "Pas commencé"
    assert plain_text(french.item("retro:carry_over").data["content"]).startswith("À reporter")
    assert "Gains rapides" in plain_text(french.item("quadrant:KR1.1:quick_win").data["content"])
    assert "janv." in plain_text(french.item("header:checkins").data["content"])


def test_header_shows_cycle_dates_checkins_scoring_and_findings(template):
    findings = [
        Finding("M2", Severity.WARNING, "cycle", "The cycle has 2 objectives."),
        Finding("M4", Severity.ERROR, "O2", "The objective has no owner."),
    ]
    plan = plan_board(make_cycle(), template, findings=findings)
    meta = plain_text(plan.item("header:meta").data["content"])
    assert meta == "Company OKRs · 4 Jan 2027 to 31 Mar 2027"
    checkins = plain_text(plan.item("header:checkins").data["content"]).split("\n")
    assert len(checkins) == 7 and checkins[-1] == "6. 31 Mar 2027"
    scoring = plain_text(plan.item("header:scoring").data["content"])
    for band in ("Commitment: expect 1.0", "Inspirational: expect 0.5 – 0.7", "Learning: expect 0.3 – 0.8"):
        assert band in scoring
    assert plain_text(plan.item("header:findings").data["content"]).split("\n") == [
        "Open findings (2)",
        "Warning M2: The cycle has 2 objectives.",
        "Error M4 O2: The objective has no owner.",
    ]


def test_a_french_board_shows_the_rule_messages_in_french(template):
    findings = [finding("M2", Severity.WARNING, "cycle", "M2.count", count=2, low=3, high=5)]
    findings.append(finding("M4", Severity.ERROR, "O2", "M4.no_owner"))
    french = plan_board(make_cycle(), template, language="fr", findings=findings)
    assert plain_text(french.item("header:findings").data["content"]).split("\n") == [
        "Points à revoir (2)",
        "Attention M2 : Le cycle a 2 objectifs ; la méthode en demande 3 à 5.",
        "Erreur M4 O2 : L'objectif n'a pas de responsable.",
    ]


def test_many_findings_are_capped(template):
    findings = [Finding("M7", Severity.ERROR, f"KR1.{n}", "No owner.") for n in range(1, 16)]
    lines = plain_text(
        plan_board(make_cycle(), template, findings=findings).item("header:findings").data["content"]
    ).split("\n")
    assert len(lines) == 1 + 10 + 1 and lines[-1] == "… and 5 more"


def test_cards_carry_escaped_text_colour_and_due_date(standard, template):
    card = standard.item("card:KR1.2")
    assert card.role == "kr_card" and card.entity == "KR1.2" and card.parent_key == "frame:O1"
    assert card.data["title"] == "KR1.2 · Key result 1.2 &amp; &lt;friends&gt;"
    assert card.data["dueDate"] == "2027-03-15T12:00:00.000Z"
    assert parse_kr_description(card.data["description"]).score == 0.65
    assert card.style["cardTheme"] == template["colours"]["objective_types"]["commitment"]
    assert standard.item("objective:O2").style["cardTheme"] == template["colours"]["objective_types"]["inspirational"]
    assert plain_text(standard.item("objective:O1").data["description"]) == "Commitment\nOwner: Ana"


def test_workshop_mode_gives_placeholders(template):
    plan = plan_board(Cycle("Workshop", date(2027, 1, 4), date(2027, 3, 31)), template)
    check_geometry(plan)
    assert [i.key for i in plan.by_role("objective_frame")] == ["frame:O1", "frame:O2", "frame:O3"]
    assert [i.entity for i in plan.by_role("placeholder_objective")] == ["O1", "O2", "O3"]
    assert [i.entity for i in plan.by_role("placeholder_kr")] == [f"KR{o}.{k}" for o in (1, 2, 3) for k in (1, 2, 3)]
    assert plan.by_role("kr_card") == [] and plan.by_role("objective_card") == []
    card = plan.item("card:KR2.3")
    assert card.parent_key == "frame:O2"
    assert plain_text(card.data["title"]) == "KR2.3 · Key result: how will we know?"
    assert parse_kr_description(card.data["description"]).problems == []


def test_an_objective_without_key_results_gets_placeholders(template):
    cycle = make_cycle(3, 3)
    cycle.objectives[1].key_results = []
    plan = plan_board(cycle, template)
    assert [i.key for i in plan.by_role("placeholder_kr")] == ["card:KR2.1", "card:KR2.2", "card:KR2.3"]
    assert len(plan.by_role("kr_card")) == 6


def test_team_board_shows_alignment(template):
    company = make_cycle(3, 3)
    company.objectives[1].title = "Become the go-to tool for DACH fintechs"
    team = make_cycle(2, 3, level=Level.TEAM, team="Growth")
    team.objectives[0].aligned_to = "O2"
    plan = plan_board(team, template, parent=company)
    assert plain_text(plan.item("objective:O1").data["description"]).split("\n") == [
        "Commitment",
        "Owner: Ana",
        "Aligned to O2: Become the go-to tool for DACH fintechs",
    ]
    assert plain_text(plan.item("objective:O2").data["description"]).endswith("Not aligned to a company objective yet")
    assert (
        plain_text(plan.item("header:meta").data["content"])
        == "Team OKRs: Growth · 4 Jan 2027 to 31 Mar 2027 · Aligned with GTM Q1 2027"
    )


def test_tracked_cards_sit_in_their_kanban_column(template):
    cycle = make_cycle(3, 3)
    statuses = [KRStatus.NOT_STARTED, KRStatus.IN_PROGRESS, KRStatus.AT_RISK, KRStatus.DONE, KRStatus.DRAFT]
    for n, (_, kr) in enumerate(cycle.key_results_by_ref().values()):
        kr.status = statuses[n % 5]
    plan = plan_board(cycle, template)
    check_geometry(plan)
    for ref, (_, kr) in cycle.key_results_by_ref().items():
        card = plan.item(f"card:{ref}")
        if kr.status is KRStatus.DRAFT:
            assert card.parent_key == f"frame:O{ref[2]}"
            assert area_at(plan, card.x, card.y, role="objective_frame").meaning == f"O{ref[2]}"
        else:
            assert card.parent_key == "frame:kanban"
            assert area_at(plan, card.x, card.y).meaning == kr.status.value


def test_area_at_column_edges(standard):
    columns = [standard.area(f"kanban:column:{k}") for k in ("not_started", "in_progress", "at_risk", "done")]
    middle = (columns[0].y0 + columns[0].y1) / 2
    assert area_at(standard, columns[0].x0, middle).meaning == "not_started"
    assert area_at(standard, columns[0].x1, middle).meaning == "not_started"
    assert area_at(standard, columns[1].x0, columns[1].y0).meaning == "in_progress"
    assert area_at(standard, (columns[0].x1 + columns[1].x0) / 2, middle, role="kanban_column") is None
    assert area_at(standard, columns[3].x1 + 1, middle, role="kanban_column") is None
    assert area_at(standard, standard.width, standard.height) is None


def test_area_at_quadrant_edges_match_quadrant_for(standard):
    # On a midline the point counts as high impact / high effort, like quadrant_for. (Within the 0.05
    # rounding of matrix_scores around a midline the two may differ: sync takes the scores' quadrant.)
    plot = standard.area("matrix:KR2.3:plot")
    mid_x, mid_y = (plot.x0 + plot.x1) / 2, (plot.y0 + plot.y1) / 2
    for x, y in [
        (mid_x, mid_y),
        (mid_x, plot.y0),
        (plot.x0, mid_y),
        (mid_x, plot.y1),
        (plot.x1, mid_y),
        (plot.x0, plot.y0),
        (plot.x1, plot.y1),
        (mid_x - 10, mid_y + 10),
        (mid_x + 10, mid_y - 10),
    ]:
        quadrant = area_at(standard, x, y)
        assert quadrant.role == "quadrant" and quadrant.meaning == "KR2.3"
        assert quadrant.kind == quadrant_for(*matrix_scores(plot, x, y)).value, (x, y)
    frame = standard.area("matrix:KR2.3")
    assert area_at(standard, frame.x0 + 5, frame.y0 + 5).role == "matrix_frame"
    assert area_at(standard, frame.x0 + 5, frame.y0 + 5, role="quadrant") is None


def test_matrix_scores_corners():
    plot = Area("matrix:KR1.1:plot", "matrix", "kr", 100, 200, 600, 700, "KR1.1")
    assert matrix_scores(plot, 100, 200) == (10.0, 0.0)
    assert quadrant_for(*matrix_scores(plot, 100, 200)) is Quadrant.QUICK_WIN
    assert matrix_scores(plot, 600, 200) == (10.0, 10.0)
    assert matrix_scores(plot, 100, 700) == (0.0, 0.0)
    assert matrix_scores(plot, 600, 700) == (0.0, 10.0)
    assert quadrant_for(*matrix_scores(plot, 600, 700)) is Quadrant.MONEY_PIT
    assert matrix_scores(plot, 350, 450) == (5.0, 5.0)
    assert matrix_scores(plot, 0, 900) == (0.0, 0.0)  # outside the plot: clamped
    assert matrix_scores(plot, 137, 611) == (1.8, 0.7)
    assert position_for_scores(plot, 10, 0) == (100, 200)


@given(impact=st.integers(0, 100), effort=st.integers(0, 100))
def test_positions_and_scores_round_trip(impact, effort):
    plot = Area("matrix:KR1.1:plot", "matrix", "kr", -1234.5, 80, -754.5, 560, "KR1.1")
    x, y = position_for_scores(plot, impact / 10, effort / 10)
    assert matrix_scores(plot, x, y) == (impact / 10, effort / 10)


def test_ideas_are_placed_where_their_scores_say(standard):
    webinar, fair = standard.by_role("idea")
    assert webinar.parent_key == "matrix:KR1.1" and webinar.entity == "KR1.1"
    assert webinar.style["fillColor"] == "light_yellow" and fair.style["fillColor"] == "light_green"
    assert idea_placement(standard, webinar.x, webinar.y) == ("KR1.1", 9.0, 1.0)
    assert idea_placement(standard, fair.x, fair.y) == ("KR1.1", 2.0, 9.0)
    assert area_at(standard, webinar.x, webinar.y).kind == "quick_win"
    assert idea_placement(standard, standard.item("card:KR1.1").x, standard.item("card:KR1.1").y) is None


def test_one_matrix_per_objective(template):
    cycle = make_cycle(3, 4)
    cycle.objectives[2].key_results[3].ideas = [Idea("Referral bonus", impact=6, effort=3)]
    plan = plan_board(cycle, template, matrices="per_objective")
    check_geometry(plan)
    assert [i.key for i in plan.by_role("matrix_frame")] == ["matrix:O1", "matrix:O2", "matrix:O3"]
    assert plan.area("matrix:O2:plot").kind == "objective"
    idea = plan.by_role("idea")[0]
    assert idea.entity == "KR3.4" and idea_placement(plan, idea.x, idea.y) == ("O3", 6.0, 3.0)
    with pytest.raises(ValueError, match="per_kr"):
        plan_board(cycle, template, matrices="per_team")


def test_log_grid_is_filled_from_recorded_checkins(template):
    cycle = make_cycle(3, 3)
    cycle.checkins = [
        CheckIn(
            1,
            date(2027, 1, 19),
            [KRSnapshot("KR1.2", 3, 0.75, KRStatus.IN_PROGRESS), KRSnapshot("KR2.1", 1, 0.2, KRStatus.AT_RISK)],
        )
    ]
    plan = plan_board(cycle, template, language="fr")
    assert len(plan.by_role("log_cell")) == 9 * 6
    filled = plan.item("log:cell:KR1.2:1")
    assert plain_text(filled.data["content"]) == "0,75" and filled.style["fillColor"] == "#d5f692"
    assert plan.item("log:cell:KR2.1:1").style["fillColor"] == "#ffcee0"
    assert plan.item("log:cell:KR1.2:2").data["content"] == ""
    assert plan.item("log:checkin:3").entity == "checkin3"
    assert plain_text(plan.item("log:row:KR3.3").data["content"]).startswith("KR3.3 · Key result 3.3")


def test_areas_cover_what_sync_reads(standard):
    roles = Counter(a.role for a in standard.areas)
    assert roles == {
        "objective_frame": 5,
        "kanban_column": 4,
        "matrix_frame": 25,
        "matrix": 25,
        "quadrant": 100,
        "retro_section": 4,
    }
    section = standard.area("retro:did_not_work")
    assert area_at(standard, (section.x0 + section.x1) / 2, section.y1).meaning == "did_not_work"
    frame = standard.area("frame:O3")
    assert area_at(standard, frame.x0 + 1, frame.y1 - 1).meaning == "O3"
