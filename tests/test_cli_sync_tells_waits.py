"""`okrboard sync` (and `report`, which syncs first, and `generate`) say each wait for Miro's rate limit and
each retry as it happens, on stderr, instead of sitting silent; the client sleeps on an injected clock."""

import json

import pytest

from addon.adapters import miro_gateway
from miro_client import MiroClient
from miro_emulator.config import EmulatorConfig
from miro_emulator.faults import FaultInjector, FaultSpec, ScriptedFault
from miro_emulator.testing import EmulatorServer
from tests.cli_kit import EXAMPLES, company_board, run
from tests.miro_client.miro_testkit import SharedClock

LISTING = "GET /v2/boards/{board_id}/items"


@pytest.fixture
def clock():
    return SharedClock()


@pytest.fixture
def emulator(clock):
    with EmulatorServer(EmulatorConfig(clock=clock.time)) as server:
        yield server


def _on_the_clock(clock):
    """A client factory like the CLI's whose clients sleep and read the time on the shared clock."""

    def client_on_the_clock(settings, *, token=None, base_url=None):
        return MiroClient(token or settings.miro_access_token, base_url=base_url or settings.miro_api_url,
                          clock=clock.time, sleep=clock.sleep)  # fmt: skip

    return client_on_the_clock


@pytest.fixture
def board(cli_env, emulator, clock, monkeypatch):
    """The company board, tracked, then the CLI's client on the shared clock."""
    cycle_id, board_id = company_board(emulator, monkeypatch, track=True)
    monkeypatch.setattr(miro_gateway, "client_from_settings", _on_the_clock(clock))
    clock.sleeps.clear()
    return cycle_id, board_id


def fail(emulator, route, *kinds):
    """Make the next requests of a route fail, one per kind (5xx, timeout, 429), then answer."""
    script = [ScriptedFault(n, kind, route) for n, kind in enumerate(kinds, start=1)]
    emulator.emulator.faults = FaultInjector(FaultSpec(script=script), seed=0)


def test_sync_says_each_retry_of_a_failed_listing_as_it_happens(board, emulator, clock):
    cycle_id, board_id = board
    fail(emulator, LISTING, "5xx", "5xx")
    result = run("sync", cycle_id)
    assert result.exit_code == 0, result.output
    retries = [line for line in result.stderr.splitlines() if "retrying in" in line]
    assert len(retries) == 2 and all(f"to GET /v2/boards/{board_id}/items" in line for line in retries)
    assert retries[0].startswith("Miro answered 5") and "(retry 1 of 3)…" in retries[0]
    assert "(retry 2 of 3)…" in retries[1]
    assert len(clock.sleeps) == 2  # the backoffs were slept on the injected clock
    assert "Board and store are in sync" in result.stdout or "Nothing changed" in result.stdout


def test_sync_says_when_it_waits_for_spent_credits_and_keeps_json_clean(board, emulator, clock):
    cycle_id, _board_id = board
    emulator.emulator.limiter.per_minute = 120  # two listing pages (50 credits each) a minute
    emulator.emulator.limiter.reset()
    result = run("sync", cycle_id, "--format", "json")
    assert result.exit_code == 0, result.output
    waits = [line for line in result.stderr.splitlines() if line.startswith("Waiting ")]
    assert waits and all(line.endswith("for Miro's rate limit (credits reset)…") for line in waits)
    assert json.loads(result.stdout)["items"] > 0  # stdout holds the JSON alone
    assert sum(clock.sleeps) >= 1


def test_report_syncs_first_and_says_a_timeout_retry_too(board, emulator, cli_env):
    cycle_id, _board_id = board
    fail(emulator, LISTING, "timeout")
    emulator.emulator.config.timeout_seconds = 0.01
    out = cli_env / "report.json"
    result = run("report", cycle_id, "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "No answer from Miro" in result.stderr and "(retry 1 of 3)…" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))


def test_generate_says_a_retry_too(cli_env, emulator, clock, monkeypatch):
    monkeypatch.setenv("MIRO_API_URL", emulator.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", emulator.token)
    monkeypatch.setattr(miro_gateway, "client_from_settings", _on_the_clock(clock))
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    fail(emulator, "POST /v2/boards/{board_id}/frames", "429")
    result = run("generate", cycle_id)
    assert result.exit_code == 0, result.output
    assert "Miro answered 429 to POST /v2/boards/" in result.stderr and "(retry 1 of 3)…" in result.stderr
