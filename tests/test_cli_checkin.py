"""`okrboard checkin` end to end: sync, record, fill the log; refusals are clear messages."""

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from addon.cli import checkin as cli_checkin
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
    # 9 scores, and the column header now shows the day it was recorded on instead of the planned one
    assert "10 log cells written" in result.output and "two partners signed" in result.output
    checkins = json.loads(run("cycle", "show", cycle_id, "--format", "json").output)["checkins"]
    assert checkins[0]["note"] == "kick-off went well"
    assert {s["ref"]: s["score"] for s in checkins[0]["snapshots"]}["KR1.1"] == 0.4


def _tracked(cli_env, miro, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    run("generate", cycle_id)
    run("track", cycle_id)
    return cycle_id


def _checkins(cycle_id):
    return json.loads(run("cycle", "show", cycle_id, "--format", "json").output)["checkins"]


def test_a_checkin_before_the_cycle_starts_is_refused_and_nothing_recorded(cli_env, miro, monkeypatch):
    cycle_id = _tracked(cli_env, miro, monkeypatch)  # the cycle runs 2027-01-04 to 2027-03-31
    monkeypatch.setattr(cli_checkin, "today", lambda: date(2026, 12, 3))
    before = run("cycle", "show", cycle_id, "--format", "json").output
    for args in ([], ["--on", "2026-12-01"], ["--on", "2027-04-02"]):
        result = run("checkin", cycle_id, *args)
        assert result.exit_code == 1 and "outside the cycle (2027-01-04 to 2027-03-31)" in result.output, args
    assert run("cycle", "show", cycle_id, "--format", "json").output == before


def test_checkins_are_recorded_in_order(cli_env, miro, monkeypatch):
    cycle_id = _tracked(cli_env, miro, monkeypatch)
    assert run("checkin", cycle_id, "--on", "2027-02-01").exit_code == 0
    earlier = run("checkin", cycle_id, "--on", "2027-01-20")
    assert earlier.exit_code == 1 and "would come before check-in 1 (2027-02-01)" in earlier.output
    same_day = run("checkin", cycle_id, "--on", "2027-02-01")
    assert same_day.exit_code == 1 and f"okrboard checkin {cycle_id} --amend 1" in same_day.output
    assert [c["date"] for c in _checkins(cycle_id)] == ["2027-02-01"]


def test_amend_corrects_a_checkin_keeps_the_old_one_and_rewrites_the_log(cli_env, miro, monkeypatch):
    cycle_id = _tracked(cli_env, miro, monkeypatch)
    run("checkin", cycle_id, "--on", "2027-01-18", "--note", "first")
    [board_id] = miro.state.boards
    log_texts = lambda: sorted(  # noqa: E731 - a short probe of the board's log cells
        i.data.get("content", "") for i in miro.state.boards[board_id].items.values() if i.type == "shape"
    )
    shapes_before = log_texts()
    run("kr", "update", cycle_id, "KR1.1", "--current", "4")
    result = run("checkin", cycle_id, "--amend", "1", "--no-sync")
    assert result.exit_code == 0, result.output
    assert "Check-in 1 corrected (its earlier version is kept) on 2027-01-18" in result.output
    [checkin] = _checkins(cycle_id)
    assert checkin["note"] == "first"
    assert {s["ref"]: s["score"] for s in checkin["snapshots"]}["KR1.1"] == 0.8
    assert {s["ref"]: s["score"] for s in checkin["history"][0]["snapshots"]}["KR1.1"] == 0.0
    assert log_texts() != shapes_before and "1 log cells written" in result.output
    missing = run("checkin", cycle_id, "--amend", "3")
    assert missing.exit_code == 1 and "no check-in 3 to correct" in missing.output
    out_of_order = run("checkin", cycle_id, "--amend", "1", "--on", "2027-04-01")
    assert out_of_order.exit_code == 1 and "outside the cycle" in out_of_order.output
