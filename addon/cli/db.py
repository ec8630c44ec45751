"""`okrboard db upgrade`: the store's schema."""

from __future__ import annotations

import click

from addon.cli.common import App, pass_app


@click.group("db")
def db_group() -> None:
    """Manage the store's schema."""


@db_group.command("upgrade")
@pass_app
def db_upgrade(app: App) -> None:
    """Apply the store's migrations up to the newest."""
    from addon.adapters.database import upgrade
    from addon.adapters.store import Store

    store = Store.open(app.settings.store_url, migrate=False)
    upgrade(store.engine)
    click.echo("Store schema is up to date.")
