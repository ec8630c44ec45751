"""`okrboard close` and `okrboard next-cycle` end to end: final verdicts on the board, then read-only; the next
cycle carries exactly the kept objectives and their unfinished key results."""

import json
from pathlib import Path

from click.testing import CliRunner

from addon.adapters.board_layouts import load_layout
from addon.adapters.plan_file import load_plan
from addon.cli import main
from addon.demo.team import TeamMember
from addon.domain.board.card_text import plain_text
from addon.domain.board.layout import plan_board
from miro_client import MiroClient

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


CARRY_OVER = ["Partner webinar series for KR1.2", "Revisit the O2 questionnaire", "Hire a sales engineer"]


def retrospective(miro, notes: list[str]) -> None:
    """Stick carry-over notes in the company board's retrospective frame, as the team does at the retrospective."""
    [board] = miro.state.boards.values()
    client = MiroClient(miro.token, base_url=miro.base_url)
    retro = next(i for i in client.iter_items(board.id, type="frame") if i["data"]["title"] == "Retrospective")
    plan = plan_board(load_plan(EXAMPLES / "company-q1.yaml").cycle, load_layout())
    member = TeamMember(client, board.id, plan, {"frame:retro": retro["id"]})
    for note in notes:
        member.note_in_area("retro:carry_over", "frame:retro", note)


def closed_company_cycle(monkeypatch, miro) -> tuple[str, str]:
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    company = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    team = run("cycle", "import", str(EXAMPLES / "team-sales-q1.yaml")).stdout.strip()
    run("generate", company)
    run("track", company)
    run("kr", "update", company, "KR1.1", "--current", "5")
    run("kr", "update", company, "KR1.2", "--current", "22")
    run("kr", "update", company, "KR2.2", "--current", "90")
    run("checkin", company, "--on", "2027-01-18")
    retrospective(miro, CARRY_OVER)
    closed = run("close", company, "--on", "2027-03-31")
    assert closed.exit_code == 0, closed.output
    return company, team, closed.output


def test_close_records_final_verdicts_writes_them_on_the_board_and_makes_the_cycle_read_only(
    cli_env, miro, monkeypatch
):
    company, _, output = closed_company_cycle(monkeypatch, miro)
    assert "O1    0.50  commitment    not met" in output and "Written on the board's header." in output
    [board] = miro.state.boards.values()
    header = [item for item in board.items.values() if "Closed on 2027-03-31" in plain_text(item.data.get("content"))]
    assert len(header) == 1 and "O1 0.50 not met" in plain_text(header[0].data["content"])
    report = json.loads(run("report", company, "--format", "json").stdout)  # no sync: the cycle is closed
    assert report["cycle"]["status"] == "closed" and report["report"]["synced"] is False
    assert report["report"]["closing"]["scores"][0] == {
        "ref": "O1",
        "score": 0.5,
        "type": "commitment",
        "band": "below",
        "verdict": "not met",
    }
    for args in (
        ["kr", "update", company, "KR1.1", "--current", "1"],
        ["checkin", company, "--on", "2027-04-01"],
        ["sync", company],
        ["track", company],
        ["generate", company],
        ["close", company],
    ):
        refused = run(*args)
        assert refused.exit_code == 1, (args, refused.output)
        assert "was closed on 2027-03-31 and is read-only" in refused.output and "Traceback" not in refused.output
    assert (
        json.loads(run("cycle", "show", company, "--format", "json").stdout)["objectives"][0]["key_results"][0][
            "current"
        ]
        == 5
    )


def test_next_cycle_carries_exactly_the_kept_objectives_and_their_unfinished_key_results(cli_env, miro, monkeypatch):
    company, team, _ = closed_company_cycle(monkeypatch, miro)
    made = run("next-cycle", company, "--start", "2027-04-05", "--keep", "O1,O2", "--name", "GTM Q2 2027")
    assert made.exit_code == 0, made.output
    view = json.loads(run("cycle", "show", made.stdout.strip(), "--format", "json").stdout)
    assert (view["cycle"]["start"], view["cycle"]["end"], view["cycle"]["status"]) == (
        "2027-04-05",
        "2027-07-04",
        "draft",
    )
    assert [o["title"] for o in view["objectives"]] == [
        "Become the go-to onboarding tool for DACH fintechs",
        "Win the trust of compliance teams",
    ]
    first = view["objectives"][0]["key_results"]
    assert [kr["title"] for kr in first] == ["Qualified demos booked", "Sales cycle length"]  # KR1.1 was met
    assert first[0]["start"] == 22 and first[0]["current"] is None and first[0]["status"] == "draft"
    report = json.loads(run("report", made.stdout.strip(), "--format", "json", "--no-sync").stdout)
    assert (
        report["change_log"][0]["action"] == "carried" and "from GTM Q1 2027 KR1.2" in report["change_log"][0]["reason"]
    )
    teams = json.loads(run("cycle", "show", team, "--format", "json").stdout)
    assert teams["cycle"]["parent_id"] == int(company)  # the team cycle still points at the closed company cycle


