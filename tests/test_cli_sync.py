"""`okrboard sync` and `okrboard kr update`, run the way a user runs them, against the emulator."""

import json
import time

import pytest

from addon.cli import sync as cli_sync
from addon.domain.board import card_text
from tests.cli_kit import EXAMPLES, company_board, edit_card, find_card, run


@pytest.fixture
def board(cli_env, miro, monkeypatch):
    """A generated and tracked board of the company plan; yields (cycle id, board id)."""
    return company_board(miro, monkeypatch, track=True)


def test_sync_prints_what_changed_and_what_it_cost(board, miro):
    cycle_id, board_id = board
    edit_card(miro, board_id, "KR1.1", "<p>Target: 5 · Current: 4 · Score: 0.00</p>")
    result = run("sync", cycle_id)
    assert result.exit_code == 0, result.output
    assert "value    KR1.1 current: - -> 4" in result.output and "board " not in result.output  # just typed
    assert "API calls: 5 (4 list, 1 read, 0 write; 0 read before writing, 0 skipped" in result.output
    miro.set_clock_offset(601)  # left alone for ten minutes by Miro's clock: now its line is normalised
    later = run("sync", cycle_id)
    assert "board    KR1.1: wrote description (normalise)" in later.output
    assert "API calls: 7 (4 list, 2 read, 1 write; 1 read before writing, 0 skipped" in later.output
    again = run("sync", cycle_id)
    assert "Nothing changed. 168 items; API calls: 5 (4 list, 1 read, 0 write; 0 read before writing" in again.output


def test_sync_says_which_write_it_skipped_because_a_teammate_changed_the_card(board, miro):
    cycle_id, board_id = board
    card = find_card(miro, board_id, "KR1.2")[1]
    run("kr", "update", cycle_id, "KR1.2", "--current", "22")
    typed = "<p>Start: 4 demos · Target: 40 demos · Current: 9</p>"
    miro.edit_between(board_id=board_id, item_id=card["id"], body={"data": {"description": typed}}, user_id="ben")
    result = run("sync", cycle_id)
    assert result.exit_code == 0, result.output
    assert "skipped  KR1.2: changed on the board after the listing; not written" in result.output
    assert "1 write; 1 read before writing, 1 skipped: changed under the sync)" not in result.output
    assert "0 write; 1 read before writing, 1 skipped: changed under the sync)" in result.output
    assert card_text.plain_text(find_card(miro, board_id, "KR1.2")[1]["data"]["description"]).endswith("Current: 9")
    merged = run("sync", cycle_id)
    assert "conflict KR1.2 current: board 9, store 22" in merged.output and "kept the board's" in merged.output


def test_a_bad_clock_skew_setting_is_refused_before_anything_is_read(board, monkeypatch):
    monkeypatch.setenv("OKRBOARD_CLOCK_SKEW", "two minutes")
    result = run("sync", board[0])
    assert result.exit_code == 1 and "OKRBOARD_CLOCK_SKEW must be a number of seconds" in result.output


@pytest.mark.parametrize(("skew", "kept"), [(None, 9), ("0", 22)])
def test_commands_that_sync_first_use_the_configured_clock_skew(board, miro, monkeypatch, skew, kept):
    cycle_id, board_id = board
    typed = "<p>Start: 4 demos · Target: 40 demos · Current: 9</p>"
    edit_card(miro, board_id, "KR1.2", typed)
    run("kr", "update", cycle_id, "KR1.2", "--current", "22")  # a moment after the teammate typed 9
    if skew is not None:
        monkeypatch.setenv("OKRBOARD_CLOCK_SKEW", skew)
    report = run("report", cycle_id, "--format", "json")  # syncs first, as every reporting command does
    assert report.exit_code == 0, report.output
    shown = json.loads(run("cycle", "show", cycle_id, "--format", "json").stdout)
    # Within the default window the board wins; with no window the newer edit (the store's) does.
    assert shown["objectives"][0]["key_results"][1]["current"] == kept


def test_sync_json_is_for_scripts(board):
    cycle_id, _ = board
    result = json.loads(run("sync", cycle_id, "--format", "json").output)
    assert result["quiet"] is True and result["complete"] is True and result["usage"]["writes"] == 0


