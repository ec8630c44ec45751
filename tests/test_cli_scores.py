"""`cycle show`: progress beyond target beside the capped score, confidence, health and the attention list."""

import json
from pathlib import Path

from click.testing import CliRunner

from addon.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
MID_FEBRUARY = "2027-02-15"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def scored_cycle() -> str:
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    updates = [
        ("KR1.1", "--current", "6"),  # 6 of 5 partners: 120 %
        ("KR1.2", "--current", "30", "--confidence", "30%"),  # on pace, but its owner doubts it
        ("KR2.1", "--current", "0"),  # a milestone due 2027-02-15, not done on its due date
        ("KR2.3", "--current", "99.1"),  # uptime below its 99.5 floor
    ]
    for ref, *options in updates:
        assert run("kr", "update", cycle_id, ref, *options).exit_code == 0
    return cycle_id


def by_ref(view):
    return {kr["ref"]: kr for o in view["objectives"] for kr in o["key_results"]}


def test_json_carries_progress_capped_score_confidence_and_health(cli_env):
    cycle_id = scored_cycle()
    view = json.loads(run("cycle", "show", cycle_id, "--format", "json", "--on", MID_FEBRUARY).output)
    krs = by_ref(view)
    assert (krs["KR1.1"]["progress"], krs["KR1.1"]["score"]) == (1.2, 1.0)
    assert krs["KR1.2"]["confidence"] == 0.3 and krs["KR1.2"]["health"]["health"] == "on_track"
    assert krs["KR2.1"]["health"]["health"] == "off_track"
    assert krs["KR2.3"]["at_least"] == 99.5 and krs["KR2.3"]["health"] == {
        "health": "off_track",
        "reasons": ["99.1 is outside >= 99.5"],
        "breach": None,
    }
    assert view["objectives"][0]["score"] <= 1.0
    attention = {a["ref"]: a for a in view["attention"]}
    assert {"KR1.2", "KR2.1", "KR2.3"} <= set(attention)
    assert "KR1.1" not in attention
    assert attention["KR1.2"]["reasons"] == ["confidence 30% is below 50%"]


def test_text_shows_the_stretch_the_threshold_the_confidence_and_what_needs_attention(cli_env):
    cycle_id = scored_cycle()
    text = run("cycle", "show", cycle_id, "--on", MID_FEBRUARY).output
    assert "1.00 (120%)" in text
    assert ">= 99.5" in text
    assert "30%" in text
    assert "Needs attention" in text and "KR2.3   off track: 99.1 is outside >= 99.5" in text
