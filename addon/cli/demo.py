"""`okrboard demo`: run the product's loop end to end on the embedded emulator."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("demo")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.option(
    "--out",
    default="demo-output",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the demo's store, board picture and reports.",
)
@click.option("--serve", "serving", is_flag=True, help="Keep the emulator and the web app running (until Ctrl-C).")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="The web app's port with --serve.")
def demo(lang: str, out: str, serving: bool, port: int | None) -> None:
    """The whole loop with no account and no setup: emulator, sample plan, board, tracking, picture."""
    if serving:
        _serve(Path(out), lang, port)
        return
    from addon.demo.run import run_demo

    result = run_demo(Path(out), language=lang, say=click.echo)
    click.echo("\nFiles:")
    for name, path in result.files.items():
        click.echo(f"  {name:13} {path}")


def _serve(out: Path, lang: str, port: int | None) -> None:
    import threading

    from addon.demo.serve import start_demo_servers

    servers = start_demo_servers(out, language=lang, app_port=port, say=click.echo)
    click.echo(
        f"\nDashboard:            {servers.dashboard_url}\n"
        "                      (sign in with Miro: the emulator's page has Ana, the demo facilitator, chosen)\n"
        f"Board with the panel: {servers.board_url}\n"
        "                      (sign in on the dashboard first, then click the board's OKR Board icon)\n"
        "Ctrl-C stops both."
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        servers.stop()
