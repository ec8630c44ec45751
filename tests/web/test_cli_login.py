"""`okrboard login` end to end against the emulator's OAuth pages, with a scripted browser that approves on the
install page and follows the redirect to the command's loopback listener; then commands run on the stored tokens."""

from __future__ import annotations

import socket
import webbrowser
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, select, update

from addon.adapters.miro_oauth import MiroOAuth
from addon.adapters.orm import SecretRow
from miro_client import MiroAPIError, MiroClient, MiroTransportError
from miro_emulator.config import EmulatorConfig
from miro_emulator.testing import EmulatorServer
from tests.cli_kit import EXAMPLES, run
from tests.web.kit import ANA, GROWTH_TEAM, MovableClock


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redirect_uri():
    return f"http://127.0.0.1:{free_port()}/callback"


@pytest.fixture
def miro(redirect_uri):
    """An emulator whose app has the command line's loopback redirect URI registered."""
    server = EmulatorServer(EmulatorConfig(redirect_uris=[redirect_uri], clock=MovableClock())).start()
    yield server
    server.stop()


@pytest.fixture
def env(cli_env, monkeypatch, miro, redirect_uri):
    """The command line configured for the emulator's OAuth app, with no MIRO_ACCESS_TOKEN."""
    for name, value in {
        "MIRO_API_URL": miro.base_url,
        "MIRO_AUTH_URL": miro.base_url + "/oauth/authorize",
        "MIRO_CLIENT_ID": miro.config.client_id,
        "MIRO_CLIENT_SECRET": miro.config.client_secret,
        "MIRO_CLI_REDIRECT_URI": redirect_uri,
        "OKRBOARD_TOKEN_KEYS": Fernet.generate_key().decode(),
    }.items():
        monkeypatch.setenv(name, value)
    return cli_env


class ScriptedBrowser:
    """Stands in for the browser `okrboard login` opens: approves on the emulator's page (or not), then follows
    the redirect to the listener, with the query changed by `tamper`."""

    def __init__(self, miro, *, decision="approve", tamper=None, register_port=False, forged_first=None):
        self.miro, self.decision, self.tamper, self.register_port = miro, decision, tamper, register_port
        self.forged_first = forged_first  # a query another local page sends to the listener before the redirect
        self.authorize_query: dict = {}
        self.listener_status: int | None = None
        self.forged_status: int | None = None

    def __call__(self, url: str) -> bool:
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        self.authorize_query = query
        if self.register_port:  # an OAuth server that accepts any loopback port (RFC 8252 §7.3)
            self.miro.config.redirect_uris.append(query["redirect_uri"])
        assert requests.get(url, timeout=10).status_code == 200  # the install page
        approved = requests.post(
            self.miro.base_url + "/oauth/authorize",
            data={**query, "user_id": ANA, "team_id": GROWTH_TEAM, "decision": self.decision},
            allow_redirects=False,
            timeout=10,
        )
        assert approved.status_code == 302, approved.text
        back = urlsplit(approved.headers["Location"])
        answer = {k: v[0] for k, v in parse_qs(back.query).items()}
        if self.tamper:
            answer = self.tamper(answer)
        if self.forged_first is not None:
            forged = requests.get(back._replace(query="").geturl(), params=self.forged_first, timeout=10)
            self.forged_status = forged.status_code
        self.listener_status = requests.get(back._replace(query="").geturl(), params=answer, timeout=10).status_code
        return True


def token_calls(miro) -> int:
    return requests.get(miro.base_url + "/_emulator/stats", timeout=5).json()["requests"].get("POST /v1/oauth/token", 0)


def stored_rows(env) -> list[SecretRow]:
    engine = create_engine(f"sqlite:///{env / 'instance' / 'okrboard.sqlite3'}")
    with engine.connect() as connection:
        rows = connection.execute(select(SecretRow)).all()
    engine.dispose()
    return rows


def log_in(monkeypatch, browser, *args):
    monkeypatch.setattr(webbrowser, "open", browser)
    return run("login", *args)


def test_login_in_the_browser_stores_encrypted_tokens_that_later_commands_use(env, miro, monkeypatch):
    browser = ScriptedBrowser(miro)
    answer = log_in(monkeypatch, browser)
    assert answer.exit_code == 0, answer.output
    assert "Signed in to Miro as Ana Alvarez (Growth Team" in answer.stdout
    assert browser.authorize_query["code_challenge_method"] == "S256" and len(browser.authorize_query["state"]) >= 32
    [row] = stored_rows(env)
    live = {t.access_token for t in miro.state.tokens.values()} | set(miro.state.refresh_tokens)
    assert live and not any(secret in row.ciphertext for secret in live)
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    generated = run("generate", cycle_id)
    assert generated.exit_code == 0, generated.output
    assert len(miro.state.boards) == 1  # made on Miro with the stored token


