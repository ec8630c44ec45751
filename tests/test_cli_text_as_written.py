"""Names, titles and messages are printed as written: square brackets in them are text, never console styling."""

import json

from tests.cli_kit import EXAMPLES, run


def test_brackets_in_a_plan_are_shown_as_typed_by_import_show_and_list(cli_env, tmp_path):
    plan = (EXAMPLES / "company-q1.yaml").read_text(encoding="utf-8")
    plan = plan.replace("name: GTM Q1 2027", 'name: "GTM [Q1] 2027 [/draft]"')
    plan = plan.replace("title: Win the trust of compliance teams", 'title: "Win the trust of [bold]compliance[/]"')
    path = tmp_path / "brackets.yaml"
    path.write_text(plan, encoding="utf-8")
    cycle_id = run("cycle", "import", str(path)).stdout.strip()
    shown = run("cycle", "show", cycle_id)
    assert shown.exit_code == 0, shown.output
    assert "GTM [Q1] 2027 [/draft]" in shown.output and "Win the trust of [bold]compliance[/]" in shown.output
    assert "GTM [Q1] 2027 [/draft]" in run("cycle", "list").output
    assert json.loads(run("cycle", "show", cycle_id, "--format", "json").stdout)["cycle"]["name"].startswith("GTM [")
