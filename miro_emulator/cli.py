"""`okrboard emulator` / `python -m miro_emulator`: serve the emulator until interrupted."""

from __future__ import annotations

import secrets
import signal

import click

from miro_emulator.app import create_app
from miro_emulator.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REDIRECT_URIS, EmulatorConfig
from miro_emulator.faults import parse_faults
from miro_emulator.seed import DEFAULT_USER_ID
from miro_emulator.server import serve


def _parse_user_tokens(values: tuple[str, ...]) -> dict[str, str]:
    tokens = {}
    for value in values:
        user, sep, token = value.partition("=")
        if not sep or not user or not token:
            raise click.BadParameter(f"expected USER=TOKEN, got {value!r}", param_hint="--user-token")
        tokens[token] = user
    return tokens


@click.command("emulator")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8765, show_default=True, type=int, help="Port (0 picks a free one).")
@click.option("--latency-ms", default=0.0, type=float, help="Latency added to every API request.")
@click.option(
    "--faults",
    default="",
    help="Fault spec: kind=rate pairs (5xx, 429, timeout, lost), "
    "e.g. 5xx=0.1,lost=0.05; kind@N fails the Nth API request.",
)
@click.option("--seed", default=0, type=int, show_default=True, help="Seed of fault decisions and board ids.")
@click.option(
    "--credits-per-minute", default=100_000, show_default=True, type=int, help="Rate-limit budget per user per app."
)
@click.option(
    "--state",
    "state_file",
    default=None,
    type=click.Path(dir_okay=False),
    help="Load state from FILE at start (if it exists) and save it there on shutdown.",
)
@click.option("--token", default=None, help="Fixed, non-expiring token of the default user (Ana).")
@click.option(
    "--user-token",
    multiple=True,
    metavar="USER=TOKEN",
    help="Fixed token for another user (id, email or first name). Repeatable.",
)
@click.option("--client-id", default=DEFAULT_CLIENT_ID, show_default=True, help="Registered app's client id.")
@click.option("--client-secret", default=DEFAULT_CLIENT_SECRET, show_default=True, help="Its client secret.")
@click.option("--redirect-uri", multiple=True, help="Its redirect URIs (repeatable; defaults to local ones).")
@click.option(
    "--timeout-seconds",
    default=2.0,
    show_default=True,
    type=float,
    help="How long a `timeout` fault holds a request before dropping it.",
)
@click.option(
    "--clock-offset",
    default=0.0,
    show_default=True,
    type=float,
    metavar="SECONDS",
    help="Run Miro's clock this many seconds ahead of this machine's (negative: behind): modifiedAt, Date.",
)
@click.option("--lenient-numbers", is_flag=True, help="Accept JSON numbers for string-typed style fields.")
@click.option("--access-log/--no-access-log", default=False, help="Log every request.")
def emulator_command(
    host,
    port,
    latency_ms,
    faults,
    seed,
    credits_per_minute,
    state_file,
    token,
    user_token,
    client_id,
    client_secret,
    redirect_uri,
    timeout_seconds,
    clock_offset,
    lenient_numbers,
    access_log,
):
    """Run a local Miro REST API v2 + OAuth emulator (inspection pages under /_emulator/)."""
    try:
        fault_spec = parse_faults(faults)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--faults") from None
    token = token or "emu-" + secrets.token_urlsafe(16)
    config = EmulatorConfig(
        host=host,
        port=port,
        latency_ms=latency_ms,
        faults=fault_spec,
        seed=seed,
        credits_per_minute=credits_per_minute,
        state_file=state_file,
        tokens={token: DEFAULT_USER_ID, **_parse_user_tokens(user_token)},
        client_id=client_id,
        client_secret=client_secret,
        redirect_uris=list(redirect_uri) or list(DEFAULT_REDIRECT_URIS),
        timeout_seconds=timeout_seconds,
        lenient_numbers=lenient_numbers,
        clock_offset=clock_offset,
    )
    try:
        app = create_app(config)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    emu = app.extensions["miro_emulator"]
    server = serve(app, host, port, access_log=access_log)
    base = f"http://{host}:{server.server_port}"
    click.echo(f"Miro emulator serving on {base}  (board pages: {base}/_emulator/)")
    click.echo(f"  MIRO_API_URL={base}  MIRO_AUTH_URL={base}/oauth/authorize")
    click.echo(f"  client id: {client_id}  client secret: {client_secret}")
    click.echo(f"  redirect URIs: {', '.join(config.redirect_uris)}")
    for value, user_ref in config.tokens.items():
        user = emu.store.find_user(user_ref)
        click.echo(f"  token for {user.name} ({user.id}): {value}")
    if clock_offset:
        click.echo(f"  Miro's clock runs {clock_offset:+g} s from this machine's")
    if fault_spec.rates or fault_spec.script or latency_ms:
        click.echo(f"  faults: {faults or 'none'} seed={seed} latency={latency_ms} ms")

    def stop(*_):
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, stop)  # save the state on `kill` too
    except ValueError:  # not in the main thread: Ctrl-C / shutdown by the caller only
        pass
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        server.server_close()
        if state_file:
            emu.store.save(state_file)
            click.echo(f"state saved to {state_file}")
