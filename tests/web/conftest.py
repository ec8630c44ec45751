"""Fixtures of the web tests: an emulator, the app on SQLite, a signed-in browser."""

from __future__ import annotations

import pytest

from tests.web.kit import make_app, sign_in, start_emulator


@pytest.fixture
def miro():
    """A running emulator that accepts the test app."""
    server = start_emulator()
    yield server
    server.stop()


@pytest.fixture
def app(miro, tmp_path):
    """The web app on a fresh SQLite store, against the emulator."""
    application = make_app(miro, f"sqlite:///{tmp_path / 'web.sqlite3'}")
    yield application
    application.extensions["okrboard_store"].close()


@pytest.fixture
def client(app):
    """A browser with no session."""
    return app.test_client()


@pytest.fixture
def signed_in(app, miro):
    """A browser signed in as Ana of the Growth team."""
    browser = app.test_client()
    answer = sign_in(browser, miro)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return browser
