"""Fixtures of the emulator suite: a server on a fake clock and a spec-checking HTTP client."""

from __future__ import annotations

import pytest

from miro_emulator import EmulatorConfig
from miro_emulator.testing import EmulatorServer
from tests.emulator.emu_kit import Api, FakeClock, ok


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def config(clock) -> EmulatorConfig:
    return EmulatorConfig(clock=clock, sleep=clock.sleep, timeout_seconds=0.0)


@pytest.fixture
def emu(config):
    with EmulatorServer(config) as server:
        yield server


@pytest.fixture
def api(emu) -> Api:
    return Api(emu)


@pytest.fixture
def board_id(api) -> str:
    return ok(api.post("/v2/boards", json={"name": "Test board"}), 201)["id"]


@pytest.fixture
def frame(api, board_id) -> dict:
    body = {
        "data": {"title": "Objective 1", "format": "custom", "type": "freeform"},
        "position": {"x": 1000, "y": 500},
        "geometry": {"width": 800, "height": 600},
    }
    return ok(api.post(f"/v2/boards/{board_id}/frames", json=body), 201)