def test_kr_update_changes_the_store_and_the_next_sync_writes_the_card(board, miro):
    cycle_id, board_id = board
    updated = run(
        "kr",
        "update",
        cycle_id,
        "KR1.2",
        "--current",
        "22",
        "--score",
        "0.7",
        "--confidence",
        "80%",
        "--comment",
        "Two demos a week",
    )
    assert updated.exit_code == 0 and "KR1.2 Qualified demos booked: current 22, score 0.70 (manual)" in updated.output
    shown = json.loads(run("cycle", "show", cycle_id, "--format", "json").output)
    kr = shown["objectives"][0]["key_results"][1]
    assert (kr["current"], kr["manual_score"], kr["confidence"]) == (22, 0.7, 0.8)
    synced = run("sync", cycle_id)
    assert "board    KR1.2: wrote description (store)" in synced.output
    assert "Current: 22 · Score: 0.70 (manual)" in card_text.plain_text(
        find_card(miro, board_id, "KR1.2")[1]["data"]["description"]
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["KR9.9", "--current", "1"], "has no key result KR9.9"),
        (["KR1.1", "--score", "1.7"], "outside 0 to 1"),
        (["KR1.1", "--current", "lots"], "'lots' is not a number"),
        (["KR1.1", "--current", "1e308"], "'1e308' is not a number"),
        (["KR1.1", "--score", "0,7"], "'0,7' is not a number on an English board (write 0.7)"),
    ],
)
def test_kr_update_refuses_what_it_cannot_store(board, args, message):
    cycle_id, _ = board
    result = run("kr", "update", cycle_id, *args)
    assert result.exit_code == 1 and message in result.output


def test_kr_update_needs_something_to_change(board):
    result = run("kr", "update", board[0], "KR1.1")
    assert result.exit_code == 2 and "at least one" in result.output


def test_cycle_show_lists_the_conflicts_sync_recorded(board, miro, monkeypatch):
    cycle_id, board_id = board
    run("sync", cycle_id)
    edit_card(miro, board_id, "KR1.1", "<p>Target: 5 · Current: 2</p>")
    monkeypatch.setenv("OKRBOARD_CLOCK_SKEW", "0")  # any newer store edit wins, however close to the board's
    time.sleep(0.01)
    run("kr", "update", cycle_id, "KR1.1", "--current", "3")
    assert "conflict KR1.1 current: board 2, store 3 (was -) -> kept the store's" in run("sync", cycle_id).output
    shown = json.loads(run("cycle", "show", cycle_id, "--format", "json").output)
    assert [(c["ref"], c["field"], c["resolution"], c["rule"]) for c in shown["conflicts"]] == [
        ("KR1.1", "current", "store", "the newer human edit wins")
    ]


def test_sync_watch_repeats_until_ctrl_c(board, monkeypatch):
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        if len(waits) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(cli_sync, "sleep", sleep)
    result = run("sync", board[0], "--watch", "--interval", "5")
    assert result.exit_code == 0 and waits == [5.0, 5.0]
    assert result.output.count("Nothing changed.") == 2 and "Stopped after 2 syncs." in result.output


def test_sync_of_a_cycle_without_a_board_says_to_generate(cli_env, miro, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    result = run("sync", cycle_id)
    assert result.exit_code == 1 and "okrboard generate" in result.output


def test_watch_stops_after_the_rounds_it_was_given():
    runs = []
    assert cli_sync.watch(lambda: runs.append(1), 60, sleep=lambda _s: None, rounds=3) == 3 and runs == [1, 1, 1]


@pytest.mark.parametrize("typed", ["1e308", "0x10", "1_000", "9" * 400, "6.500"])
def test_a_number_another_reader_would_misread_is_a_finding_and_json_stays_strict(board, miro, typed):
    cycle_id, board_id = board
    before = run("cycle", "show", cycle_id, "--format", "json").output
    edit_card(miro, board_id, "KR1.1", f"<p>Target: 5 · Current: {typed} · Score: 0.00</p>")
    result = run("sync", cycle_id, "--format", "json")
    [finding] = [f for f in json.loads(result.output)["findings"] if f["kind"] == "bad_text"]
    assert finding["ref"] == "KR1.1" and "Current" in finding["message"]

    def refuse(constant):
        raise AssertionError(f"not strict JSON: {constant}")

    after = run("cycle", "show", cycle_id, "--format", "json").output
    assert json.loads(after, parse_constant=refuse) == json.loads(before)


def test_a_quiet_sync_still_names_the_problems_left_on_the_board(board, miro):
    cycle_id, board_id = board
    edit_card(miro, board_id, "KR2.1", "<p>Score: abc</p>")
    found = run("sync", cycle_id)
    assert "finding " in found.output and "abc" in found.output and "open     " not in found.output  # said once
    miro.set_clock_offset(601)  # left alone ten minutes: the card gets its ⚠ note, and later syncs are quiet
    assert run("sync", cycle_id).exit_code == 0
    quiet = run("sync", cycle_id)
    assert "Nothing changed." in quiet.output and "finding " not in quiet.output, quiet.output
    [line] = [line for line in quiet.output.splitlines() if line.startswith("open ")]
    assert "KR2.1" in line and "abc" in line
    assert json.loads(run("sync", cycle_id, "--format", "json").stdout)["open_problems"][0]["ref"] == "KR2.1"
