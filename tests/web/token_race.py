"""A child process of the refresh race: asks for a fresh access token once the start event is set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def race(database_url: str, keys: list[str], settings, team_id: str, user_id: str, start, answers) -> None:
    """Wait for the start signal, then ask for a usable token as a late process would."""
    from addon.adapters.database import make_engine
    from addon.adapters.miro_oauth import MiroOAuth
    from addon.adapters.token_store import TokenCipher, TokenStore

    later = datetime.now(UTC) + timedelta(hours=2)  # every racer sees the stored token as expired
    tokens = TokenStore(make_engine(database_url), TokenCipher(keys), clock=lambda: later)
    start.wait(30)
    answers.put(tokens.access_token(team_id, user_id, MiroOAuth(settings).refresh))
