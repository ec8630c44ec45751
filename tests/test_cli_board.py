"""generate, track, board render and demo through the okrboard command, against the emulator."""

import json
from pathlib import Path

from click.testing import CliRunner

from addon.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_generate_track_and_render_a_board(cli_env, miro, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    generated = run("generate", cycle_id)
    assert generated.exit_code == 0, generated.output
    assert "168 created" in generated.output and "API calls:" in generated.output and "credits:" in generated.output
    [board_id] = miro.state.boards
    tracked = run("track", cycle_id)
    assert "9 key-result cards moved" in tracked.output
    shown = json.loads(run("cycle", "show", cycle_id, "--format", "json").output)
    assert {kr["status"] for o in shown["objectives"] for kr in o["key_results"]} == {"not_started"}
    picture = cli_env / "board.png"
    rendered = run("board", "render", board_id, "--out", str(picture))
    assert rendered.exit_code == 0 and picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_generate_without_a_token_says_what_to_set(cli_env):
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    result = run("generate", cycle_id)
    assert result.exit_code == 1 and "MIRO_ACCESS_TOKEN" in result.output


def test_track_refusal_lists_the_blocking_findings(cli_env, miro, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    plan = (
        (EXAMPLES / "company-q1.yaml").read_text(encoding="utf-8").replace("unit: demos, owner: Chloé,", "unit: demos,")
    )
    (cli_env / "plan.yaml").write_text(plan, encoding="utf-8")
    cycle_id = run("cycle", "import", str(cli_env / "plan.yaml")).stdout.strip()
    run("generate", cycle_id)
    result = run("track", cycle_id)
    assert result.exit_code == 1
    assert "KR1.2" in result.output and "M7" in result.output and "not ready" in result.output


def test_render_refuses_an_unknown_picture_format(cli_env, miro, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    result = run("board", "render", "whatever", "--out", "board.gif")
    assert result.exit_code == 2 and ".svg or .png" in result.output


def test_demo_runs_the_loop_and_writes_a_picture(cli_env):
    result = run("demo", "--out", str(cli_env / "out"))
    assert result.exit_code == 0, result.output
    assert "Generated board" in result.output and "Started tracking: 9" in result.output
    assert (
        "KR2.1: Score: 'abc' is not a score (write 0.7 or 70%)" in result.output
        and "Recorded check-in 1" in result.output
    )
    assert (cli_env / "out" / "board.png").stat().st_size > 50_000
    view = json.loads((cli_env / "out" / "cycle.json").read_text(encoding="utf-8"))
    kr = view["objectives"][0]["key_results"][0]
    assert (kr["status"], kr["current"], kr["score"]) == ("done", 4, 0.8)
    assert [(i["quadrant"], i["impact"] > 5) for i in kr["ideas"]] == [("quick_win", True), ("money_pit", False)]
    assert view["checkins"][0]["number"] == 1
    assert (cli_env / "out" / "board.svg").exists()
    report = json.loads((cli_env / "out" / "report.json").read_text(encoding="utf-8"))
    for shown, reported in zip(view["objectives"], report["objectives"], strict=True):
        assert {f: reported[f] for f in shown if f != "key_results"} == {
            f: v for f, v in shown.items() if f != "key_results"
        }
        for kr_shown, kr_reported in zip(shown["key_results"], reported["key_results"], strict=True):
            assert {f: kr_reported[f] for f in kr_shown} == kr_shown
    assert report["checkins"] == view["checkins"]
    csv_text = (cli_env / "out" / "report.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("\ufeffcycle,checkin,") and ",KR1.1,Signed design partners," in csv_text
    assert "| KR1.1 | Signed design partners |" in (cli_env / "out" / "report.md").read_text(encoding="utf-8")
    page = (cli_env / "out" / "report.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 1  # the board at the demo's one check-in


def test_demo_in_french_uses_the_french_plan(cli_env):
    result = run("demo", "--lang", "fr", "--out", str(cli_env / "out"))
    assert result.exit_code == 0, result.output
    assert "OKR GTM T1 2027" in result.output
    svg = (cli_env / "out" / "board.svg").read_text(encoding="utf-8")
    assert "Pas commencé" in svg and "Rétrospective" in svg


def test_miro_out_of_reach_is_a_clear_message_not_a_trace(cli_env, miro, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    run("generate", cycle_id)
    [board_id] = miro.state.boards
    monkeypatch.setenv("MIRO_API_URL", "http://127.0.0.1:9")  # nothing listens there: connection refused
    expected = {
        "render": "Miro did not answer",
        "track": "Miro did not answer",
        "sync": "nothing was changed",
    }
    for args in (["board", "render", board_id, "--out", "b.png"], ["track", cycle_id], ["sync", cycle_id]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
        assert expected[args[0] if args[0] != "board" else "render"] in result.output, (args, result.output)
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", "wrong-token")
    result = CliRunner().invoke(main, ["track", cycle_id])
    assert result.exit_code == 1 and "401" in result.output
