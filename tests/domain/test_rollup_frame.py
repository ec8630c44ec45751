"""The company board's roll-up frame: below every reserved block, the same place however the cycle grows, its
panels' text fitting them in both languages."""

import copy
from pathlib import Path

import pytest

from addon.adapters.board_layouts import load_layout
from addon.adapters.plan_file import load_plan
from addon.domain.board.card_text import plain_text
from addon.domain.board.layout import footprint, plan_board
from addon.domain.board.rollup import ALIGNMENT_KEY, FONT, FRAME_KEY, TEAMS_KEY, with_rollup
from addon.domain.method.model import Cycle, KeyResult, Level, Objective, ObjectiveType

STANDARD_PLAN = Path(__file__).resolve().parents[2] / "bench" / "standard-plan.yaml"
LANGUAGES = ["en", "fr"]


@pytest.fixture(scope="module")
def template():
    return load_layout()


def company(objectives: int = 5) -> Cycle:
    cycle = load_plan(STANDARD_PLAN).cycle
    cycle.objectives = cycle.objectives[:objectives]
    cycle.id = 1
    return cycle


def team(company_cycle: Cycle, number: int, aligned=("O1", "O2", None)) -> Cycle:
    objectives = []
    for index, parent in enumerate(aligned, start=1):
        kr = KeyResult(f"Result {index}", target=10, current=index * 3, owner="Ana", due=company_cycle.end)
        objectives.append(
            Objective(f"Team {number} goal {index}", ObjectiveType.COMMITMENT, "Ana", parent, key_results=[kr])
        )
    return Cycle(
        f"Team {number} Q1",
        company_cycle.start,
        company_cycle.end,
        level=Level.TEAM,
        team=f"Team {number}",
        parent_id=company_cycle.id,
        objectives=objectives,
        id=10 + number,
    )


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner, outer):
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def rollup_plan(cycle, template, language="en", teams=(), matrices="per_kr"):
    plan = plan_board(cycle, template, language=language, matrices=matrices)
    return with_rollup(plan, cycle, list(teams), template, language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("matrices", ["per_kr", "per_objective"])
def test_the_rollup_frame_lies_below_every_block_of_a_fully_grown_board(template, language, matrices):
    cycle = company()
    plan = rollup_plan(cycle, template, language, [team(cycle, 1)], matrices)
    frame = footprint(plan.item(FRAME_KEY))
    others = [i for i in plan.items if i.parent_key is None and i.key != FRAME_KEY]
    assert others and not any(overlap(frame, footprint(other)) for other in others)
    for key in (TEAMS_KEY, ALIGNMENT_KEY):
        assert plan.item(key).parent_key == FRAME_KEY
        assert inside(footprint(plan.item(key)), frame)
    keys = [i.key for i in plan.items]
    assert keys.index(FRAME_KEY) < min(keys.index(i.key) for i in plan.items if i.parent_key)  # frames first


def test_the_rollup_frame_keeps_its_place_when_objectives_are_added(template):
    small, grown = rollup_plan(company(3), template), rollup_plan(company(5), template)
    assert footprint(small.item(FRAME_KEY)) == footprint(grown.item(FRAME_KEY))
    frame = footprint(small.item(FRAME_KEY))
    assert not any(
        overlap(frame, footprint(i)) for i in grown.items if not i.key.startswith(("frame:rollup", "rollup:"))
    )


def test_a_team_cycles_board_has_no_rollup_frame(template):
    cycle = team(company(), 1)
    plan = plan_board(cycle, template)
    assert with_rollup(plan, cycle, [], template, "en") is plan


def test_the_panels_list_team_scores_and_objectives_under_the_company_objective_they_support(template):
    cycle = company(3)
    teams = [team(cycle, 1), team(cycle, 2, aligned=("O2", "O7", "O1"))]
    plan = rollup_plan(cycle, template, teams=teams)
    assert plain_text(plan.item(TEAMS_KEY).data["content"]).split("\n") == [
        "Team cycles (2)",
        "Team 1 · Team 1 Q1 · score 0.60",
        "Team 2 · Team 2 Q1 · score 0.60",
    ]
    alignment = plain_text(plan.item(ALIGNMENT_KEY).data["content"]).split("\n")
    o2 = alignment.index(next(line for line in alignment if line.startswith("O2 ")))
    assert alignment[o2 + 1 : o2 + 3] == ["• Team 1 O2 · Team 1 goal 2 · 0.60", "• Team 2 O1 · Team 2 goal 1 · 0.30"]
    assert alignment[-3:] == [
        "Not aligned (M12)",
        "• Team 1 O3: The objective is not aligned to a company objective.",
        "• Team 2 O2: The objective is aligned to O7, which the company cycle does not have.",
    ]


def test_a_french_board_says_the_rollup_in_french(template):
    cycle = company(3)
    plan = rollup_plan(cycle, template, "fr", [team(cycle, 1)])
    assert plain_text(plan.item(TEAMS_KEY).data["content"]).split("\n")[1] == "Team 1 · Team 1 Q1 · score 0,60"
    alignment = plain_text(plan.item(ALIGNMENT_KEY).data["content"])
    assert "• Team 1 O3 : L'objectif n'est aligné sur aucun objectif de l'entreprise." in alignment
    assert plan.item(FRAME_KEY).data["title"] == "Cycles des équipes"


def test_a_panel_with_more_lines_than_room_ends_with_how_many_more(template):
    cycle = company()
    teams = [team(cycle, n) for n in range(1, 61)]
    plan = rollup_plan(cycle, template, teams=teams)
    size = template["fonts"][FONT]
    for key in (TEAMS_KEY, ALIGNMENT_KEY):
        item = plan.item(key)
        lines = plain_text(item.data["content"]).split("\n")
        assert len(lines) * size * 1.4 <= item.height
        assert lines[-1].startswith("… and ") and lines[-1].endswith(" more")


def test_the_rollup_changes_nothing_else_in_the_plan(template):
    cycle = company()
    plan = plan_board(cycle, template)
    before = copy.deepcopy(plan.items)
    with_rollup(plan, cycle, [team(cycle, 1)], template, "en")
    assert plan.items == before


def on_screen(plan, frame_key: str, font_size: float) -> float:
    """Return the pixels a font size draws at the zoom where a frame fills a 1920 x 1080 screen."""
    frame = plan.item(frame_key)
    return font_size * min(1920 / frame.width, 1080 / frame.height)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_panels_text_reads_as_large_as_the_headers_when_each_frame_fills_the_screen(template, language):
    cycle = company()
    plan = rollup_plan(cycle, template, language, [team(cycle, 1), team(cycle, 2)])
    panel = on_screen(plan, FRAME_KEY, float(plan.item(TEAMS_KEY).style["fontSize"]))
    header = on_screen(plan, "frame:header", template["fonts"]["body"])
    assert panel >= 18 and panel >= 0.95 * header
