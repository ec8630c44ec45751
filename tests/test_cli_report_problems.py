"""`report --no-sync` shows the last sync's card problems from the store, as long as the board still has them
(a problem the card shows as its ⚠ note included)."""

import json

from addon.domain.board import card_text
from tests.cli_kit import company_board, edit_card, find_card, run


def card_problems(cycle_id: str) -> list[tuple[str, str]]:
    report = json.loads(run("report", cycle_id, "--format", "json", "--no-sync").stdout)
    assert report["report"]["synced"] is False
    return [(a["ref"], a["message"]) for a in report["attention"] if a["kind"] == "card_problem"]


def test_a_report_without_sync_shows_the_card_problems_the_last_sync_found(cli_env, miro, monkeypatch):
    cycle_id, board_id = company_board(miro, monkeypatch, track=True)
    assert card_problems(cycle_id) == []
    edit_card(miro, board_id, "KR2.1", "<p>Score: abc</p>")
    assert run("sync", cycle_id).exit_code == 0
    [(ref, message)] = card_problems(cycle_id)
    assert ref == "KR2.1" and "abc" in message

    assert run("sync", cycle_id).exit_code == 0  # nothing changed: the problem is still on the board
    edit_card(miro, board_id, "KR1.1", "<p>Target: 5 · Current: 2 · Score: 0.00</p>")
    assert run("sync", cycle_id).exit_code == 0  # reads KR1.1 only; KR2.1 still says abc
    assert [ref for ref, _ in card_problems(cycle_id)] == ["KR2.1"]
    markdown = run("report", cycle_id, "--format", "md", "--no-sync").stdout
    assert "KR2.1" in markdown and "abc" in markdown

    edit_card(miro, board_id, "KR2.1", "<p>Score: 0.5</p>")
    assert run("sync", cycle_id).exit_code == 0
    assert card_problems(cycle_id) == []  # fixed on the board: gone from the report


def card_description(miro, board_id: str, ref: str) -> str:
    return card_text.plain_text(find_card(miro, board_id, ref)[1]["data"]["description"])


def test_a_problem_noted_on_the_card_stays_listed_until_the_note_goes(cli_env, miro, monkeypatch):
    cycle_id, board_id = company_board(miro, monkeypatch, track=True)
    edit_card(miro, board_id, "KR2.1", "<p>Score: abc</p>")
    assert run("sync", cycle_id).exit_code == 0
    miro.set_clock_offset(601)  # ten minutes on by Miro's clock: the card is rewritten with its ⚠ note
    rewritten = run("sync", cycle_id)
    assert rewritten.exit_code == 0 and "KR2.1: noted on the card: Score 'abc'" in rewritten.output
    assert "⚠" in card_description(miro, board_id, "KR2.1")

    for _ in range(2):  # the syncs after the rewrite read no bad text, but the card still shows the note
        assert run("sync", cycle_id).exit_code == 0
        [(ref, message)] = card_problems(cycle_id)
        assert ref == "KR2.1" and "noted on the card" in message and "abc" in message

    lines = card_description(miro, board_id, "KR2.1").split("\n")
    edit_card(miro, board_id, "KR2.1", "".join(f"<p>{line}</p>" for line in lines if not line.startswith("⚠")))
    assert run("sync", cycle_id).exit_code == 0
    assert card_problems(cycle_id) == []  # the teammate removed the note: the problem is dealt with
