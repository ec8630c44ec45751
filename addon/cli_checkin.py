"""`okrboard kr add` / `kr replace` (rule M9) and `okrboard checkin`: thin over the services."""

from __future__ import annotations

from datetime import date

import click

from addon.domain.changes import ChangeRefused
from addon.domain.model import KeyResult, KRKind

KIND = click.Choice([k.value for k in KRKind])


def kr_group(main) -> click.Group:
    """Return the `kr` command group, creating it when no other module has."""
    if "kr" not in main.commands:

        @main.group("kr")
        def kr():
            """Change key results in the store (the next sync writes them to the board)."""

    return main.commands["kr"]


def change_options(function):
    """Options shared by `kr add` and `kr replace`."""
    for option in reversed([
        click.option("--title", help="What the key result measures."),
        click.option("--kind", type=KIND, help="increase, decrease, milestone or maintain."),
        click.option("--start", type=float, help="Start value (default 0)."),
        click.option("--target", type=float, help="Target value."),
        click.option("--unit", help="Unit shown after numbers."),
        click.option("--owner", help="Who owns it."),
        click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Deadline, YYYY-MM-DD."),
        click.option("--reason", required=True, help="Why the change is made (logged)."),
        click.option("--force", is_flag=True, help="Allow the change after mid-cycle; it is flagged in reports."),
        click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="Date of the change (default: today)."),
    ]):
        function = option(function)
    return function


def _fields(title, kind, start, target, unit, owner, due) -> dict:
    given = {"title": title, "kind": KRKind(kind) if kind else None, "start": start, "target": target,
             "unit": unit, "owner": owner, "due": due.date() if due else None}
    return {name: value for name, value in given.items() if value is not None}


def _refused(app, print_findings, refused: ChangeRefused):
    print_findings(app.console, refused.findings)
    return click.ClickException("The change was refused: " + str(refused))


def register(main, pass_app, fail_on_domain_errors, print_findings) -> None:
    """Add the key-result change commands to the CLI group."""
    from addon.services.kr_changes import add_to_cycle, replace_in_cycle

    kr = kr_group(main)

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
            ref = add_to_cycle(app.store, app.tenant, cycle_ref, objective_ref, kr,
                               on=on.date() if on else date.today(), reason=reason, force=force)
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
            replace_in_cycle(app.store, app.tenant, cycle_ref, kr_ref, changes,
                             on=on.date() if on else date.today(), reason=reason, force=force)
        except ChangeRefused as refused:
            raise _refused(app, print_findings, refused) from None
        app.console.print(f"Replaced {kr_ref}; the change is logged.")
