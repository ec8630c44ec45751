"""`okrboard checkin`: sync, then record the next check-in and fill the board's log."""

from __future__ import annotations

from datetime import date

import click

from addon.cli.common import App, fail_on_domain_errors, gateway_for, pass_app

today = date.today  # the default check-in date (tests replace it)


@click.command("checkin")
@click.argument("cycle_ref", metavar="CYCLE")
@click.option("--note", default=None, help="A note kept with the check-in (with --amend: replaces its note).")
@click.option(
    "--on", "on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date of the check-in (default: today)."
)
@click.option("--no-sync", is_flag=True, help="Record the store as it is, without reading the board first.")
@click.option(
    "--amend",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Correct check-in N with the key results as they are now (its earlier version is kept).",
)
@pass_app
@fail_on_domain_errors
def checkin(app: App, cycle_ref, note, on, no_sync, amend):
    """Sync the board, then record the next of the cycle's six check-ins and fill the board's log."""
    from addon.cli.sync import sync_lines
    from addon.services.checkin import record_checkin

    result = record_checkin(
        app.store,
        app.tenant,
        cycle_ref,
        gateway_for(app),
        on=on.date() if on else today(),
        note=note,
        sync=not no_sync,
        explicit_date=on is not None,
        amend=amend,
    )
    if result.sync is not None:
        for line in sync_lines(result.sync):
            app.console.print(line)
    late = f", {(result.on - result.due).days} days after its date ({result.due})" if result.late else ""
    app.console.print(
        f"Check-in {result.number} {'corrected (its earlier version is kept)' if result.amended else 'recorded'} "
        f"on {result.on}{late}: "
        f"{len(result.snapshots)} key results, {result.log_cells} log cells written."
    )
    if result.log_error:
        app.console.print(
            f"The board's check-in log could not be written ({result.log_error}); the next check-in writes it.",
        )
    for snap in result.snapshots:
        value = "-" if snap.value is None else f"{snap.value:g}"
        confidence = "" if snap.confidence is None else f", confidence {snap.confidence:.0%}"
        comment = f" · {snap.comment}" if snap.comment else ""
        app.console.print(
            f"  {snap.ref:7} {snap.status:12} value {value:>8}  score {snap.score:.2f}{confidence}{comment}",
        )
