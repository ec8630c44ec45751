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
def demo(lang: str, out: str) -> None:
    """The whole loop with no account and no setup: emulator, sample plan, board, tracking, picture."""
    from addon.demo.run import run_demo

    result = run_demo(Path(out), language=lang, say=click.echo)
    click.echo("\nFiles:")
    for name, path in result.files.items():
        click.echo(f"  {name:13} {path}")
