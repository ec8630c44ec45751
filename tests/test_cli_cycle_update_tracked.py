"""`okrboard cycle update CYCLE FILE` on a tracking cycle: every change goes through rule M9, logged with its reason,
all of them or none."""

import pytest

from miro_client import MiroClient
from tests.cli_kit import EXAMPLES, company_board, run
from tests.test_cli_cycle_update import COMPANY, drop_objective, edited, plan, show, swap_first_objectives
from tests.test_cli_objectives import set_status
from tests.test_cli_room_to_grow import items

FIRST_HALF = "2027-01-20"  # the company cycle runs 2027-01-04 .. 2027-03-31; its first half ends 2027-02-16
SECOND_HALF = "2027-03-01"
OWNERLESS_KR = "      - {title: Partner referrals, target: 8, due: 2027-03-20}\n"


@pytest.fixture
def tracking(cli_env):
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    set_status(cli_env, cycle_id, "tracking")
    return cycle_id


def changes_logged(view):
    """Every change-log entry of the cycle as (ref, action, forced, reason)."""
    entries = [(o["ref"], c) for o in view["objectives"] for c in o.get("changes", [])]
    entries += [
        (kr["ref"], c)
        for o in view["objectives"]
        for kr in o["key_results"] + o.get("removed_key_results", [])
        for c in kr.get("changes", [])
    ]
    return sorted((ref, c["action"], c["forced"], c["reason"]) for ref, c in entries)


def test_a_tracked_update_is_applied_as_logged_m9_changes(tracking, cli_env):
    result = run("cycle", "update", tracking, edited(cli_env), "--reason", "Board review", "--on", FIRST_HALF)
    assert result.exit_code == 0, result.output
    assert "Logged:" in result.output and f"{FIRST_HALF} KR1.2 replaced: Board review" in result.output
    after = show(tracking)
    assert changes_logged(after) == [
        ("KR1.2", "replaced", False, "Board review"),
        ("KR1.3", "removed", False, "Board review"),
        ("KR4.1", "added", False, "Board review"),
        ("O2", "updated", False, "Board review"),
        ("O4", "added", False, "Board review"),
    ]
    o1, o2, o4 = after["objectives"][0], after["objectives"][1], after["objectives"][3]
    assert [(kr["ref"], kr["target"]) for kr in o1["key_results"]] == [("KR1.1", 5), ("KR1.2", 45)]
    assert o2["title"] == "Earn the trust of compliance teams" and o2["changes"][0]["previous"].startswith("Win")
    assert [(kr["ref"], kr["status"]) for kr in o4["key_results"]] == [("KR4.1", "not_started")]
    text = run("cycle", "show", tracking).output
    assert f"{FIRST_HALF} KR1.3 removed: Board review" in text


def test_a_dry_run_shows_what_would_be_logged_and_changes_nothing(tracking, cli_env):
    before = show(tracking)
    result = run("cycle", "update", tracking, edited(cli_env), "--reason", "Board review", "--on", FIRST_HALF,
                 "--dry-run")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Would log:" in result.output and f"{FIRST_HALF} O4 added: Board review" in result.output
    assert "nothing was changed (--dry-run)" in result.output and show(tracking) == before


def test_past_mid_cycle_every_change_is_refused_by_ref_unless_forced(tracking, cli_env):
    before = show(tracking)
    late = run("cycle", "update", tracking, edited(cli_env), "--reason", "Late review", "--on", SECOND_HALF)
    assert late.exit_code == 1 and "nothing was changed" in late.output, late.output
    for ref in ("KR1.2", "KR1.3", "O2", "O4"):
        assert f"│ {ref} " in late.output, ref
    assert "first half of the cycle" in late.output and show(tracking) == before
    forced = run("cycle", "update", tracking, edited(cli_env), "--reason", "Late review", "--on", SECOND_HALF,
                 "--force")  # fmt: skip
    assert forced.exit_code == 0, forced.output
    assert f"{SECOND_HALF} KR1.2 replaced (forced): Late review" in forced.output
    assert all(forced_flag for _, _, forced_flag, _ in changes_logged(show(tracking)))


