"""Sign in with Miro from the command line: the web app's OAuth flow (state, PKCE S256) with the redirect taken
by a one-shot HTTP listener on loopback (RFC 8252 §7.3), the tokens stored encrypted like the web sign-in's.

Miro accepts only redirect URIs registered with the app, matched exactly
(https://developers.miro.com/docs/troubleshooting-oauth20), so the listener takes the port and path of the
configured one (`MIRO_CLI_REDIRECT_URI`, `app-manifest.yaml` lists the default); a random free port is for
OAuth servers that accept any loopback port.
"""

from __future__ import annotations

import hmac
import html
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit, urlunsplit

from addon.adapters.miro_gateway import board_error
from addon.adapters.miro_oauth import MiroOAuth, OAuthFailed, OAuthNotConfigured
from addon.adapters.token_store import SignInAgain, TokenCipher, TokenSource, TokenStore
from addon.domain.errors import OkrError

DEFAULT_REDIRECT_URI = "http://127.0.0.1:8899/callback"
LOGIN_TIMEOUT = 300  # seconds: time enough to type a password and pick a team
CLI_USER = "cli"  # the token store's user key of the command line's connection (Miro user ids are digits)
# Its team key too: one connection per store, found whatever OKRBOARD_TENANT is set to after `okrboard login`
# (Miro team ids are digits, so no web sign-in shares it).
CLI_CONNECTION = ("cli", CLI_USER)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


class LoginFailed(OkrError):
    """The command-line sign-in did not end with a Miro connection."""


class NotSignedIn(OkrError):
    """No Miro token: neither MIRO_ACCESS_TOKEN nor a stored `okrboard login`."""


@dataclass(frozen=True)
class SignedIn:
    """Who the command line acts as on Miro after `okrboard login`."""

    user_name: str
    team_name: str
    team_id: str


@dataclass(frozen=True)
class SignedOut:
    """How `okrboard logout` ended: the tokens are always forgotten here; `problem` says why Miro kept them."""

    revoked: bool
    problem: str = ""


def loopback_address(redirect_uri: str) -> tuple[str, int, str]:
    """Host, port and path of a loopback redirect URI; refuses any other with what is wrong."""
    parts = urlsplit(redirect_uri)
    where = f"MIRO_CLI_REDIRECT_URI ({redirect_uri!r})"
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS:
        raise LoginFailed(f"{where}: must be http://127.0.0.1:PORT/PATH, an address of this computer only.")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        raise LoginFailed(f"{where}: give the port, as registered with the Miro app (e.g. {DEFAULT_REDIRECT_URI}).")
    return parts.hostname, port, parts.path or "/"


PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>OKR Board</title></head>"
    "<body><h1>{title}</h1><p>{text}</p></body></html>"
)


