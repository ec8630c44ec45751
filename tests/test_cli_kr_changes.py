"""Rule M9 through the CLI: key results change freely in the first half, only with --force later, always logged."""

import json
from pathlib import Path

from click.testing import CliRunner

from addon.adapters.store import Store
from addon.cli import main
from addon.domain.method.model import CycleStatus

EXAMPLES = Path(__file__).parent.parent / "examples"
LAST_DAY_OF_FIRST_HALF = "2027-02-16"  # the cycle runs 2027-01-04 .. 2027-03-31


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def tracked_cycle(cli_env) -> str:
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    store = Store.open(f"sqlite:///{cli_env / 'instance' / 'okrboard.sqlite3'}")
    with store.unit("local") as uow:
        cycle = uow.cycles.get(int(cycle_id))
        cycle.status = CycleStatus.TRACKING
        uow.cycles.save(cycle)
    store.close()
    return cycle_id


def show(cycle_id):
    return json.loads(run("cycle", "show", cycle_id, "--format", "json").output)


NEW_KR = ["--title", "Partner webinars", "--target", "4", "--owner", "Ben", "--due", "2027-03-20"]


def test_adding_on_the_last_day_of_the_first_half_is_allowed_and_logged(cli_env):
    cycle_id = tracked_cycle(cli_env)
    result = run("kr", "add", cycle_id, "O1", *NEW_KR, "--reason", "new channel", "--on", LAST_DAY_OF_FIRST_HALF)
    assert result.exit_code == 0, result.output
    assert "Added KR1.4" in result.output
    kr = show(cycle_id)["objectives"][0]["key_results"][3]
    assert kr["title"] == "Partner webinars" and kr["status"] == "not_started"
    assert not [f for f in show(cycle_id)["findings"] if f["rule"] == "M9"]


def test_adding_the_day_after_is_refused_and_nothing_changes(cli_env):
    cycle_id = tracked_cycle(cli_env)
    result = run("kr", "add", cycle_id, "O1", *NEW_KR, "--reason", "late idea", "--on", "2027-02-17")
    assert result.exit_code == 1
    assert "M9" in result.output and "first half" in result.output
    assert len(show(cycle_id)["objectives"][0]["key_results"]) == 3


def test_a_forced_late_change_is_flagged(cli_env):
    cycle_id = tracked_cycle(cli_env)
    result = run(
        "kr",
        "replace",
        cycle_id,
        "KR2.2",
        "--title",
        "Trust centre live",
        "--reason",
        "audit moved",
        "--on",
        "2027-03-01",
        "--force",
    )
    assert result.exit_code == 0, result.output
    shown = show(cycle_id)
    assert shown["objectives"][1]["key_results"][1]["title"] == "Trust centre live"
    [flag] = [f for f in shown["findings"] if f["rule"] == "M9"]
    assert flag["ref"] == "KR2.2" and "audit moved" in flag["message"]


def test_an_incomplete_key_result_is_refused_while_tracking(cli_env):
    cycle_id = tracked_cycle(cli_env)
    result = run("kr", "add", cycle_id, "O2", "--title", "Something", "--reason", "why not", "--on", "2027-01-10")
    assert result.exit_code == 1 and "M6" in result.output and "M7" in result.output


def test_unknown_refs_are_named(cli_env):
    cycle_id = tracked_cycle(cli_env)
    assert "O9: no such objective" in run("kr", "add", cycle_id, "O9", *NEW_KR, "--reason", "x").output
    assert (
        "KR7.1: no such key result" in run("kr", "replace", cycle_id, "KR7.1", "--title", "x", "--reason", "x").output
    )
