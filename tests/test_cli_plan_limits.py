"""Plan files a person gets wrong: `plan validate` and `cycle import` refuse them the same way, and store nothing."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from addon.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
COMPANY = (EXAMPLES / "company-q1.yaml").read_text(encoding="utf-8")


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def both(path):
    """Validate then import a plan; return both results and the cycles listed after."""
    validated, imported = run("plan", "validate", str(path)), run("cycle", "import", str(path))
    return validated, imported, run("cycle", "list", "--format", "json").output


def objectives(count: int) -> str:
    head = COMPANY.split("objectives:")[0]
    one = "  - title: Objective {n}\n    key_results:\n      - {{title: Result {n}, target: 3}}\n"
    return head + "objectives:\n" + "".join(one.format(n=n) for n in range(count))


@pytest.mark.parametrize(
    "text, message",
    [
        (re.sub(r"(  - title: )[^\n]*", r"\1Become #1 in DACH", COMPANY, count=1), "' #' starts a YAML comment"),
        (objectives(11), "at most 10 objectives (this plan has 11)"),
        (COMPANY.replace("name: GTM Q1 2027", "name: " + "x" * 201), "cycle.name: at most 200 characters"),
        ("cycle: " + "[" * 3000 + "]" * 3000, "nested deeper than 12 levels"),
        ("x: &a [1]\ny: *a\n", "aliases (*name) are not allowed"),
        (objectives(9000), "bytes; a plan file may have at most"),
        (COMPANY.replace("  - title:", "  - title: First\n    title:", 1), "objectives[0].title: given twice"),
        (COMPANY.replace("start: 2027-01-04", "start: 2027-04-04", 1), "cycle.end: the cycle must end after it starts"),
        (COMPANY.replace("start: 2027-01-04", "start: 29021029", 1), "cycle.start: not a valid date"),
    ],
)
def test_a_bad_plan_is_refused_by_validate_and_import_alike(cli_env, text, message):
    path = cli_env / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    empty = run("cycle", "list", "--format", "json").output
    validated, imported, listed = both(path)
    assert validated.exit_code == imported.exit_code == 2, (validated.output, imported.output)
    assert message.lower() in validated.output.lower() and message.lower() in imported.output.lower()
    assert "Traceback" not in validated.output + imported.output and listed == empty


def test_the_cut_title_names_its_line_and_how_to_quote_it(cli_env):
    path = cli_env / "plan.yaml"
    path.write_text(re.sub(r"(  - title: )[^\n]*", r"\1Become #1 in DACH", COMPANY, count=1), encoding="utf-8")
    result = run("plan", "validate", str(path))
    assert "objectives[0].title" in result.output and "(line " in result.output
    assert 'title: "Become #1 in DACH"' in result.output


def test_a_team_plan_with_an_unknown_company_cycle_is_refused_alike(cli_env):
    validated, imported, _ = both(EXAMPLES / "team-sales-q1.yaml")
    said = "no company cycle named 'GTM Q1 2027' in the store"
    assert validated.exit_code == imported.exit_code == 2
    assert said in validated.output and said in imported.output
