"""The okrboard CLI for plans and cycles, run the way a user runs it."""

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from addon.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"

BAD_PLAN = """
cycle: {name: Too much, start: 2027-01-01, end: 2027-04-30}
objectives:
  - {title: Reach 10k users, type: commitment, owner: Ana, key_results: [
      {title: Signups, target: 10000, owner: Ben, due: 2027-05-15},
      {title: Activation, target: 40, due: 2027-03-01},
      {title: Referrals, target: 100, owner: Ben, due: 2027-03-01}]}
  - {title: "Become #1 in the DACH region", type: commitment, owner: Ana, key_results: [
      {title: A, target: 1, owner: Ben, due: 2027-03-01}, {title: B, target: 1, owner: Ben, due: 2027-03-01},
      {title: C, target: 1, owner: Ben, due: 2027-03-01}]}
"""


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def write_bad_plan(folder: Path, objectives: int = 6) -> Path:
    extra = "\n".join(
        f"  - {{title: Objective {chr(65 + n)}, type: learning, owner: Eve, key_results: ["
        f"{{title: X, target: 1, owner: Eve, due: 2027-03-01}}, {{title: Y, target: 1, owner: Eve, due: 2027-03-01}},"
        f" {{title: Z, target: 1, owner: Eve, due: 2027-03-01}}]}}"
        for n in range(objectives - 2)
    )
    path = folder / "bad.yaml"
    path.write_text(BAD_PLAN + extra + "\n", encoding="utf-8")
    return path


def test_every_example_validates_with_exit_zero(cli_env):
    run("cycle", "import", str(EXAMPLES / "company-q1.yaml"))  # the team plan's company cycle
    for path in sorted(EXAMPLES.glob("*.yaml")):
        result = run("plan", "validate", str(path))
        assert result.exit_code == 0, (path, result.output)


def test_a_plan_breaking_the_rules_exits_one_and_reports_each_rule_with_its_ref(cli_env):
    result = run("plan", "validate", str(write_bad_plan(cli_env)), "--format", "json")
    assert result.exit_code == 1
    findings = {(f["rule"], f["ref"]) for f in json.loads(result.output)}
    assert {("M1", "cycle"), ("M2", "cycle"), ("M3", "O1"), ("M7", "KR1.2"), ("M7", "KR1.1")} <= findings
    assert not any(rule == "M3" and ref == "O2" for rule, ref in findings)  # "#1" is a rank, not a target


def test_text_output_is_a_readable_table(cli_env):
    result = run("plan", "validate", str(write_bad_plan(cli_env)))
    assert result.exit_code == 1
    assert "KR1.2" in result.output and "has no owner" in result.output and "error(s)" in result.output


def test_an_unparseable_plan_exits_two_with_the_field_named(cli_env):
    path = cli_env / "broken.yaml"
    path.write_text("cycle: {name: Q, start: someday, end: 2027-03-31}\n", encoding="utf-8")
    result = run("plan", "validate", str(path))
    assert result.exit_code == 2
    assert "cycle.start: not a valid date (line 1)" in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_exits_two(cli_env):
    result = run("plan", "validate", str(cli_env / "nope.yaml"))
    assert result.exit_code == 2 and "cannot read the file" in result.output


def test_import_prints_the_id_then_list_and_show_find_it(cli_env):
    result = run("cycle", "import", str(EXAMPLES / "company-q1.yaml"))
    assert result.exit_code == 0
    cycle_id = result.stdout.strip()
    assert cycle_id.isdigit()
    listing = run("cycle", "list")
    assert "GTM Q1 2027" in listing.output
    shown = json.loads(run("cycle", "show", cycle_id, "--format", "json").output)
    assert shown["cycle"]["name"] == "GTM Q1 2027" and shown["cycle"]["status"] == "draft"
    assert [o["ref"] for o in shown["objectives"]] == ["O1", "O2", "O3"]
    kr = shown["objectives"][0]["key_results"][0]
    assert kr == {
        **kr,
        "ref": "KR1.1",
        "kind": "increase",
        "start": 0,
        "target": 5,
        "score": 0.0,
        "owner": "Ben",
        "due": "2027-03-15",
        "ideas": [],
    }
    text = run("cycle", "show", "GTM Q1 2027").output
    assert "KR1.1" in text and "Signed design partners" in text


def test_team_plan_imports_under_its_company_cycle(cli_env):
    company = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    team = run("cycle", "import", str(EXAMPLES / "team-sales-q1.yaml")).stdout.strip()
    shown = json.loads(run("cycle", "show", team, "--format", "json").output)
    assert shown["cycle"]["parent_id"] == int(company)
    assert not [f for f in shown["findings"] if f["rule"] == "M12"]


def test_team_plan_without_its_company_cycle_is_refused_clearly(cli_env):
    result = run("cycle", "import", str(EXAMPLES / "team-sales-q1.yaml"))
    assert result.exit_code == 2
    assert "cycle.parent: no company cycle named 'GTM Q1 2027'" in result.output
    assert "No cycles yet" in run("cycle", "list").output  # nothing half-written


def test_unknown_cycle_is_a_clear_error(cli_env):
    result = run("cycle", "show", "42")
    assert result.exit_code == 1 and "no cycle 42" in result.output


@pytest.mark.parametrize("ref", ["²", "1" * 5000], ids=["superscript-digit", "5000-digits"])
def test_a_cycle_reference_that_only_looks_like_a_number_is_a_clear_error(cli_env, ref):
    result = run("cycle", "show", ref)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"no cycle named '{ref}'" in result.output


def test_db_upgrade_is_idempotent(cli_env):
    assert run("db", "upgrade").exit_code == 0
    assert "up to date" in run("db", "upgrade").output


def every_command(group: click.Group, path: tuple[str, ...] = ()):
    """Yield the path of every command and group under a group, itself included (lazy ones loaded)."""
    yield path
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))
        else:
            yield (*path, name)


def test_every_command_has_help(cli_env):
    paths = list(every_command(main))
    assert len(paths) > 15 and ("kr", "update") in paths and ("emulator",) in paths
    for path in paths:
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert "Usage:" in result.output and len(result.output.splitlines()) > 3, path
