"""Rule M9 through the CLI: key results change freely in the first half, only with --force later, always logged."""

import json

import pytest

from tests.cli_kit import run, tracked_cycle

LAST_DAY_OF_FIRST_HALF = "2027-02-16"  # the cycle runs 2027-01-04 .. 2027-03-31


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


UPTIME = ["--title", "API uptime", "--kind", "maintain", "--unit", "%", "--owner", "Dev", "--due", "2027-03-31"]


def test_a_maintain_key_result_is_added_with_its_threshold(cli_env):
    cycle_id = tracked_cycle(cli_env)
    for objective, option in (
        ("O1", ["--at-least", "99.5"]),
        ("O2", ["--at-most", "25"]),
        ("O3", ["--between", "8", "10"]),
    ):
        result = run("kr", "add", cycle_id, objective, *UPTIME, *option, "--reason", "ops", "--on", "2027-01-10")
        assert result.exit_code == 0, result.output
    added = [o["key_results"][-1] for o in show(cycle_id)["objectives"]]
    assert [(k["kind"], k["at_least"], k["at_most"], k["target"]) for k in added] == [
        ("maintain", 99.5, None, None),
        ("maintain", None, 25, None),
        ("maintain", 8, 10, None),
    ]


def test_replacing_a_threshold_drops_the_old_one(cli_env):
    cycle_id = tracked_cycle(cli_env)
    run("kr", "add", cycle_id, "O2", *UPTIME, "--at-least", "99.5", "--reason", "ops", "--on", "2027-01-10")
    ref = f"KR2.{len(show(cycle_id)['objectives'][1]['key_results'])}"
    result = run("kr", "replace", cycle_id, ref, "--at-most", "0.5", "--reason", "error rate", "--on", "2027-01-11")
    assert result.exit_code == 0, result.output
    kr = show(cycle_id)["objectives"][1]["key_results"][-1]
    assert (kr["at_least"], kr["at_most"]) == (None, 0.5)


@pytest.mark.parametrize(
    "options, message",
    [
        (["--at-least", "lots"], "--at-least: 'lots' is not a number"),
        (["--between", "10", "8"], "--between: write the lower bound first (8 10)."),
        (["--at-least", "1", "--at-most", "2"], "give one of --at-least, --at-most or --between"),
        (["--at-least", "99", "--target", "100"], "--target: a maintain key result with --at-least has no target."),
    ],
)
def test_a_bad_threshold_is_refused_naming_the_option(cli_env, options, message):
    cycle_id = tracked_cycle(cli_env)
    before = show(cycle_id)["objectives"][1]["key_results"]
    result = run("kr", "add", cycle_id, "O2", *UPTIME, *options, "--reason", "ops", "--on", "2027-01-10")
    assert result.exit_code != 0 and message in result.output
    assert show(cycle_id)["objectives"][1]["key_results"] == before


def test_a_threshold_on_an_increase_is_refused(cli_env):
    cycle_id = tracked_cycle(cli_env)
    result = run("kr", "add", cycle_id, "O1", *NEW_KR, "--at-least", "3", "--reason", "x", "--on", "2027-01-10")
    assert result.exit_code != 0 and "--at-least: only a maintain key result has a threshold" in result.output
