"""A company cycle's roll-up through the CLI: `cycle show` and `report` list its team cycles with their scores."""

import json
from pathlib import Path

from click.testing import CliRunner

from addon.cli import main
from addon.domain.board import card_text
from miro_client import MiroClient
from tests.cli_kit import company_board

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def team_plan(folder: Path, team: str, aligned: dict[str, str | None]) -> Path:
    """Write the example team plan for another team, with each objective's alignment replaced as given."""
    text = (EXAMPLES / "team-sales-q1.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Sales team Q1 2027", f"name: {team} team Q1 2027").replace(
        "team: Sales", f"team: {team}"
    )
    for old, new in aligned.items():
        text = text.replace(f"    aligned_to: {old}\n", f"    aligned_to: {new}\n" if new else "", 1)
    path = folder / f"{team.lower()}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def company_with_teams(tmp_path: Path) -> tuple[str, str, str]:
    company = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    sales = run("cycle", "import", str(EXAMPLES / "team-sales-q1.yaml")).stdout.strip()
    assert run("kr", "update", sales, "KR1.1", "--current", "3").exit_code == 0
    # Marketing leaves its second objective unaligned and points its third at an objective the company lacks.
    marketing_plan = team_plan(tmp_path, "Marketing", {"O2": None, "O3": "O9"})
    marketing = run("cycle", "import", str(marketing_plan)).stdout.strip()
    return company, sales, marketing


def show(cycle: str) -> dict:
    return json.loads(run("cycle", "show", cycle, "--format", "json").stdout)


def test_cycle_show_of_a_company_cycle_lists_its_team_cycles_with_their_scores(cli_env, tmp_path):
    company, sales, marketing = company_with_teams(tmp_path)
    listed = show(company)["team_cycles"]
    assert [(t["id"], t["name"], t["team"]) for t in listed] == [
        (int(sales), "Sales team Q1 2027", "Sales"),
        (int(marketing), "Marketing team Q1 2027", "Marketing"),
    ]
    sales_view = show(sales)
    scores = [o["score"] for o in sales_view["objectives"] if o["score"] is not None]
    assert listed[0]["score"] == round(sum(scores) / len(scores), 2)
    assert listed[0]["score"] > listed[1]["score"]  # Sales moved a key result, Marketing did not
    assert sales_view["team_cycles"] == []  # a team cycle has no cycles under it

    text = run("cycle", "show", company).stdout
    assert "Team cycles" in text and "Marketing team Q1 2027" in text and f"{listed[0]['score']:.2f}" in text


def test_cycle_show_of_a_company_cycle_without_teams_says_nothing_about_them(cli_env):
    company = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    assert show(company)["team_cycles"] == []
    assert "Team cycles" not in run("cycle", "show", company).stdout


def test_the_company_report_places_team_objectives_under_the_company_objective_they_support(cli_env, tmp_path):
    company, sales, marketing = company_with_teams(tmp_path)
    report = json.loads(run("report", company, "--format", "json", "--no-sync").stdout)
    shown = show(company)
    teams = {t["team"]: t for t in report["team_cycles"]}
    for summary in shown["team_cycles"]:  # the report's roll-up is a superset of cycle show's
        assert {k: teams[summary["team"]][k] for k in summary} == summary
    sales_objectives = show(sales)["objectives"]
    assert [(o["ref"], o["aligned_to"], o["score"]) for o in teams["Sales"]["objectives"]] == [
        (o["ref"], o["aligned_to"], o["score"]) for o in sales_objectives
    ]
    assert teams["Sales"]["objectives"][0]["aligned_title"] == report["objectives"][0]["title"]
    assert all(o["finding"] is None for o in teams["Sales"]["objectives"])
    under_o1 = report["objectives"][0]["supported_by"]
    assert {(row["team"], row["ref"]) for row in under_o1} == {("Sales", "O1"), ("Marketing", "O1")}


