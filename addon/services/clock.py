"""The services' clock: aware UTC times, so they compare with the store's and Miro's."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)
