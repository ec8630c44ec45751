"""The examples in docs/miro_client.md run as written."""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "miro_client.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)


def _block_containing(marker: str) -> str:
    return next(block for block in _python_blocks() if marker in block)


def test_the_testing_example_runs():
    exec(compile(_block_containing("RequestsMock"), str(GUIDE), "exec"), {})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the emulator exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the emulator did not open its port")


@pytest.mark.skipif(
    importlib.util.find_spec("miro_emulator.__main__") is None, reason="the emulator has no command line yet"
)
def test_the_quick_start_runs_against_the_emulator(capsys):
    port = _free_port()
    command = [sys.executable, "-m", "miro_emulator", "--token", "T", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=dict(os.environ))
    try:
        _wait_for(port, process)
        code = _block_containing("OKR quick start").replace("127.0.0.1:8765", f"127.0.0.1:{port}")
        exec(compile(code, str(GUIDE), "exec"), {})
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
    out = capsys.readouterr().out
    assert "25 ideas created, 26 items in the frame" in out
    assert re.search(r"API calls: \d+, credits: \d+", out)