class RedirectListener:
    """An HTTP server on loopback that waits for the one redirect back from Miro's authorize page carrying `state`.

    Any local process or web page can send a request to loopback, so only one with this sign-in's state is taken;
    others are refused and the wait goes on, so they cannot use up the answer Miro's redirect brings.
    """

    def __init__(self, redirect_uri: str, state: str, *, any_port: bool = False):
        host, port, self.path = loopback_address(redirect_uri)
        self._state = state.encode()
        self.refused = 0  # requests on the path without this sign-in's state
        self._answer: dict[str, str] | None = None
        self._answered, self._lock = threading.Event(), threading.Lock()
        try:
            self._server = ThreadingHTTPServer((host, 0 if any_port else port), self._handler())
        except OSError as error:
            raise LoginFailed(
                f"Cannot listen on {host}:{port} for Miro's answer ({error.strerror}): close what uses that port, "
                "or set MIRO_CLI_REDIRECT_URI to another redirect URI registered with the app."
            ) from None
        # The URI sent to Miro must be the registered one, letter for letter; with any port, the one bound.
        netloc = f"{host}:{self._server.server_port}" if any_port else urlsplit(redirect_uri).netloc
        self.redirect_uri = urlunsplit(("http", netloc, self.path, "", ""))
        self._thread = threading.Thread(target=self._server.serve_forever, name="okrboard-login", daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                url = urlsplit(self.path)
                answer = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == listener.path and not listener._expected(answer):
                    self._reply(400, "Not this sign-in", "This answer does not carry the state `okrboard login` sent.")
                    return
                if url.path != listener.path or not listener._take(answer):
                    self._reply(404, "Not found", "This address only takes Miro's answer to `okrboard login`, once.")
                    return
                self._reply(200, "Back to the terminal", "Miro answered; the terminal says how the sign-in ended.")

            def _reply(self, status: int, title: str, text: str) -> None:
                body = PAGE.format(title=html.escape(title), text=html.escape(text)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("Referrer-Policy", "no-referrer")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass  # the terminal shows the outcome; the code must not land in a log

        return Handler

    def _expected(self, answer: dict[str, str]) -> bool:
        # Compared in constant time, so the state cannot be guessed from how fast a wrong one is refused.
        if hmac.compare_digest(answer.get("state", "").encode(), self._state):
            return True
        with self._lock:
            self.refused += 1
        return False

    def _take(self, answer: dict[str, str]) -> bool:
        with self._lock:  # the first answer counts; the server handles requests in threads
            if self._answered.is_set():
                return False
            self._answer = answer
            self._answered.set()
            return True

    def __enter__(self) -> RedirectListener:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float) -> dict[str, str] | None:
        """The query of Miro's redirect, or None when none came within `timeout` seconds."""
        return self._answer if self._answered.wait(timeout) else None


def _tokens(settings, engine) -> TokenStore:
    return TokenStore(engine, TokenCipher(settings.token_keys))


def _stored_key(tokens: TokenStore, settings) -> tuple[str, str] | None:
    # Before CLI_CONNECTION, the connection was kept under the tenant's key: still found there.
    for key in (CLI_CONNECTION, (settings.tenant_id, CLI_USER)):
        if tokens.get(*key) is not None:
            return key
    return None


def login(
    settings,
    engine,
    *,
    open_browser: Callable[[str], object],
    say: Callable[[str], None],
    redirect_uri: str = DEFAULT_REDIRECT_URI,
    any_port: bool = False,
    timeout: float = LOGIN_TIMEOUT,
) -> SignedIn:
    """Run the OAuth flow in the browser and store the tokens encrypted as the command line's connection."""
    from miro_client import MiroClient, MiroError

    tokens = _tokens(settings, engine)  # the keys are checked before the browser opens
    state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    with RedirectListener(redirect_uri, state, any_port=any_port) as listener:
        oauth = MiroOAuth(settings, redirect_uri=listener.redirect_uri)
        url = oauth.authorization_url(state, verifier)
        say(f"Sign in with Miro in your browser; if it does not open, open this address:\n{url}")
        open_browser(url)
        answer = listener.wait(timeout)
    if answer is None:
        refused = (
            f"; {listener.refused} answer(s) that did not carry this sign-in's state were refused"
            if listener.refused
            else ""
        )
        raise LoginFailed(f"No answer from Miro within {int(timeout)} s{refused}: run `okrboard login` again to retry.")
    if answer.get("error"):
        raise LoginFailed(f"Sign-in with Miro was cancelled ({answer.get('error_description') or answer['error']}).")
    if not answer.get("code"):
        raise LoginFailed("Miro's answer has no code: run `okrboard login` again.")
    token = oauth.exchange(answer["code"], verifier)
    if not token.get("access_token"):
        raise LoginFailed("Miro's token answer has no access token: run `okrboard login` again.")
    tokens.save(*CLI_CONNECTION, token)  # first: the code is spent, and these tokens work whoever they are
    tokens.delete(settings.tenant_id, CLI_USER)  # an older login's copy under the tenant's key
    try:
        with MiroClient(token["access_token"], base_url=settings.miro_api_url) as client:
            context = client.get_token_context()
    except MiroError as error:
        raise LoginFailed(
            f"Signed in and the tokens are stored, but Miro did not say which user and team they are for "
            f"({board_error(error)}). Later commands use them; run `okrboard login` again to see the team id."
        ) from None
    team = context.get("team") or {}
    return SignedIn((context.get("user") or {}).get("name", ""), team.get("name", ""), str(team.get("id", "")))


def logout(settings, engine) -> SignedOut | None:
    """Forget the command line's Miro tokens, then revoke them at Miro; None when there were none."""
    tokens = _tokens(settings, engine)
    key = _stored_key(tokens, settings)
    if key is None:
        return None
    connection = tokens.get(*key)
    tokens.delete(*key)  # first: signing out of this computer must not depend on reaching Miro
    if connection.needs_signin:
        return SignedOut(revoked=True)  # Miro already refused them
    try:
        MiroOAuth(settings, redirect_uri=DEFAULT_REDIRECT_URI).revoke(connection.access_token)
    except (OAuthFailed, OAuthNotConfigured) as error:
        return SignedOut(revoked=False, problem=str(error))
    return SignedOut(revoked=True)


class CommandLineToken(TokenSource):
    """The stored connection's token; when Miro no longer accepts it, the message says which command fixes that."""

    def __call__(self) -> str:
        try:
            return super().__call__()
        except SignInAgain as refused:
            raise SignInAgain(f"{refused} Run `okrboard login`.") from None


def stored_token(settings, engine) -> TokenSource:
    """The command line's stored connection as a token source (refreshed like the web's); NotSignedIn if none."""
    if settings.token_keys:
        tokens = _tokens(settings, engine)
        key = _stored_key(tokens, settings)
        if key is not None:
            oauth = MiroOAuth(settings, redirect_uri=DEFAULT_REDIRECT_URI)
            return CommandLineToken(tokens, oauth.refresh, *key)
    raise NotSignedIn(
        "No Miro token: run `okrboard login`, or set MIRO_ACCESS_TOKEN (for the emulator, the token it printed "
        "at start) and MIRO_API_URL."
    )