def test_next_cycle_links_what_it_carried_to_where_it_came_from_and_turns_carry_over_notes_into_ideas(
    cli_env, miro, monkeypatch
):
    company, _, _ = closed_company_cycle(monkeypatch, miro)
    made = run("next-cycle", company, "--start", "2027-04-05", "--keep", "O1,O2", "--name", "GTM Q2 2027")
    assert "carry over: Partner webinar series for KR1.2 (a draft idea of KR1.1)" in made.output
    assert "carry over: Revisit the O2 questionnaire (a draft idea of KR2.1)" in made.output
    assert "carry over: Hire a sales engineer (a draft idea of KR1.1)" in made.output
    follow = made.stdout.strip()
    view = json.loads(run("cycle", "show", follow, "--format", "json").stdout)
    links = [(o["ref"], o["carried_from"]) for o in view["objectives"]]
    assert links == [
        ("O1", {"cycle_id": int(company), "cycle": "GTM Q1 2027", "ref": "O1"}),
        ("O2", {"cycle_id": int(company), "cycle": "GTM Q1 2027", "ref": "O2"}),
    ]
    krs = {kr["ref"]: kr for o in view["objectives"] for kr in o["key_results"]}
    assert krs["KR1.1"]["carried_from"]["ref"] == "KR1.2" and krs["KR1.2"]["carried_from"]["ref"] == "KR1.3"
    ideas = {ref: [(i["text"], i["impact"], i["effort"]) for i in kr["ideas"]] for ref, kr in krs.items()}
    assert ideas["KR1.1"] == [("Partner webinar series for KR1.2", 5, 5), ("Hire a sales engineer", 5, 5)]
    assert ("Revisit the O2 questionnaire", 5, 5) in ideas["KR2.1"]
    text = run("cycle", "show", follow).stdout
    assert "carried from GTM Q1 2027 O1" in text and f"KR1.1   from GTM Q1 2027 KR1.2 (cycle {company})" in text
    report = json.loads(run("report", follow, "--format", "json", "--no-sync").stdout)
    assert report["objectives"][0]["key_results"][0]["carried_from"] == krs["KR1.1"]["carried_from"]
    markdown = run("report", follow, "--format", "md", "--no-sync").stdout
    assert "| KR1.1 | Qualified demos booked · carried from GTM Q1 2027 KR1.2 |" in markdown


def test_next_cycle_without_kept_objectives_says_the_notes_have_no_key_result_to_hold_them(cli_env, miro, monkeypatch):
    company, _, _ = closed_company_cycle(monkeypatch, miro)
    made = run("next-cycle", company, "--start", "2027-04-05")
    assert made.exit_code == 0, made.output
    assert "carry over: Hire a sales engineer (not placed: the next cycle has no key result to hold it)" in made.output


def test_next_cycle_refuses_an_open_cycle_and_unknown_objectives(cli_env, miro, monkeypatch):
    company, _, _ = closed_company_cycle(monkeypatch, miro)
    unknown = run("next-cycle", company, "--start", "2027-04-05", "--keep", "O1,O9")
    assert unknown.exit_code == 1 and "--keep: O9 not in GTM Q1 2027 (it has O1, O2, O3)" in unknown.output
    bad = run("next-cycle", company, "--start", "2027-04-05", "--keep", "first")
    assert bad.exit_code == 2 and "write objective refs such as O1,O3" in bad.output
    other = run("cycle", "import", "--as-new", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    open_cycle = run("next-cycle", other, "--start", "2027-04-05")
    assert open_cycle.exit_code == 1 and f"is not closed: run `okrboard close {other}` first" in open_cycle.output
