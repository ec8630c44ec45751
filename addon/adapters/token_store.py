"""Miro tokens at rest: encrypted with MultiFernet (newest key first), refreshed single-flight across processes.

A refresh happens under a row lock on the user's token row: a no-op UPDATE first takes PostgreSQL's row lock or
SQLite's write lock, so of several processes racing, one calls Miro's token endpoint and the others wait, then read
the pair it stored. That matters because Miro rotates both tokens on refresh: a second refresh with the old
refresh token would be refused and the connection lost
(https://developers.miro.com/reference/get-new-access-token-using-refresh-token).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from addon.adapters.orm import SecretRow, utcnow
from addon.domain.errors import OkrError

REFRESH_MARGIN = timedelta(minutes=2)  # refresh this long before Miro's expiry, so no request meets a dead token


class TokenKeysMissing(OkrError):
    """OKRBOARD_TOKEN_KEYS is not set or holds no valid key."""


class SignInAgain(OkrError):
    """Miro no longer accepts this user's tokens (refused refresh or no tokens): they must sign in with Miro again."""


class GrantRefused(Exception):
    """The token endpoint refused the refresh token (OAuth `invalid_grant`)."""


class TokenCipher:
    """Encrypts token pairs with the newest key and reads anything encrypted with any listed key."""

    def __init__(self, keys: list[str]):
        if not keys:
            raise TokenKeysMissing(
                "OKRBOARD_TOKEN_KEYS is not set: give one or more Fernet keys, newest first "
                "(make one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`)."
            )
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except ValueError:
            raise TokenKeysMissing(
                "OKRBOARD_TOKEN_KEYS: every key must be 32 url-safe base64-encoded bytes (a Fernet key)."
            ) from None

    def encrypt(self, pair: dict) -> str:
        """Encrypt a token pair."""
        return self._fernet.encrypt(json.dumps(pair).encode()).decode()

    def decrypt(self, ciphertext: str) -> dict:
        """Decrypt a token pair; a ciphertext no listed key opens means the user must sign in again."""
        try:
            return json.loads(self._fernet.decrypt(ciphertext.encode()))
        except InvalidToken:
            raise SignInAgain(
                "The stored Miro connection cannot be read with the current keys: sign in again."
            ) from None

    def rotate(self, ciphertext: str) -> str:
        """Re-encrypt with the newest key."""
        return self._fernet.rotate(ciphertext.encode()).decode()


@dataclass(frozen=True)
class Connection:
    """A user's Miro connection as stored."""

    access_token: str
    refresh_token: str | None
    expires_at: datetime | None
    needs_signin: bool
    refreshes: int


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def expiry(token: dict, now: datetime) -> datetime | None:
    """When a token endpoint answer expires (`expires_in` seconds from now), if it says."""
    seconds = token.get("expires_in")
    return now + timedelta(seconds=int(seconds)) if seconds else None