def test_an_expired_token_is_renewed_once_and_the_command_goes_through(env, miro, monkeypatch):
    assert log_in(monkeypatch, ScriptedBrowser(miro)).exit_code == 0
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    miro.config.clock.offset = miro.config.access_token_ttl + 60  # Miro now answers 401 to the stored token
    generated = run("generate", cycle_id)
    assert generated.exit_code == 0, generated.output
    assert token_calls(miro) == 2  # the code exchange, then one refresh
    assert stored_rows(env)[0].refreshes == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda answer: {**answer, "state": "forged-" + answer["state"][7:]},
        lambda answer: {k: v for k, v in answer.items() if k != "state"},
    ],
    ids=["forged", "missing"],
)
def test_an_answer_without_this_logins_state_is_refused_before_the_token_endpoint(env, miro, monkeypatch, tamper):
    browser = ScriptedBrowser(miro, tamper=tamper)
    answer = log_in(monkeypatch, browser, "--timeout", "1")
    assert browser.listener_status == 400 and answer.exit_code == 1
    assert "1 answer(s) that did not carry this sign-in's state were refused" in answer.output
    assert "Traceback" not in answer.output
    assert token_calls(miro) == 0 and stored_rows(env) == []


@pytest.mark.parametrize("forged", [{"state": "evil", "code": "stolen"}, {}, {"state": "\u00e9vil"}])
def test_a_forged_request_to_the_listener_does_not_use_up_miros_answer(env, miro, monkeypatch, forged):
    browser = ScriptedBrowser(miro, forged_first=forged)
    answer = log_in(monkeypatch, browser)
    assert browser.forged_status == 400 and browser.listener_status == 200
    assert answer.exit_code == 0, answer.output
    assert "Signed in to Miro as Ana Alvarez" in answer.stdout and len(stored_rows(env)) == 1


def test_a_cancelled_sign_in_says_so_and_stores_nothing(env, miro, monkeypatch):
    answer = log_in(monkeypatch, ScriptedBrowser(miro, decision="deny"))
    assert answer.exit_code == 1 and "Sign-in with Miro was cancelled" in answer.output
    assert token_calls(miro) == 0 and stored_rows(env) == []


def test_login_gives_up_after_its_timeout_with_a_clear_message(env, miro, monkeypatch):
    answer = log_in(monkeypatch, lambda url: True, "--timeout", "1")
    assert answer.exit_code == 1
    assert "No answer from Miro within 1 s: run `okrboard login` again" in answer.output
    assert "/oauth/authorize?" in answer.output  # the address was printed, for a browser that did not open
    assert stored_rows(env) == []


def test_login_on_any_free_port_sends_the_port_it_listens_on(env, miro, monkeypatch):
    browser = ScriptedBrowser(miro, register_port=True)
    answer = log_in(monkeypatch, browser, "--any-port")
    assert answer.exit_code == 0, answer.output
    sent = urlsplit(browser.authorize_query["redirect_uri"])
    assert sent.hostname == "127.0.0.1" and sent.port and sent.path == "/callback"


def test_logout_revokes_the_tokens_and_later_commands_ask_for_a_login(env, miro, monkeypatch):
    assert log_in(monkeypatch, ScriptedBrowser(miro)).exit_code == 0
    issued = [t.access_token for t in miro.state.tokens.values() if t.refresh_token]
    answer = run("logout")
    assert answer.exit_code == 0 and "revoked" in answer.stdout
    assert not any(token in miro.state.tokens for token in issued) and stored_rows(env) == []
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    refused = run("generate", cycle_id)
    assert refused.exit_code == 1 and "run `okrboard login`, or set MIRO_ACCESS_TOKEN" in refused.output
    assert "Not signed in" in run("logout").stdout


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("http://example.com:8899/callback", "an address of this computer only"),
        ("https://127.0.0.1:8899/callback", "an address of this computer only"),
        ("http://127.0.0.1/callback", "give the port"),
    ],
)
def test_a_redirect_uri_that_is_not_a_loopback_address_with_a_port_is_refused_by_name(env, monkeypatch, uri, problem):
    monkeypatch.setenv("MIRO_CLI_REDIRECT_URI", uri)
    answer = log_in(monkeypatch, lambda url: pytest.fail("no browser may open"))
    assert answer.exit_code == 1 and "MIRO_CLI_REDIRECT_URI" in answer.output and problem in answer.output


def test_a_port_in_use_is_a_clear_error(env, monkeypatch, redirect_uri):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", urlsplit(redirect_uri).port))
        busy.listen()
        answer = log_in(monkeypatch, lambda url: pytest.fail("no browser may open"))
    assert answer.exit_code == 1 and "Cannot listen on 127.0.0.1" in answer.output


