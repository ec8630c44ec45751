"""`okrboard report` end to end on the emulator: it syncs first, and every format agrees with `cycle show`."""

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from addon.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def tracked_cycle_with_two_checkins(monkeypatch, miro) -> str:
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    run("generate", cycle_id)
    run("track", cycle_id)
    run("kr", "update", cycle_id, "KR1.1", "--current", "2", "--comment", '=HYPERLINK("x") two partners')
    assert run("checkin", cycle_id, "--on", "2027-01-18").exit_code == 0
    run("kr", "update", cycle_id, "KR1.1", "--current", "3", "--confidence", "80%")
    run("kr", "update", cycle_id, "KR2.2", "--current", "60")
    assert run("checkin", cycle_id, "--on", "2027-02-02").exit_code == 0
    return cycle_id


def test_every_format_agrees_with_cycle_show_to_the_last_digit(cli_env, miro, monkeypatch, tmp_path):
    cycle_id = tracked_cycle_with_two_checkins(monkeypatch, miro)
    shown = json.loads(run("cycle", "show", cycle_id, "--format", "json").stdout)
    report = json.loads(run("report", cycle_id, "--format", "json").stdout)

    def subset(small, big):
        if isinstance(small, dict):
            return all(key in big and subset(value, big[key]) for key, value in small.items())
        if isinstance(small, list):
            return len(small) == len(big) and all(subset(a, b) for a, b in zip(small, big, strict=True))
        return small == big

    assert report["report"]["synced"] is True
    # The report's attention list holds every key result cycle show lists, with more kinds (board, check-ins).
    assert {a["ref"] for a in shown.pop("attention")} <= {a["ref"] for a in report["attention"]}
    assert subset(shown, report)
    raw = run("report", cycle_id, "--format", "csv").stdout
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw[1:])))
    krs = {kr["ref"]: kr for o in report["objectives"] for kr in o["key_results"]}
    assert len(rows) == len(krs) * 3  # two check-ins and now
    for row in rows:
        kr = krs[row["kr_ref"]]
        expected = kr if row["checkin"] == "now" else kr["history"][int(row["checkin"]) - 1]
        value = expected["current"] if row["checkin"] == "now" else expected["value"]
        assert float(row["score"]) == expected["score"]
        assert (float(row["value"]) if row["value"] else None) == value
    first = next(r for r in rows if r["kr_ref"] == "KR1.1" and r["checkin"] == "1")
    assert first["comment"] == '\'=HYPERLINK("x") two partners'
    markdown = run("report", cycle_id, "--format", "md", "--no-sync").stdout
    assert f"| KR1.1 | Signed design partners | 0 | 5 | 3 | {krs['KR1.1']['score']:.2f} |" in markdown
    out = tmp_path / "report.html"
    assert run("report", cycle_id, "--format", "html", "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 1 and page.count('src="data:image/png;base64,') == 2
    import re

    addresses = set(re.findall(r"https?://[^\s\"')]+", page))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_a_report_at_a_checkin_shows_the_cycle_as_it_stood(cli_env, miro, monkeypatch):
    cycle_id = tracked_cycle_with_two_checkins(monkeypatch, miro)
    then = json.loads(run("report", cycle_id, "--format", "json", "--checkin", "1", "--no-sync").stdout)
    kr = then["objectives"][0]["key_results"][0]
    assert then["report"]["as_of"] == "2027-01-18" and len(then["checkins"]) == 1
    assert kr["current"] == 2 and kr["score"] == 0.4
    refused = run("report", cycle_id, "--checkin", "5", "--no-sync")
    assert refused.exit_code == 1 and "check-in 5 of GTM Q1 2027 is not recorded (recorded: 1, 2)" in refused.output


def test_a_report_of_an_unknown_cycle_is_a_clear_error_and_writes_nothing(cli_env, tmp_path):
    out = tmp_path / "r.md"
    result = run("report", "nope", "--no-sync", "-o", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output and not out.exists()
