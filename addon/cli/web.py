"""`okrboard serve` (the web app on Flask's development server) and `okrboard keys rotate`."""

from __future__ import annotations

import click

from addon.cli.common import App, fail_on_domain_errors, pass_app


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--debug", is_flag=True, help="Reload on code changes and show Flask's debugger (never in production).")
def serve(host: str, port: int, debug: bool) -> None:
    """Run the web app with Flask's development server; in production run `gunicorn 'addon:create_app()'`."""
    from addon import create_app
    from addon.web.app import ConfigError

    try:
        app = create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"OKR Board on http://{host}:{port}/ (development server; use gunicorn in production)")
    app.run(host=host, port=port, debug=debug, use_reloader=debug)


@click.group("keys")
def keys_group() -> None:
    """Manage the keys that encrypt stored Miro tokens (OKRBOARD_TOKEN_KEYS, newest first)."""


@keys_group.command("rotate")
@pass_app
@fail_on_domain_errors
def rotate(app: App) -> None:
    """Re-encrypt every stored Miro token with the newest key; then the older keys can be removed."""
    from addon.adapters.token_store import TokenCipher, TokenStore

    count = TokenStore(app.store.engine, TokenCipher(app.settings.token_keys)).rotate_keys()
    click.echo(f"Re-encrypted {count} stored Miro connection(s) with the newest key.")
