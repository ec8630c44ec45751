"""`okrboard cycle update CYCLE FILE`: a draft follows its edited plan; a closed cycle refuses (tracking cycles:
test_cli_cycle_update_tracked.py)."""

import json

import pytest

from miro_client import MiroClient
from tests.cli_kit import EXAMPLES, run
from tests.test_cli_objectives import set_status
from tests.test_cli_room_to_grow import items

COMPANY = (EXAMPLES / "company-q1.yaml").read_text(encoding="utf-8")
PARTNERS = """
  - title: Make partners sell for us
    type: inspirational
    owner: Ana
    key_results:
      - {title: Partner deals, target: 6, owner: Ben, due: 2027-03-20}
"""


def show(cycle_id):
    return json.loads(run("cycle", "show", cycle_id, "--format", "json").output)


def plan(tmp_path, text, name="edited.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def edited(tmp_path):
    """The company plan with a target raised, a key result dropped, an objective retitled and one added."""
    text = COMPANY.replace("target: 40", "target: 45").replace("Win the trust of", "Earn the trust of")
    text = "\n".join(line for line in text.splitlines() if "Sales cycle length" not in line)
    return plan(tmp_path, text + "\n" + PARTNERS)


@pytest.fixture
def draft(cli_env):
    return run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()


def test_a_draft_follows_its_edited_plan_and_says_what_changed(draft, cli_env):
    before = show(draft)
    dry = run("cycle", "update", draft, edited(cli_env), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[:5] == [
        "- KR1.3 'Sales cycle length'",
        "~ KR1.2 target: 40 -> 45",
        "~ O2 title: 'Win the trust of compliance teams' -> 'Earn the trust of compliance teams'",
        "+ O4 'Make partners sell for us'",
        "+ KR4.1 'Partner deals'",
    ]
    assert "nothing was changed (--dry-run)" in dry.output and show(draft) == before
    applied = run("cycle", "update", draft, edited(cli_env))
    assert applied.exit_code == 0 and f"Cycle {draft} updated (5 change(s))" in applied.output, applied.output
    after = show(draft)
    o1, o2, o4 = after["objectives"][0], after["objectives"][1], after["objectives"][3]
    assert [(kr["ref"], kr["target"]) for kr in o1["key_results"]] == [("KR1.1", 5), ("KR1.2", 45)]
    assert o1["removed_key_results"][0]["ref"] == "KR1.3" and o1["removed_key_results"][0]["changes"] == []
    assert o2["title"] == "Earn the trust of compliance teams"
    assert [kr["ref"] for kr in o4["key_results"]] == ["KR4.1"]
    again = run("cycle", "update", draft, edited(cli_env))
    assert "already matches" in again.output and show(draft) == after


def test_a_key_result_dropped_then_written_again_gets_a_new_ref(draft, cli_env):
    run("cycle", "update", draft, edited(cli_env))
    restored = COMPANY.replace("target: 40", "target: 45").replace("Win the trust of", "Earn the trust of")
    result = run("cycle", "update", draft, plan(cli_env, restored + PARTNERS))
    assert result.exit_code == 0 and "+ KR1.4 'Sales cycle length'" in result.output, result.output


def test_a_closed_cycle_refuses(draft, cli_env):
    set_status(cli_env, draft, "closed")
    result = run("cycle", "update", draft, edited(cli_env))
    assert result.exit_code == 1 and "read-only" in result.output


@pytest.mark.parametrize(
    "change, message",
    [
        (("target: 40", "target: lots"), "objectives[0].key_results[1].target: 'lots' is not a number"),
        (("start: 2027-01-04", "start: 2027-13-04"), "cycle.start"),
        (("type: commitment", "type: stretch"), "objectives[0].type: must be one of"),
        (("level: company", "level: team\n  team: Sales"), "cycle.level: GTM Q1 2027 is a company cycle"),
    ],
)
def test_a_bad_plan_is_refused_naming_the_field_and_nothing_changes(draft, cli_env, change, message):
    before = show(draft)
    result = run("cycle", "update", draft, plan(cli_env, COMPANY.replace(*change)))
    assert result.exit_code in (1, 2) and message in result.output, result.output
    assert "Traceback" not in result.output and show(draft) == before


def test_bad_arguments_are_named(draft, cli_env):
    missing = run("cycle", "update", draft, str(cli_env / "nowhere.yaml"))
    assert missing.exit_code == 2 and "nowhere.yaml" in missing.output
    unknown = run("cycle", "update", "42", edited(cli_env))
    assert unknown.exit_code == 1 and "no cycle 42" in unknown.output


def test_a_team_plan_whose_company_cycle_is_unknown_says_so_as_import_does(cli_env):
    run("cycle", "import", str(EXAMPLES / "company-q1.yaml"))
    team = run("cycle", "import", str(EXAMPLES / "team-sales-q1.yaml")).stdout.strip()
    text = (EXAMPLES / "team-sales-q1.yaml").read_text(encoding="utf-8").replace("GTM Q1 2027", "GTM Q9")
    result = run("cycle", "update", team, plan(cli_env, text))
    assert result.exit_code == 2 and "cycle.parent: no company cycle named 'GTM Q9' in the store" in result.output


def test_a_taken_name_is_refused(draft, cli_env):
    run("cycle", "import", plan(cli_env, COMPANY.replace("GTM Q1 2027", "GTM Q2 2027"), "q2.yaml"))
    result = run("cycle", "update", draft, plan(cli_env, COMPANY.replace("GTM Q1 2027", "GTM Q2 2027")))
    assert result.exit_code == 1 and "already named 'GTM Q2 2027'" in result.output


def drop_objective(text: str, title: str) -> str:
    """The plan without one objective (its block runs to the next objective)."""
    head, *objectives = text.split("\n  - title: ")
    return "\n  - title: ".join([head] + [block for block in objectives if not block.startswith(title)])


def test_objectives_keep_their_places_once_a_team_aligns_to_them(cli_env):
    company = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    team = run("cycle", "import", str(EXAMPLES / "team-sales-q1.yaml")).stdout.strip()
    aligned = sorted({o["aligned_to"] for o in show(team)["objectives"] if o["aligned_to"]})
    title = show(company)["objectives"][int(aligned[0][1:]) - 1]["title"]
    result = run("cycle", "update", company, plan(cli_env, drop_objective(COMPANY, title)))
    assert result.exit_code == 1 and f"team cycle {team}" in result.output and "nothing was changed" in result.output


def test_on_a_draft_with_a_board_objectives_stay_and_a_removed_key_result_syncs_into_nothing(
    cli_env, miro, monkeypatch
):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    draft = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    assert run("generate", draft).exit_code == 0
    [board_id] = miro.state.boards
    client = MiroClient(miro.token, base_url=miro.base_url)
    gone = run("cycle", "update", draft, plan(cli_env, drop_objective(COMPANY, "Win the trust")))
    assert gone.exit_code == 1 and "O2 would be removed" in gone.output and "has a board" in gone.output
    without_demos = "\n".join(line for line in COMPANY.splitlines() if "Qualified demos" not in line)
    retitled = without_demos.replace("Signed design partners", "Signed design partner banks")
    applied = run("cycle", "update", draft, plan(cli_env, retitled + "\n" + PARTNERS))
    assert applied.exit_code == 0 and "- KR1.2 'Qualified demos booked'" in applied.output, applied.output
    assert "~ KR1.1 title: 'Signed design partners' -> 'Signed design partner banks'" in applied.output
    assert [kr["ref"] for kr in show(draft)["objectives"][0]["key_results"]] == ["KR1.1", "KR1.3"]
    assert run("generate", draft).exit_code == 0
    texts = [i["text"] for i in items(client, board_id)]
    assert "KR4.1 · Partner deals" in texts
    frame = next(i for i in items(client, board_id) if i["type"] == "frame" and i["text"].startswith("Ideas for KR1.2"))
    client.create_sticky_note(
        board_id, data={"content": "<p>Shorter contracts</p>"}, position={"x": 300, "y": 300}, parent_id=frame["id"]
    )
    synced = run("sync", draft)
    assert synced.exit_code == 0, synced.output
    cards = {i["text"] for i in items(client, board_id) if i["type"] == "card"}
    assert "KR1.1 · Signed design partner banks" in cards and "KR1.1 · Signed design partners" not in cards
    ideas = [i["text"] for o in show(draft)["objectives"] for kr in o["key_results"] for i in kr["ideas"]]
    assert "Shorter contracts" not in ideas


def swap_first_objectives(text: str) -> str:
    """The plan with O1 and O2 in each other's place."""
    head, first, second, *rest = text.split("\n  - title: ")
    return "\n  - title: ".join([head, second, first, *rest])


def test_objectives_reordered_in_a_drafts_plan_are_reordered_not_ignored(draft, cli_env):
    result = run("cycle", "update", draft, plan(cli_env, swap_first_objectives(COMPANY)))
    assert result.exit_code == 0 and "~ O1 moved to O2" in result.output, result.output
    assert show(draft)["objectives"][0]["title"] == "Win the trust of compliance teams"
