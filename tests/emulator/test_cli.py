"""The command line: `python -m miro_emulator --token T` serves, a plain curl builds a board, state is saved."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner

from miro_emulator.cli import emulator_command


def test_help_lists_every_option():
    result = CliRunner().invoke(emulator_command, ["--help"])
    assert result.exit_code == 0
    for option in (
        "--host",
        "--port",
        "--latency-ms",
        "--faults",
        "--seed",
        "--credits-per-minute",
        "--state",
        "--token",
        "--user-token",
        "--client-id",
        "--client-secret",
        "--redirect-uri",
        "--clock-offset",
    ):
        assert option in result.output


@pytest.mark.parametrize(
    "args",
    [["--faults", "boom=1"], ["--user-token", "nobody"], ["--user-token", "zoe=T2"], ["--clock-offset", "soon"]],
)
def test_bad_options_are_refused_before_serving(args):
    result = CliRunner().invoke(emulator_command, ["--port", "0", *args])
    assert result.exit_code != 0


@pytest.fixture
def served(tmp_path):
    state = tmp_path / "state.json"
    command = [
        sys.executable,
        "-m",
        "miro_emulator",
        "--port",
        "0",
        "--token",
        "T",
        "--user-token",
        "ben=TB",
        "--state",
        str(state),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    banner = [process.stdout.readline() for _ in range(5)]
    match = re.search(r"serving on (http://127\.0\.0\.1:\d+)", banner[0])
    assert match, banner
    try:
        yield match.group(1), banner, process, state
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        process.stdout.close()
        process.stderr.close()


def _curl(*args: str) -> dict:
    out = subprocess.run(
        ["curl", "-s", "-H", "Authorization: Bearer T", *args], capture_output=True, text=True, check=True, timeout=10
    ).stdout
    return json.loads(out)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_plain_curl_builds_a_board_with_a_card_in_a_frame(served):
    base, banner, process, state = served
    assert any("client id" in line for line in banner) and any("token for Ana Alvarez" in line for line in banner)
    board = _curl("-X", "POST", f"{base}/v2/boards", "-d", '{"name": "Curl board"}')
    frame = _curl(
        "-X",
        "POST",
        f"{base}/v2/boards/{board['id']}/frames",
        "-d",
        '{"data": {"title": "O1"}, "position": {"x": 0, "y": 0}, "geometry": {"width": 1000, "height": 600}}',
    )
    card_body = {"data": {"title": "KR 1"}, "position": {"x": 150, "y": 100}, "parent": {"id": frame["id"]}}
    _curl("-X", "POST", f"{base}/v2/boards/{board['id']}/cards", "-d", json.dumps(card_body))
    items = _curl(f"{base}/v2/boards/{board['id']}/items")["data"]
    card = next(i for i in items if i["type"] == "card")
    assert card["position"] == {"x": 150, "y": 100, "origin": "center", "relativeTo": "parent_top_left"}
    assert card["parent"]["id"] == frame["id"]
    process.send_signal(signal.SIGTERM)
    process.wait(10)
    saved = json.loads(state.read_text())
    assert [b["name"] for b in saved["boards"]] == ["Curl board"]
