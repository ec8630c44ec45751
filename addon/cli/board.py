"""`okrboard generate`, `track` and `board render`: the board commands, thin over the services."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING

import click

from addon.cli.common import App, fail_on_domain_errors, gateway_for, pass_app, print_findings

if TYPE_CHECKING:
    from addon.services.generation.generator import GenerationSummary


def print_generation(console, summary: GenerationSummary) -> None:
    """Print a generation summary: items, API calls, credits, seconds and the board link."""
    usage = summary.usage
    console.print(
        f"Board {summary.board_id}: {summary.planned} items planned, {summary.created} created, "
        f"{summary.adopted} recovered after lost answers, {summary.already_there} already there."
    )
    waited = usage.get("waited_seconds") or 0
    console.print(
        f"API calls: {usage.get('requests', 0)} ({usage.get('retries', 0)} retried), "
        f"credits: {usage.get('credits', 0)}, {summary.seconds:.1f} s"
        + (f" ({waited:.0f} s waiting for Miro's credits)." if waited >= 1 else ".")
    )
    if summary.view_link:
        console.print(f"Open it: {summary.view_link}")
    if summary.previous_board:
        console.print(
            f"The cycle now syncs with board {summary.board_id}. Its previous board {summary.previous_board} "
            "stays on Miro as it is and is no longer synced (delete it in Miro when it is not needed)."
        )


def run_generation(
    app: App, gateway, cycle_ref: str, board: str | None, language: str | None, matrices: str = "per_kr"
) -> GenerationSummary:
    """Generate with a progress bar on the console."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from addon.services.generation.generator import BoardGenerator

    columns = (TextColumn("Generating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=app.console, transient=True) as bar:
        task = bar.add_task("board", total=None)
        generator = BoardGenerator(
            app.store,
            app.tenant,
            gateway,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            on_wait=bar.console.print,  # printed above the bar, which stays
        )
        return generator.run(cycle_ref, board=board, language=language, matrices=matrices)


@click.command("generate")
@click.argument("cycle_ref", metavar="CYCLE")
@click.option(
    "--board",
    default=None,
    metavar="new|BOARD_ID",
    help="A new board, or an existing Miro board; default: resume the cycle's board, else new.",
)
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None, help="Board language (default: the cycle's).")
@click.option("--matrices", type=click.Choice(["per_kr", "per_objective"]), default="per_kr", show_default=True)
@pass_app
@fail_on_domain_errors
def generate(app: App, cycle_ref, board, lang, matrices):
    """Generate (or resume) the workshop board of a cycle."""
    summary = run_generation(app, gateway_for(app), cycle_ref, board, lang, matrices)
    print_generation(app.console, summary)


@click.command("track")
@click.argument("cycle_ref", metavar="CYCLE")
@pass_app
@fail_on_domain_errors
def track(app: App, cycle_ref):
    """Start tracking: move every key-result card into the Kanban's first column."""
    from addon.services.track import TrackingRefused, start_tracking

    try:
        summary = start_tracking(app.store, app.tenant, cycle_ref, gateway_for(app))
    except TrackingRefused as refused:
        if refused.findings:
            print_findings(app.console, refused.findings)
        raise click.ClickException(str(refused)) from None
    calls = summary.usage.get("requests", 0)
    if summary.already_tracking and not summary.moved:
        app.console.print(
            f"Cycle {cycle_ref} is already tracking: every key-result card is in the Kanban; nothing changed "
            f"({calls} API calls)."
        )
    elif summary.already_tracking:
        app.console.print(
            f"Cycle {cycle_ref} is already tracking: {summary.moved} key-result cards that were not yet in the "
            f"Kanban moved there ({calls} API calls)."
        )
    else:
        moved = f"{summary.moved} key-result cards moved to the Kanban"
        app.console.print(f"Tracking started: {moved} ({calls} API calls).")


@click.group("board")
def board_group():
    """Look at boards."""


def _unlisted(gateway, board_id: str, listed: int) -> int | None:
    """How many of the board's items were not listed, from Miro's count (None when it gives none)."""
    from addon.services.ports import BoardError

    try:
        total = gateway.count_items(board_id)
    except BoardError:
        return None
    return None if total is None else max(total - listed, 0)


@board_group.command("render")
@click.argument("board_id")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="FILE.svg or FILE.png")
@click.option("--title", default=None)
@pass_app
@fail_on_domain_errors
def render(app: App, board_id, out, title):
    """Draw a picture of a board (SVG or PNG) from its listed items; works for any Miro board."""
    from addon.adapters.miro_gateway import miro_item
    from board_picture import cap, render_board
    from board_picture.text import MAX_TEXT_CHARS

    if not out.lower().endswith((".svg", ".png")):
        raise click.BadParameter("the file must end in .svg or .png", param_hint="--out")
    folder = Path(out).parent
    if not folder.is_dir():  # checked before listing the board, so no API call is spent on a picture never written
        raise click.BadParameter(f"the folder '{folder}' does not exist; create it first", param_hint="--out")
    gateway = gateway_for(app)
    # One more than a picture draws: enough to know the board is larger, without listing all of it.
    items = [miro_item(item) for item in itertools.islice(gateway.iter_items(board_id), cap.MAX_ITEMS + 1)]
    capped = cap.within_cap(items)
    unlisted = _unlisted(gateway, board_id, len(items)) if capped.left_out else 0
    try:
        clipped = render_board(capped.items, out, title=title, left_out=capped.left_out + (unlisted or 0))
    except OSError as error:
        raise click.BadParameter(f"cannot write '{out}': {error.strerror}", param_hint="--out") from None
    app.console.print(f"Wrote {out} ({len(capped.items)} items).")
    if capped.left_out:
        left_out = f"{capped.left_out + unlisted:,}" if unlisted is not None else "the rest"
        app.console.print(
            f"The board has more than {cap.MAX_ITEMS:,} items, the most a picture draws: {len(capped.items):,} drawn, "
            f"{left_out} left out (frames are drawn first, then the items listed first).",
        )
    if clipped:
        app.console.print(
            f"The text of {clipped} item(s) is longer than {MAX_TEXT_CHARS:,} characters: the picture shows the "
            "start, cut with '…'."
        )