def test_a_tracked_update_without_a_reason_is_refused(tracking, cli_env):
    before = show(tracking)
    result = run("cycle", "update", tracking, edited(cli_env), "--on", FIRST_HALF)
    assert result.exit_code == 1 and "--reason" in result.output and "is tracking" in result.output
    assert show(tracking) == before


def test_one_refused_change_leaves_the_store_exactly_as_it_was(tracking, cli_env):
    before = show(tracking)
    text = COMPANY.replace("target: 40", "target: 45")  # allowed on its own
    marker = "      - {title: Sales cycle length"
    text = text.replace(marker, OWNERLESS_KR + marker)  # a key result nobody owns (M7)
    result = run("cycle", "update", tracking, plan(cli_env, text), "--reason", "Review", "--on", FIRST_HALF)
    assert result.exit_code == 1 and "1 change(s) refused" in result.output, result.output
    assert "M7" in result.output and "KR1.4" in result.output and "Traceback" not in result.output
    assert show(tracking) == before


@pytest.mark.parametrize(
    "edit, named",
    [
        (lambda text: drop_objective(text, "Win the trust"), "O2 would be removed"),
        (swap_first_objectives, "O1 would become O2"),
        (lambda text: text.replace("start: 2027-01-04", "start: 2027-01-11"), "cycle.start: a tracking cycle keeps"),
        (lambda text: text.replace("language: en", "language: fr"), "cycle.language"),
    ],
)
def test_what_the_method_keeps_while_tracking_is_refused_by_name(tracking, cli_env, edit, named):
    before = show(tracking)
    result = run("cycle", "update", tracking, plan(cli_env, edit(COMPANY)), "--reason", "Review", "--on", FIRST_HALF)
    assert result.exit_code == 1 and named in " ".join(result.output.split()), result.output
    assert show(tracking) == before


def test_the_plans_values_are_left_to_the_board_while_tracking(tracking, cli_env):
    text = COMPANY.replace("target: 40,", "target: 40, current: 12,")
    result = run("cycle", "update", tracking, plan(cli_env, text), "--reason", "Review", "--on", FIRST_HALF)
    assert result.exit_code == 0 and "already matches" in result.output, result.output
    assert "Not applied: KR1.2 current: (none) -> 12" in result.output
    assert show(tracking)["objectives"][0]["key_results"][1]["current"] is None


def test_after_a_tracked_update_sync_relabels_the_board(cli_env, miro, monkeypatch):
    cycle_id, board_id = company_board(miro, monkeypatch, track=True)
    text = COMPANY.replace("Qualified demos booked", "Partner-sourced demos")
    text = text.replace("Win the trust of", "Earn the trust of")
    result = run("cycle", "update", cycle_id, plan(cli_env, text), "--reason", "Focus", "--on", FIRST_HALF)
    assert result.exit_code == 0, result.output
    synced = run("sync", cycle_id)
    assert synced.exit_code == 0, synced.output
    texts = [i["text"] for i in items(MiroClient(miro.token, base_url=miro.base_url), board_id)]
    assert "KR1.2 · Partner-sourced demos" in texts
    assert any(t.startswith("Ideas for KR1.2: Partner-sourced demos") for t in texts)
    assert any("Earn the trust of compliance teams" in t for t in texts)
    assert not [t for t in texts if "Qualified demos booked" in t or "Win the trust" in t]


def test_a_key_result_beyond_the_boards_places_is_refused_and_nothing_is_stored(cli_env, miro, monkeypatch):
    cycle_id, _board_id = company_board(miro, monkeypatch, track=True)
    before = show(cycle_id)
    marker = "      - {title: Sales cycle length"
    extra = "".join(
        f"      - {{title: Partner deals {n}, target: 5, owner: Ben, due: 2027-03-20}}\n" for n in (1, 2, 3)
    )
    result = run("cycle", "update", cycle_id, plan(cli_env, COMPANY.replace(marker, extra + marker)),
                 "--reason", "More partners", "--on", FIRST_HALF)  # fmt: skip
    assert result.exit_code == 1 and "nothing was changed" in result.output, result.output
    assert "no free key-result place" in " ".join(result.output.split()) and "already has 5" in result.output
    assert show(cycle_id) == before