def test_a_refused_renewal_asks_for_a_new_login_and_keeps_saying_so(env, miro, monkeypatch):
    assert log_in(monkeypatch, ScriptedBrowser(miro)).exit_code == 0
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    for token in [t.access_token for t in miro.state.tokens.values()]:
        miro.state.revoke(token)  # the app was uninstalled on Miro's side: its refresh token is dead too
    refused = run("generate", cycle_id)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "Miro refused to renew the app's connection" in refused.output and "Run `okrboard login`." in refused.output
    assert stored_rows(env)[0].needs_signin
    again = run("generate", cycle_id)
    assert again.exit_code == 1 and "Run `okrboard login`." in again.output
    assert log_in(monkeypatch, ScriptedBrowser(miro)).exit_code == 0  # and a new login mends it
    assert not stored_rows(env)[0].needs_signin


@pytest.mark.parametrize(
    ("missing", "named"), [("OKRBOARD_TOKEN_KEYS", "OKRBOARD_TOKEN_KEYS"), ("MIRO_CLIENT_ID", "MIRO_CLIENT_ID")]
)
def test_login_without_its_settings_names_the_missing_one_before_opening_a_browser(env, monkeypatch, missing, named):
    monkeypatch.delenv(missing)
    answer = log_in(monkeypatch, lambda url: pytest.fail("no browser may open"))
    assert answer.exit_code == 1 and named in answer.output and "Traceback" not in answer.output


@pytest.mark.parametrize(
    "failure",
    [
        MiroAPIError(503, "unavailable", "Miro is down for maintenance"),
        MiroTransportError("connection reset by peer", method="GET", path="/v1/oauth-token"),
    ],
    ids=["api-error", "transport-error"],
)
def test_when_miro_does_not_say_whose_the_tokens_are_login_keeps_them_and_says_so(env, miro, monkeypatch, failure):
    def refuse(client):
        raise failure

    with monkeypatch.context() as patched:
        patched.setattr(MiroClient, "get_token_context", refuse)
        answer = log_in(monkeypatch, ScriptedBrowser(miro))
    assert answer.exit_code == 1 and "Traceback" not in answer.output
    assert "Signed in and the tokens are stored, but Miro did not say which user and team" in answer.output
    assert len(stored_rows(env)) == 1
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    assert run("generate", cycle_id).exit_code == 0  # the kept tokens work


def test_a_token_answer_without_an_access_token_is_a_clear_error(env, miro, monkeypatch):
    monkeypatch.setattr(MiroOAuth, "exchange", lambda oauth, code, verifier: {"token_type": "bearer"})
    answer = log_in(monkeypatch, ScriptedBrowser(miro))
    assert answer.exit_code == 1 and "Miro's token answer has no access token" in answer.output
    assert stored_rows(env) == []


@pytest.mark.parametrize(
    ("break_revoke", "problem"),
    [
        (lambda monkeypatch: monkeypatch.setenv("MIRO_API_URL", f"http://127.0.0.1:{free_port()}"), "reached"),
        (lambda monkeypatch: monkeypatch.delenv("MIRO_CLIENT_SECRET"), "set MIRO_CLIENT_SECRET"),
    ],
    ids=["miro-unreachable", "app-not-configured"],
)
def test_logout_forgets_the_tokens_here_when_miro_cannot_revoke_them(env, miro, monkeypatch, break_revoke, problem):
    assert log_in(monkeypatch, ScriptedBrowser(miro)).exit_code == 0
    issued = [t.access_token for t in miro.state.tokens.values() if t.refresh_token]
    break_revoke(monkeypatch)
    answer = run("logout")
    assert answer.exit_code == 0 and "Traceback" not in answer.output
    assert "tokens were deleted here" in answer.stdout
    assert "Miro did not revoke them" in answer.stderr and problem in answer.stderr
    assert stored_rows(env) == [] and all(token in miro.state.tokens for token in issued)
    assert "Not signed in" in run("logout").stdout


def test_the_login_is_found_after_setting_the_tenant_to_the_team_it_printed(env, miro, monkeypatch):
    signed_in = log_in(monkeypatch, ScriptedBrowser(miro))
    assert f"team {GROWTH_TEAM})" in signed_in.stdout
    monkeypatch.setenv("OKRBOARD_TENANT", GROWTH_TEAM)  # as docs/web.md says, to work on the web app's cycles
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    for command in ("generate", "track", "sync"):
        done = run(command, cycle_id)
        assert done.exit_code == 0, (command, done.output)
    assert len(miro.state.boards) == 1
    assert run("logout").exit_code == 0 and stored_rows(env) == []


def test_a_login_stored_under_the_tenant_by_an_older_version_is_still_used(env, miro, monkeypatch):
    assert log_in(monkeypatch, ScriptedBrowser(miro)).exit_code == 0
    engine = create_engine(f"sqlite:///{env / 'instance' / 'okrboard.sqlite3'}")
    with engine.begin() as connection:  # where versions before the fixed key kept it: (OKRBOARD_TENANT, "cli")
        connection.execute(update(SecretRow).values(tenant_id="local"))
    engine.dispose()
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    assert run("generate", cycle_id).exit_code == 0
    assert "revoked and deleted" in run("logout").stdout and stored_rows(env) == []
