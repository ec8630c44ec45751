"""`okrboard kr add` / `kr replace` (rule M9) and `okrboard checkin`: thin over the services."""

from __future__ import annotations

from datetime import date

import click

from addon.domain.changes import ChangeRefused
from addon.domain.model import KeyResult, KRKind

KIND = click.Choice([k.value for k in KRKind])


def change_options(function):
    """Options shared by `kr add` and `kr replace`."""
    for option in reversed(
        [
            click.option("--title", help="What the key result measures."),
            click.option("--kind", type=KIND, help="increase, decrease, milestone or maintain."),
            click.option("--start", type=float, help="Start value (default 0)."),
            click.option("--target", type=float, help="Target value."),
            click.option("--unit", help="Unit shown after numbers."),
            click.option("--owner", help="Who owns it."),
            click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Deadline, YYYY-MM-DD."),
            click.option("--reason", required=True, help="Why the change is made (logged)."),
            click.option("--force", is_flag=True, help="Allow the change after mid-cycle; it is flagged in reports."),
            click.option(
                "--on",
                "on",
                type=click.DateTime(["%Y-%m-%d"]),
                default=None,
                help="Date of the change (default: today).",
            ),
        ]
    ):
        function = option(function)
    return function


def _fields(title, kind, start, target, unit, owner, due) -> dict:
    given = {
        "title": title,
        "kind": KRKind(kind) if kind else None,
        "start": start,
        "target": target,
        "unit": unit,
        "owner": owner,
        "due": due.date() if due else None,
    }
    return {name: value for name, value in given.items() if value is not None}


def _refused(app, print_findings, refused: ChangeRefused):
    print_findings(app.console, refused.findings)
    return click.ClickException("The change was refused: " + str(refused))


def register(main, pass_app, fail_on_domain_errors, print_findings) -> None:
    """Add the key-result change commands and `checkin` to the CLI group."""
    from addon.services.kr_changes import add_to_cycle, replace_in_cycle

    register_checkin(main, pass_app, fail_on_domain_errors)

    kr = main.commands["kr"]

    @kr.command("add")
    @click.argument("cycle_ref", metavar="CYCLE")
    @click.argument("objective_ref", metavar="OBJECTIVE")
    @change_options
    @pass_app
    @fail_on_domain_errors
    def kr_add(app, cycle_ref, objective_ref, title, kind, start, target, unit, owner, due, reason, force, on):
        """Add a key result to an objective (O2): allowed in the first half of the cycle, or with --force."""
        if not title:
            raise click.BadParameter("a new key result needs a title", param_hint="--title")
        kr = KeyResult(**_fields(title, kind, start, target, unit, owner, due))
        try:
            ref = add_to_cycle(
                app.store,
                app.tenant,
                cycle_ref,
                objective_ref,
                kr,
                on=on.date() if on else date.today(),
                reason=reason,
                force=force,
            )
        except ChangeRefused as refused:
            raise _refused(app, print_findings, refused) from None
        app.console.print(f"Added {ref}. Run `okrboard generate {cycle_ref}` to put its card on the board.")

    @kr.command("replace")
    @click.argument("cycle_ref", metavar="CYCLE")
    @click.argument("kr_ref", metavar="KR")
    @change_options
    @pass_app
    @fail_on_domain_errors
    def kr_replace(app, cycle_ref, kr_ref, title, kind, start, target, unit, owner, due, reason, force, on):
        """Replace a key result (KR2.3) in place: allowed in the first half of the cycle, or with --force."""
        changes = _fields(title, kind, start, target, unit, owner, due)
        if not changes:
            raise click.UsageError("say what changes: --title, --target, --kind, ...")
        try:
            replace_in_cycle(
                app.store,
                app.tenant,
                cycle_ref,
                kr_ref,
                changes,
                on=on.date() if on else date.today(),
                reason=reason,
                force=force,
            )
        except ChangeRefused as refused:
            raise _refused(app, print_findings, refused) from None
        app.console.print(f"Replaced {kr_ref}; the change is logged.")


def register_checkin(main, pass_app, fail_on_domain_errors) -> None:
    """Add `okrboard checkin`."""
    from addon.cli_board import gateway_for
    from addon.cli_sync import sync_lines
    from addon.services.checkin import CheckinRefused, record_checkin

    @main.command("checkin")
    @click.argument("cycle_ref", metavar="CYCLE")
    @click.option("--note", default="", help="A note kept with the check-in.")
    @click.option(
        "--on", "on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date of the check-in (default: today)."
    )
    @click.option("--no-sync", is_flag=True, help="Record the store as it is, without reading the board first.")
    @pass_app
    @fail_on_domain_errors
    def checkin(app, cycle_ref, note, on, no_sync):
        """Sync the board, then record the next of the cycle's six check-ins and fill the board's log."""
        try:
            result = record_checkin(
                app.store,
                app.tenant,
                cycle_ref,
                gateway_for(app),
                on=on.date() if on else date.today(),
                note=note,
                sync=not no_sync,
            )
        except CheckinRefused as refused:
            raise click.ClickException(str(refused)) from None
        if result.sync is not None:
            for line in sync_lines(result.sync):
                app.console.print(line, markup=False)
        late = f", {(result.on - result.due).days} days after its date ({result.due})" if result.late else ""
        app.console.print(
            f"Check-in {result.number} recorded on {result.on}{late}: "
            f"{len(result.snapshots)} key results, {result.log_cells} log cells written."
        )
        if result.log_error:
            app.console.print(
                f"The board's check-in log could not be written ({result.log_error}); the next check-in writes it.",
                markup=False,
            )
        for snap in result.snapshots:
            value = "-" if snap.value is None else f"{snap.value:g}"
            confidence = "" if snap.confidence is None else f", confidence {snap.confidence:.0%}"
            comment = f" · {snap.comment}" if snap.comment else ""
            app.console.print(
                f"  {snap.ref:7} {snap.status:12} value {value:>8}  score {snap.score:.2f}{confidence}{comment}",
                markup=False,
            )