def test_the_company_report_flags_team_objectives_aligned_to_nothing_with_rule_m12(cli_env, tmp_path):
    company, _, marketing = company_with_teams(tmp_path)
    report = json.loads(run("report", company, "--format", "json", "--no-sync").stdout)
    marketing_rollup = next(t for t in report["team_cycles"] if t["team"] == "Marketing")
    flagged = {o["ref"]: o["finding"] for o in marketing_rollup["objectives"] if o["finding"]}
    # The same findings the team cycle's own `cycle show` gives under rule M12, not a second opinion.
    own = {f["ref"]: f for f in show(marketing)["findings"] if f["rule"] == "M12"}
    assert flagged == own and set(flagged) == {"O2", "O3"}
    assert all(f["rule"] == "M12" for f in flagged.values())
    supporting = {(row["team"], row["ref"]) for o in report["objectives"] for row in o["supported_by"]}
    assert ("Marketing", "O2") not in supporting and ("Marketing", "O3") not in supporting

    markdown = run("report", company, "--format", "md", "--no-sync").stdout
    assert "Marketing team Q1 2027" in markdown and "M12" in markdown


def test_the_company_html_report_shows_the_team_cycles_and_the_unaligned_objectives(cli_env, tmp_path):
    company, _, _ = company_with_teams(tmp_path)
    out = tmp_path / "report.html"
    assert run("report", company, "--format", "html", "--no-sync", "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    section = page[page.index('<section id="team-cycles">') :]
    section = section[: section.index("</section>")]
    assert "Sales team Q1 2027" in section and "Marketing team Q1 2027" in section
    assert section.count('<span class="tag off_track">not aligned</span>') == 2  # Marketing's O2 and O3


def test_a_team_cycle_report_has_no_team_cycles_section(cli_env, tmp_path):
    _, sales, _ = company_with_teams(tmp_path)
    out = tmp_path / "team.html"
    assert run("report", sales, "--format", "html", "--no-sync", "-o", str(out)).exit_code == 0
    assert 'id="team-cycles"' not in out.read_text(encoding="utf-8")
    assert json.loads(run("report", sales, "--format", "json", "--no-sync").stdout)["team_cycles"] == []


def rollup_panel(miro, board_id: str, heading: str) -> str:
    """The plain text of the company board's roll-up panel that starts with `heading`."""
    client = MiroClient(miro.token, base_url=miro.base_url)
    texts = [card_text.plain_text(i["data"].get("content", "")) for i in client.iter_items(board_id, type="shape")]
    return next(t for t in texts if t.startswith(heading))


def test_the_company_board_shows_its_team_cycles_scores_and_sync_refreshes_them(cli_env, miro, monkeypatch, tmp_path):
    company, company_board_id = company_board(miro, monkeypatch, track=False)
    sales = run("cycle", "import", str(EXAMPLES / "team-sales-q1.yaml")).stdout.strip()
    assert run("cycle", "import", str(team_plan(tmp_path, "Marketing", {"O2": None}))).exit_code == 0
    assert run("generate", sales).exit_code == 0
    assert rollup_panel(miro, company_board_id, "Team cycles").split("\n") == [
        "Team cycles (0)",
        "No team cycle is linked to this cycle yet",
    ]  # generated before the teams were imported: the next sync of the company cycle fills it in
    sales_board = next(b for b in miro.state.boards if b != company_board_id)
    client = MiroClient(miro.token, base_url=miro.base_url)
    card = next(
        i
        for i in client.iter_items(sales_board, type="card")
        if card_text.plain_text(i["data"]["title"]).startswith("KR1.1")
    )
    client.update_card(sales_board, card["id"], data={"description": "<p>Target: 3 · Current: 3 · Score: 0.00</p>"})
    assert run("sync", sales).exit_code == 0  # the team's card: KR1.1 done, so O1 scores 0.33
    synced = json.loads(run("sync", company, "--format", "json").stdout)
    assert [p["key"] for p in synced["patches"]] == ["rollup:teams", "rollup:alignment"]
    assert rollup_panel(miro, company_board_id, "Team cycles").split("\n") == [
        "Team cycles (2)",
        "Sales · Sales team Q1 2027 · score 0.11",
        "Marketing · Marketing team Q1 2027 · score 0.00",
    ]
    alignment = rollup_panel(miro, company_board_id, "Team objectives").split("\n")
    under_o1 = alignment[alignment.index(next(line for line in alignment if line.startswith("O1 "))) + 1]
    assert under_o1 == "• Sales O1 · Turn design partners into references · 0.33"
    assert alignment[-2:] == [
        "Not aligned (M12)",
        "• Marketing O2: The objective is not aligned to a company objective.",
    ]
    quiet = json.loads(run("sync", company, "--format", "json").stdout)
    assert quiet["patches"] == [] and quiet["usage"]["writes"] == 0  # nothing changed: nothing written

    assert run("kr", "update", sales, "KR1.2", "--current", "8").exit_code == 0
    refreshed = json.loads(run("sync", company, "--format", "json").stdout)
    assert [p["key"] for p in refreshed["patches"]] == ["rollup:teams", "rollup:alignment"]
    assert "Sales · Sales team Q1 2027 · score 0.22" in rollup_panel(miro, company_board_id, "Team cycles")


def checkin(cycle: str, on: str) -> None:
    result = run("checkin", cycle, "--on", on, "--no-sync")
    assert result.exit_code == 0, result.output


def test_a_company_report_at_a_checkin_shows_each_team_as_its_last_checkin_by_then_recorded_it(
    cli_env, miro, monkeypatch, tmp_path
):
    company, _ = company_board(miro, monkeypatch, track=True)
    sales = run("cycle", "import", str(EXAMPLES / "team-sales-q1.yaml")).stdout.strip()
    marketing = run("cycle", "import", str(team_plan(tmp_path, "Marketing", {}))).stdout.strip()
    for team in (sales, marketing):
        assert run("generate", team).exit_code == 0 and run("track", team).exit_code == 0
    assert run("kr", "update", sales, "KR1.1", "--current", "1").exit_code == 0
    checkin(sales, "2027-01-15")
    at_first = show(sales)["objectives"][0]["score"]
    checkin(company, "2027-01-18")
    assert run("kr", "update", sales, "KR1.1", "--current", "2").exit_code == 0
    checkin(sales, "2027-01-29")
    at_second = show(sales)["objectives"][0]["score"]
    checkin(marketing, "2027-02-01")
    checkin(company, "2027-02-01")  # a team check-in on the company's day counts
    assert run("kr", "update", sales, "KR1.1", "--current", "3").exit_code == 0
    now = show(sales)["objectives"][0]["score"]
    assert at_first < at_second < now

    def teams(*args) -> dict:
        report = json.loads(run("report", company, "--format", "json", "--no-sync", *args).stdout)
        return {t["team"]: t for t in report["team_cycles"]}

    first = teams("--checkin", "1")
    assert first["Sales"]["checkin"] == {"number": 1, "date": "2027-01-15"}
    assert first["Sales"]["objectives"][0]["score"] == at_first
    assert first["Marketing"]["no_checkin_yet"] and first["Marketing"]["checkin"] is None
    assert first["Marketing"]["score"] is None and {o["score"] for o in first["Marketing"]["objectives"]} == {None}
    second = teams("--checkin", "2")
    assert second["Sales"]["checkin"] == {"number": 2, "date": "2027-01-29"}
    assert second["Sales"]["objectives"][0]["score"] == at_second
    assert second["Marketing"]["checkin"] == {"number": 1, "date": "2027-02-01"}
    current = teams()  # without --checkin the report stays the state now
    assert current["Sales"]["objectives"][0]["score"] == now and current["Sales"]["checkin"] is None
    assert not current["Marketing"]["no_checkin_yet"]

    markdown = run("report", company, "--format", "md", "--no-sync", "--checkin", "1").stdout
    assert "Sales team Q1 2027 (Sales) · Score **" in markdown and "(at its check-in 1 (2027-01-15))" in markdown
    assert "Marketing team Q1 2027 (Marketing) · Score **-** (no check-in yet)" in markdown
    out = tmp_path / "at-1.html"
    assert run("report", company, "--format", "html", "--no-sync", "--checkin", "1", "-o", str(out)).exit_code == 0
    section = out.read_text(encoding="utf-8").split('<section id="team-cycles">')[1].split("</section>")[0]
    assert "(at its check-in 1 (2027-01-15))" in section and "(no check-in yet)" in section
