"""A cycle's life from the command line: a second import, name look-ups, rename, delete, the full `cycle show`."""

import json
from pathlib import Path

from click.testing import CliRunner

from addon.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
COMPANY, TEAM = str(EXAMPLES / "company-q1.yaml"), str(EXAMPLES / "team-sales-q1.yaml")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def listed():
    return run("cycle", "list").output


def test_importing_the_same_plan_again_is_refused_unless_as_new(cli_env):
    first = run("cycle", "import", COMPANY).stdout.strip()
    before = listed()
    again = run("cycle", "import", COMPANY)
    assert again.exit_code == 1 and f"already in the store (id {first})" in again.output and "--as-new" in again.output
    assert listed() == before
    copy = run("cycle", "import", COMPANY, "--as-new")
    assert copy.exit_code == 0 and copy.stdout.strip() != first


def test_a_name_several_cycles_share_says_so_and_the_team_plan_links_to_none(cli_env):
    first = run("cycle", "import", COMPANY).stdout.strip()
    second = run("cycle", "import", COMPANY, "--as-new").stdout.strip()
    shown = run("cycle", "show", "GTM Q1 2027")
    assert shown.exit_code == 1 and "2 cycles are named 'GTM Q1 2027'" in shown.output
    assert f"ids {first} (" in shown.output and f", {second} (" in shown.output
    before = listed()
    team = run("cycle", "import", TEAM)
    assert team.exit_code == 1 and "2 cycles are named" in team.output and listed() == before


def test_rename_changes_the_name_and_refuses_a_taken_one(cli_env):
    first = run("cycle", "import", COMPANY).stdout.strip()
    renamed = run("cycle", "rename", first, "GTM Q1 2027 (old)")
    assert renamed.exit_code == 0 and "renamed from 'GTM Q1 2027' to 'GTM Q1 2027 (old)'" in renamed.output
    second = run("cycle", "import", COMPANY).stdout.strip()  # no longer a duplicate
    taken = run("cycle", "rename", second, "GTM Q1 2027 (old)")
    assert taken.exit_code == 1 and f"Cycle {first} of that level and team is already named" in taken.output
    assert json.loads(run("cycle", "show", second, "--format", "json").output)["cycle"]["name"] == "GTM Q1 2027"


def test_delete_asks_first_and_keeps_the_company_cycle_of_a_team(cli_env):
    company = run("cycle", "import", COMPANY).stdout.strip()
    team = run("cycle", "import", TEAM).stdout.strip()
    refused = run("cycle", "delete", company, "--yes")
    assert refused.exit_code == 1 and f"company cycle of team cycles {team}" in refused.output
    declined = run("cycle", "delete", team, input="n\n")
    assert declined.exit_code == 1 and "Nothing was deleted" in declined.output
    assert run("cycle", "show", team).exit_code == 0
    deleted = run("cycle", "delete", team, input="y\n")
    assert deleted.exit_code == 0 and "Deleted cycle" in deleted.output
    assert "no cycle" in run("cycle", "show", team).output.lower()


def test_delete_is_refused_while_the_board_is_being_synced_and_leaves_the_board(cli_env, miro, monkeypatch):
    from addon.adapters.store import Store
    from addon.config import load_settings

    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    cycle_id = run("cycle", "import", COMPANY).stdout.strip()
    run("generate", cycle_id)
    [board_id] = miro.state.boards
    store = Store.open(load_settings().store_url)
    with store.board_lease(board_id, holder="a sync"):
        busy = run("cycle", "delete", cycle_id, "--yes")
    assert busy.exit_code == 1 and run("cycle", "show", cycle_id).exit_code == 0
    deleted = run("cycle", "delete", cycle_id, "--yes")
    assert deleted.exit_code == 0 and f"Its Miro board {board_id} stays on Miro" in deleted.output
    assert board_id in miro.state.boards and len(miro.state.boards[board_id].items) == 168


def test_show_lists_checkins_key_result_changes_and_the_retrospective(cli_env, miro, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    cycle_id = run("cycle", "import", COMPANY).stdout.strip()
    run("generate", cycle_id)
    run("track", cycle_id)
    run("checkin", cycle_id, "--on", "2027-01-18", "--note", "kick-off", "--no-sync")
    added = run(
        "kr",
        "add",
        cycle_id,
        "O1",
        "--title",
        "Ten reference calls",
        "--target",
        "10",
        "--reason",
        "asked",
        "--owner",
        "Chloé",
        "--due",
        "2027-03-15",
        "--on",
        "2027-01-20",
    )
    assert added.exit_code == 0, added.output
    shown = run("cycle", "show", cycle_id).output
    assert "Check-ins recorded" in shown and "1. 2027-01-18 · kick-off: KR1.1 0.00" in shown
    assert "Key-result and objective changes" in shown and "added: asked" in shown
