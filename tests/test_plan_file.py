"""Plan files: the examples load, and bad input gets errors that name the field and its line."""

from pathlib import Path

import pytest

from addon.adapters.plan_file import PlanError, load_plan, parse_plan
from addon.domain.method.model import KRKind, Level, ObjectiveType

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))

MINIMAL = """
cycle: {name: Q1, start: 2027-01-04, end: 2027-03-31}
objectives:
  - title: Win DACH
    type: commitment
    owner: Ana
    key_results:
      - {title: Partners, target: 5, owner: Ben, due: 2027-03-15}
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(PlanError) as caught:
        parse_plan(text)
    return caught.value.problems


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_plan_loads(path):
    plan = load_plan(path)
    assert plan.cycle.objectives and all(o.key_results for o in plan.cycle.objectives)


def test_minimal_plan_fills_defaults():
    cycle = parse_plan(MINIMAL).cycle
    kr = cycle.objectives[0].key_results[0]
    assert cycle.level is Level.COMPANY and cycle.language == "en"
    assert cycle.objectives[0].type is ObjectiveType.COMMITMENT
    assert kr.kind is KRKind.INCREASE and kr.start == 0 and kr.target == 5
    assert len(cycle.checkin_dates) == 6 and cycle.checkin_dates[-1] == cycle.end


def test_french_plan_keeps_accents_and_language():
    plan = load_plan(next(p for p in EXAMPLES if "fr" in p.name))
    assert plan.cycle.language == "fr"
    assert "n°1" in plan.cycle.objectives[0].title


def test_team_plan_names_its_parent():
    plan = load_plan(next(p for p in EXAMPLES if "team" in p.name))
    assert plan.parent == "GTM Q1 2027"
    assert plan.cycle.level is Level.TEAM
    assert [o.aligned_to for o in plan.cycle.objectives] == ["O1", "O2", "O3"]


def test_wrong_type_names_the_nested_field_path_and_line():
    text = MINIMAL.replace("target: 5", "target: five")
    assert problems_of(text) == [
        "objectives[0].key_results[0].target: 'five' is not a number (write it like 6,500.5) (line 8)"
    ]


@pytest.mark.parametrize(
    "written, problem",
    [
        ("1e308", "'1e308' is not a number"),
        (".inf", "'.inf' is not a number"),
        ("0x10", "'0x10' is not a number"),  # YAML alone reads 16
        ("1:30", "'1:30' is not a number"),  # YAML alone reads 90
        ("6.500", "'6.500' is ambiguous on an English board"),
        ("9" * 30, "is too large"),
    ],
)
def test_plan_numbers_are_read_by_the_app_grammar_not_yaml(written, problem):
    text = MINIMAL.replace("target: 5", f"target: {written}")
    [found] = problems_of(text)
    assert found.startswith("objectives[0].key_results[0].target: ") and problem in found


@pytest.mark.parametrize(
    "language, written, target",
    [("en", '"10,000"', 10000), ("en", "99.5", 99.5), ("fr", '"10 000,5"', 10000.5), ("fr", "99.5", 99.5)],
)
def test_plan_numbers_follow_the_plan_language_or_plain_decimals(language, written, target):
    text = MINIMAL.replace("end: 2027-03-31", f"end: 2027-03-31, language: {language}")
    plan = parse_plan(text.replace("target: 5", f"target: {written}"))
    assert plan.cycle.objectives[0].key_results[0].target == target


def test_an_ambiguous_plain_decimal_in_a_french_plan_is_refused():
    text = MINIMAL.replace("end: 2027-03-31", "end: 2027-03-31, language: fr").replace("target: 5", "target: 1.234")
    assert "write 1\u00a0234 or 1,234" in problems_of(text)[0]


def test_unknown_field_is_refused_with_its_path():
    text = MINIMAL.replace("owner: Ana", "owner: Ana\n    colour: red")
    assert problems_of(text) == ["objectives[0].colour: unknown field (line 7)"]


def test_bad_date_is_named():
    text = MINIMAL.replace("end: 2027-03-31", "end: 2027-02-30")
    assert problems_of(text) == ["cycle.end: not a valid date (line 2)"]


def test_empty_title_is_refused():
    text = MINIMAL.replace("title: Win DACH", 'title: ""')
    assert problems_of(text) == ["objectives[0].title: must not be empty (line 4)"]


def test_missing_required_fields_are_all_reported():
    problems = problems_of("cycle: {name: Q1}\n")
    assert "cycle.start: is required (line 1)" in problems
    assert "cycle.end: is required (line 1)" in problems


def test_unknown_enum_value_lists_the_choices():
    text = MINIMAL.replace("type: commitment", "type: stretch")
    [problem] = problems_of(text)
    assert problem.startswith("objectives[0].type: must be one of: commitment, inspirational, learning")


def test_team_cycle_needs_a_team_name():
    text = MINIMAL.replace("end: 2027-03-31}", "end: 2027-03-31, level: team}")
    assert problems_of(text) == ["cycle.team: a team cycle needs a team name (line 2)"]


def test_checkin_dates_must_be_six_and_inside_the_cycle():
    text = MINIMAL.replace("end: 2027-03-31}", "end: 2027-03-31, checkins: [2027-01-10]}")
    assert problems_of(text) == ["cycle.checkins: must list exactly 6 dates (line 2)"]
    dates = "[2027-01-10, 2027-01-20, 2027-02-01, 2027-02-15, 2027-03-01, 2027-04-15]"
    text = MINIMAL.replace("end: 2027-03-31}", f"end: 2027-03-31, checkins: {dates}}}")
    assert problems_of(text) == ["cycle.checkins: every check-in date must fall within the cycle (line 2)"]


def test_invalid_yaml_reports_the_line():
    [problem] = problems_of("cycle: {name: Q1\nobjectives: [")
    assert problem.startswith("line ") and "not valid YAML" in problem


def test_a_plan_that_is_not_a_mapping_is_refused():
    assert problems_of("- just\n- a list\n") == ["the plan must be a mapping with 'cycle' and 'objectives'"]


def test_unreadable_file_is_a_plan_error(tmp_path):
    with pytest.raises(PlanError, match="cannot read the file"):
        load_plan(tmp_path / "missing.yaml")


def test_blank_title_is_refused_like_an_empty_one():
    text = MINIMAL.replace("title: Win DACH", 'title: "   "')
    assert problems_of(text) == ["objectives[0].title: must not be empty (line 4)"]


def maintain_plan(threshold: str, language: str = "en") -> str:
    key_result = "{title: Partners, target: 5, owner: Ben, due: 2027-03-15}"
    return MINIMAL.replace("end: 2027-03-31}", f"end: 2027-03-31, language: {language}}}").replace(
        key_result, f"{{title: Uptime, kind: maintain, {threshold}owner: Ben, due: 2027-03-15}}"
    )


@pytest.mark.parametrize(
    "threshold, language, at_least, at_most",
    [
        ("at_least: 99.5, ", "en", 99.5, None),
        ('at_least: "99,5", ', "fr", 99.5, None),
        ("at_most: 25, ", "en", None, 25.0),
        ("between: [8, 10], ", "en", 8.0, 10.0),
        ('between: ["8,5", "10"], ', "fr", 8.5, 10.0),
    ],
)
def test_maintain_key_results_state_their_threshold(threshold, language, at_least, at_most):
    kr = parse_plan(maintain_plan(threshold, language)).cycle.objectives[0].key_results[0]
    assert (kr.kind, kr.at_least, kr.at_most, kr.target) == (KRKind.MAINTAIN, at_least, at_most, None)


@pytest.mark.parametrize(
    "threshold, problem",
    [
        ("between: [10, 8], ", "between: write the lower bound first: [8, 10]"),
        ("between: [8], ", "between: must be two numbers: [low, high]"),
        ("at_least: 8, at_most: 10, ", "at_most: give one of at_least, at_most or between, not at_least and at_most"),
        ("at_least: 99.5, target: 100, ", "target: a maintain key result with at_least has no target; drop it"),
        ("at_most: 25, start: 30, ", "start: a maintain key result with at_most has no start; drop it"),
        ("at_least: lots, ", "at_least: 'lots' is not a number (write it like 6,500.5)"),
    ],
)
def test_a_bad_threshold_is_refused_naming_its_field(threshold, problem):
    (found,) = problems_of(maintain_plan(threshold))
    assert found.startswith(f"objectives[0].key_results[0].{problem}")


def test_a_threshold_on_another_kind_is_refused():
    text = MINIMAL.replace("target: 5,", "target: 5, at_least: 2,")
    (found,) = problems_of(text)
    assert found.startswith("objectives[0].key_results[0].at_least: only a maintain key result has a threshold")


def test_the_old_maintain_form_still_loads_and_is_read_as_a_range():
    kr = parse_plan(maintain_plan("start: 30, target: 25, ")).cycle.objectives[0].key_results[0]
    assert (kr.start, kr.target, kr.at_least, kr.at_most) == (30.0, 25.0, None, None)
