"""Run the emulator in-process for tests: `with EmulatorServer() as miro: requests.get(miro.base_url + ...)`.

`miro.state` is the in-memory store (seed users and boards, act as another user with `miro.add_token(user_id)`),
`miro.token` the default user's fixed token. The `emulator` pytest fixture yields a fresh server per test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from miro_emulator.app import create_app
from miro_emulator.config import EmulatorConfig
from miro_emulator.races import LISTING, ScriptedEdit
from miro_emulator.seed import DEFAULT_USER_ID
from miro_emulator.server import serve

DEFAULT_TEST_TOKEN = "test-token"


class EmulatorServer:
    """The emulator served on 127.0.0.1 and a free port from a background thread."""

    def __init__(self, config: EmulatorConfig | None = None, token: str = DEFAULT_TEST_TOKEN):
        self.config = config or EmulatorConfig()
        default_user = self.config.default_user_id or DEFAULT_USER_ID
        if default_user not in self.config.tokens.values():
            self.config.tokens = {**self.config.tokens, token: default_user}
        self.token = next(t for t, user in self.config.tokens.items() if user == default_user)
        self.app = create_app(self.config)
        self.emulator = self.app.extensions["miro_emulator"]
        self.state = self.emulator.store
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """Return e.g. `http://127.0.0.1:54321`."""
        if self._server is None:
            raise RuntimeError("EmulatorServer is not started")
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> EmulatorServer:
        """Start serving (idempotent)."""
        if self._server is None:
            self._server = serve(self.app, "127.0.0.1", 0)
            # A short poll interval makes stop() quick (serve_forever checks for shutdown at that pace).
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.02,), name="miro-emulator", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def add_token(self, user_id: str, scopes: list[str] | None = None) -> str:
        """Issue a fixed token for a user (id, email or first name) of the default app and return it."""
        user = self.state.find_user(user_id)
        if user is None:
            raise KeyError(f"unknown user {user_id}")
        return self.state.issue_token(user.id, self.config.client_id, scopes or self.config.scopes).access_token

    def headers(self, token: str | None = None) -> dict[str, str]:
        """Return the Authorization header for `token` (the default user's by default)."""
        return {"Authorization": f"Bearer {token or self.token}"}

    def edit_between(self, action: Callable[[], None] | None = None, *, after: str = LISTING, **edit) -> ScriptedEdit:
        """Apply a teammate's edit once, between the next request of `after` (a listing) and the request after it:
        `action` (e.g. a REST call as another user), or `board_id=, item_id=, body=, user_id=` applied directly."""
        scripted = ScriptedEdit(after, action) if action else ScriptedEdit.from_json({"after": after, **edit})
        self.emulator.races.add(scripted, self.state)
        return scripted

    def set_clock_offset(self, seconds: float) -> None:
        """Make Miro's clock run `seconds` ahead of the local one (negative: behind) from now on."""
        self.config.clock_offset = float(seconds)

    def item_requests(self, user_id: str | None = None) -> list[tuple[str, str]]:
        """Return the (method, item id) of the requests on single items, oldest first (one user's, if given)."""
        return self.emulator.item_log.sequence(user_id)

    def reset(self, state: bool = True) -> None:
        """Reset counters (and, by default, delete all boards)."""
        self.emulator.reset(state=state)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


try:
    import pytest
except ImportError:  # pragma: no cover - pytest is a test-only dependency
    pytest = None

if pytest is not None:

    @pytest.fixture
    def emulator():
        """Yield a running EmulatorServer with a fresh state."""
        with EmulatorServer() as server:
            yield server
