"""OKR Board for Miro. `create_app` builds the web app; Flask is imported only when it is called."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Return the web app (settings from the environment, overridden by `test_config`)."""
    from addon.web.app import create_app as factory

    return factory(test_config)
