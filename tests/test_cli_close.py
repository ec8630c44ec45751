"""`okrboard close` and `okrboard next-cycle` end to end: final verdicts on the board, then read-only; the next
cycle carries exactly the kept objectives and their unfinished key results."""

import json
from pathlib import Path

from click.testing import CliRunner

from addon.cli import main
from addon.domain.board.card_text import plain_text

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


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


def test_next_cycle_refuses_an_open_cycle_and_unknown_objectives(cli_env, miro, monkeypatch):
    company, _, _ = closed_company_cycle(monkeypatch, miro)
    unknown = run("next-cycle", company, "--start", "2027-04-05", "--keep", "O1,O9")
    assert unknown.exit_code == 1 and "--keep: O9 not in GTM Q1 2027 (it has O1, O2, O3)" in unknown.output
    bad = run("next-cycle", company, "--start", "2027-04-05", "--keep", "first")
    assert bad.exit_code == 2 and "write objective refs such as O1,O3" in bad.output
    other = run("cycle", "import", "--as-new", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    open_cycle = run("next-cycle", other, "--start", "2027-04-05")
    assert open_cycle.exit_code == 1 and f"is not closed: run `okrboard close {other}` first" in open_cycle.output