class TokenStore:
    """Users' Miro tokens, encrypted, per team and Miro user."""

    def __init__(self, engine: Engine, cipher: TokenCipher, clock: Callable[[], datetime] = utcnow):
        self.engine, self.cipher, self.clock = engine, cipher, clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def _row(self, session: Session, team_id: str, user_id: str) -> SecretRow | None:
        return session.scalar(select(SecretRow).where(SecretRow.tenant_id == team_id, SecretRow.user_id == user_id))

    def save(self, team_id: str, user_id: str, token: dict) -> None:
        """Store a token endpoint answer (access and refresh token, expiry) for a user, replacing any older one."""
        with self._sessions() as session, session.begin():
            self._write(session, team_id, user_id, token)

    def _write(self, session: Session, team_id: str, user_id: str, token: dict, refreshed: bool = False) -> None:
        pair = {"access_token": token["access_token"], "refresh_token": token.get("refresh_token")}
        row = self._row(session, team_id, user_id)
        if row is None:
            row = SecretRow(tenant_id=team_id, user_id=user_id, refreshes=0)
            session.add(row)
        row.ciphertext = self.cipher.encrypt(pair)
        row.expires_at = expiry(token, self.clock())
        row.needs_signin = False
        row.refreshes = (row.refreshes or 0) + (1 if refreshed else 0)

    def get(self, team_id: str, user_id: str) -> Connection | None:
        """The user's connection, or None when they never signed in."""
        with self._sessions() as session:
            row = self._row(session, team_id, user_id)
            if row is None:
                return None
            pair = self.cipher.decrypt(row.ciphertext)
            return Connection(
                pair["access_token"], pair.get("refresh_token"), _aware(row.expires_at), row.needs_signin, row.refreshes
            )

    def delete(self, team_id: str, user_id: str) -> None:
        """Forget a user's tokens (sign out of Miro, uninstall)."""
        with self._sessions() as session, session.begin():
            row = self._row(session, team_id, user_id)
            if row is not None:
                session.delete(row)

    def _due(self, connection: Connection, rejected: str | None) -> bool:
        if rejected is not None and connection.access_token == rejected:
            return True
        return connection.expires_at is not None and connection.expires_at - REFRESH_MARGIN <= self.clock()

    def access_token(
        self, team_id: str, user_id: str, refresh: Callable[[str], dict], *, rejected: str | None = None
    ) -> str:
        """A usable access token: the stored one, or a new one from `refresh(refresh_token)` when it is about to
        expire or Miro just rejected it. Raises SignInAgain when there is none or Miro refuses the refresh."""
        connection = self.get(team_id, user_id)
        if connection is None or connection.needs_signin:
            raise SignInAgain("Sign in with Miro again: the app has no working connection to your Miro account.")
        if not self._due(connection, rejected):
            return connection.access_token
        with self._sessions() as session, session.begin():
            # Take the row's lock before reading it again: whoever waited here sees the pair the winner stored.
            session.execute(
                update(SecretRow)
                .where(SecretRow.tenant_id == team_id, SecretRow.user_id == user_id)
                .values(refreshes=SecretRow.refreshes)
            )
            row = self._row(session, team_id, user_id)
            session.refresh(row)
            pair = self.cipher.decrypt(row.ciphertext)
            current = Connection(
                pair["access_token"], pair.get("refresh_token"), _aware(row.expires_at), row.needs_signin, row.refreshes
            )
            if current.needs_signin:
                raise SignInAgain("Sign in with Miro again: Miro no longer accepts the app's connection.")
            if not self._due(current, rejected) or current.access_token != connection.access_token:
                return current.access_token  # another process refreshed while we waited
            token = None
            if current.refresh_token:
                try:
                    token = refresh(current.refresh_token)
                except GrantRefused:
                    token = None
            if token is None:
                row.needs_signin = True  # kept: the UI says "sign in again" until they do
            else:
                self._write(session, team_id, user_id, token, refreshed=True)
        if token is None:
            raise SignInAgain("Miro refused to renew the app's connection: sign in with Miro again.")
        return token["access_token"]

    def rotate_keys(self) -> int:
        """Re-encrypt every stored pair with the newest key; return how many."""
        with self._sessions() as session, session.begin():
            rows = session.scalars(select(SecretRow)).all()
            for row in rows:
                row.ciphertext = self.cipher.rotate(row.ciphertext)
            return len(rows)


class TokenSource:
    """The token of one stored connection, for a MiroClient: fresh before expiry, refreshed once on Miro's 401."""

    def __init__(self, tokens: TokenStore, refresh: Callable[[str], dict], team_id: str, user_id: str):
        self.tokens, self.refresh, self.team_id, self.user_id = tokens, refresh, team_id, user_id
        self._rejected: str | None = None

    def __call__(self) -> str:
        rejected, self._rejected = self._rejected, None
        return self.tokens.access_token(self.team_id, self.user_id, self.refresh, rejected=rejected)

    def rejected(self, token: str) -> None:
        """Miro answered 401 to `token`: the next call refreshes (unless another process already did)."""
        self._rejected = token
