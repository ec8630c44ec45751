"""The web app's idea of today: the real date, or the day a deployment or a test sets in `TODAY`."""

from __future__ import annotations

from datetime import date

from flask import current_app


def today() -> date:
    """Return today's date for pages, jobs and check-ins (`app.config["TODAY"]`, a callable, overrides it)."""
    override = current_app.config.get("TODAY")
    return override() if override else date.today()
