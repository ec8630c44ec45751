"""The client keeps Miro's clock as its latest answer's Date header said, for callers that must judge Miro's own
timestamps (how long ago an item was modified) without trusting the local clock."""

from __future__ import annotations

from datetime import UTC, datetime

from miro_client import MiroClient
from miro_client.ratelimit import ClientStats
from miro_emulator.config import EmulatorConfig
from miro_emulator.testing import EmulatorServer


def test_the_latest_date_header_is_miros_clock_even_when_it_is_off_ours():
    with EmulatorServer(EmulatorConfig(clock_offset=3600)) as miro:
        client = MiroClient(miro.token, base_url=miro.base_url)
        assert client.stats.server_time is None
        client.create_board(name="Clock")
        ahead = (client.stats.server_time - datetime.now(UTC)).total_seconds()
        assert 3598 <= ahead <= 3601 and client.stats.server_time.tzinfo is not None
        client.close()


def test_an_answer_without_a_date_keeps_the_last_one_and_a_bad_date_reads_as_unknown():
    stats = ClientStats()
    stats.record_response("get-boards", 200, 50, {"Date": "Thu, 03 Dec 2026 15:00:00 GMT"})
    stats.record_response("get-boards", 200, 50, {})
    assert stats.server_time == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    stats.record_response("get-boards", 200, 50, {"Date": "yesterday"})
    assert stats.server_time is None


def test_a_date_in_the_minus_zero_zone_reads_as_utc():
    stats = ClientStats()
    stats.record_response("get-boards", 200, 50, {"Date": "Thu, 03 Dec 2026 16:00:00 -0000"})
    assert stats.server_time == datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
