"""Fixtures for miro_client tests: mocked HTTP (unfired mocks fail), a fake clock, and spec validation."""

from __future__ import annotations

import pytest
import responses

from miro_client import MiroClient, RetryPolicy
from tests.miro_client.miro_testkit import TOKEN, FakeClock, validate_request


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def miro():
    """Mocked Miro: an unregistered URL fails the test, and so does a registered reply that never fires."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture
def make_client(clock):
    """Build clients whose waits go to the fake clock and whose backoff has no randomness."""
    created: list[MiroClient] = []

    def make(token=TOKEN, **kwargs) -> MiroClient:
        kwargs.setdefault("sleep", clock.sleep)
        kwargs.setdefault("clock", clock.time)
        kwargs.setdefault("retry", RetryPolicy(jitter=lambda delay: delay))
        client = MiroClient(token, **kwargs)
        created.append(client)
        return client

    yield make
    for client in created:
        client.close()


@pytest.fixture
def client(make_client) -> MiroClient:
    return make_client()


@pytest.fixture
def spec():
    """The spec validator: spec(request, operation_id)."""
    return validate_request
