"""The emulator for benchmarks: its own process (its request handling does not share our interpreter lock), a
fixed token, added latency and a credit budget as asked, and its counters read over HTTP.

    with EmulatorProcess(latency_ms=50) as miro:
        miro.reset(); ...; miro.stats()["total_requests"]
"""

from __future__ import annotations

import re
import subprocess
import sys

import requests

TOKEN = "bench-token"
MIRO_BUDGET = 100_000  # Miro's credits per user per minute (https://developers.miro.com/reference/rate-limiting)


class EmulatorProcess:
    """`python -m miro_emulator` on a free port, stopped on close."""

    def __init__(self, *, latency_ms: float = 0.0, credits_per_minute: int = MIRO_BUDGET, token: str = TOKEN):
        self.token = token
        self.latency_ms = latency_ms
        command = [sys.executable, "-m", "miro_emulator", "--port", "0", "--token", token]
        command += ["--latency-ms", str(latency_ms), "--credits-per-minute", str(credits_per_minute)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        for line in self.process.stdout:
            found = re.search(r"serving on (\S+)", line)
            if found:
                self.base_url = found.group(1)
                break
        else:
            self.process.wait(timeout=10)
            raise RuntimeError(f"the emulator did not start (exit status {self.process.returncode})")

    def reset(self) -> None:
        """Forget boards, counters and spent credits."""
        requests.post(f"{self.base_url}/_emulator/reset", params={"state": "1"}, timeout=10).raise_for_status()

    def stats(self) -> dict:
        """Return /_emulator/stats: requests per route, credits per user, faults."""
        return requests.get(f"{self.base_url}/_emulator/stats", timeout=10).json()

    def items(self, board_id: str) -> list[dict]:
        """Return a board's items as Miro lists them (through the API, so it costs credits)."""
        from miro_client import MiroClient

        with MiroClient(self.token, base_url=self.base_url, max_workers=1) as miro:
            return list(miro.iter_items(board_id))

    def close(self) -> None:
        """Stop the subprocess."""
        self.process.terminate()
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
