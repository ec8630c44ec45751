"""The store as a Flask extension: one `Store` per app, kept in `app.extensions`."""

from __future__ import annotations

from flask import Flask, current_app

from addon.adapters.store import Store

KEY = "okrboard_store"


class StoreExtension:
    """Opens the store named by the app's settings (migrated) and closes it with the app."""

    def __init__(self, app: Flask | None = None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Open the store for `app` (an explicit `STORE` in the config wins, for tests)."""
        store = app.config.get("STORE") or Store.open(app.config["SETTINGS"].store_url)
        app.extensions[KEY] = store


def store() -> Store:
    """The current app's store."""
    return current_app.extensions[KEY]
