"""`okrboard login` and `okrboard logout`: connect the command line to Miro through the browser, or disconnect."""

from __future__ import annotations

import click

from addon.cli.common import App, fail_on_domain_errors, pass_app


@click.command("login")
@click.option(
    "--redirect-uri",
    envvar="MIRO_CLI_REDIRECT_URI",
    default="http://127.0.0.1:8899/callback",
    show_default=True,
    help="Loopback redirect URI registered with the Miro app (env MIRO_CLI_REDIRECT_URI); its port is listened on.",
)
@click.option("--any-port", is_flag=True, help="Listen on a random free port (for servers that accept any one).")
@click.option("--no-browser", is_flag=True, help="Only print the sign-in address, to open it yourself.")
@click.option("--timeout", default=300, show_default=True, type=click.IntRange(1, 3600), help="Seconds to wait.")
@pass_app
@fail_on_domain_errors
def login(app: App, redirect_uri: str, any_port: bool, no_browser: bool, timeout: int) -> None:
    """Sign in with Miro in the browser; later commands use the stored connection instead of MIRO_ACCESS_TOKEN."""
    import webbrowser

    from addon.adapters.cli_login import login as sign_in

    signed_in = sign_in(
        app.settings,
        app.store.engine,
        open_browser=(lambda _url: None) if no_browser else webbrowser.open,
        say=lambda text: click.echo(text, err=True),
        redirect_uri=redirect_uri,
        any_port=any_port,
        timeout=timeout,
    )
    click.echo(
        f"Signed in to Miro as {signed_in.user_name} ({signed_in.team_name}, team {signed_in.team_id}); "
        "the tokens are stored encrypted and renewed when they expire."
    )
    if app.settings.miro_access_token:
        click.echo("MIRO_ACCESS_TOKEN is set and still wins: unset it to use this sign-in.", err=True)


@click.command("logout")
@pass_app
@fail_on_domain_errors
def logout(app: App) -> None:
    """Revoke the command line's Miro connection at Miro and forget its tokens."""
    from addon.adapters.cli_login import logout as sign_out

    signed_out = sign_out(app.settings, app.store.engine)
    if signed_out is None:
        click.echo("Not signed in: there was no stored Miro connection.")
    elif signed_out.revoked:
        click.echo("Signed out: the command line's Miro tokens were revoked and deleted.")
    else:
        click.echo("Signed out: the command line's Miro tokens were deleted here.")
        click.echo(
            f"Warning: Miro did not revoke them: {signed_out.problem} Miro accepts them until they expire; to end "
            "them now, run `okrboard login` and `okrboard logout` again once Miro can be reached and the app is set.",
            err=True,
        )
