"""`okrboard checkin` end to end: sync, record, fill the log; refusals are clear messages."""

import json
from pathlib import Path

from click.testing import CliRunner

from addon.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_checkin_syncs_records_and_reports(cli_env, miro, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    assert "has no board yet" in run("checkin", cycle_id).output
    run("generate", cycle_id)
    assert "not being tracked: run `okrboard track` first" in run("checkin", cycle_id).output
    run("track", cycle_id)
    run("kr", "update", cycle_id, "KR1.1", "--current", "2", "--comment", "two partners signed")
    result = run("checkin", cycle_id, "--on", "2027-01-20", "--note", "kick-off went well")
    assert result.exit_code == 0, result.output
    assert "Check-in 1 recorded on 2027-01-20, 2 days after its date (2027-01-18)" in result.output
    assert "9 log cells written" in result.output and "two partners signed" in result.output
    checkins = json.loads(run("cycle", "show", cycle_id, "--format", "json").output)["checkins"]
    assert checkins[0]["note"] == "kick-off went well"
    assert {s["ref"]: s["score"] for s in checkins[0]["snapshots"]}["KR1.1"] == 0.4
