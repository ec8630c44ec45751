"""`okrboard kr update / add / replace`: change key results in the store (the next sync writes the board)."""

from __future__ import annotations

import functools
from datetime import date

import click

from addon.cli.common import App, fail_on_domain_errors, pass_app, print_findings
from addon.cli.sync import _value
from addon.domain.method.model import KRKind

KIND = click.Choice([k.value for k in KRKind])


@click.group("kr")
def kr_group() -> None:
    """Change key results in the store (the next sync writes them to the board)."""


@kr_group.command("update")
@click.argument("cycle_ref", metavar="CYCLE")
@click.argument("ref", metavar="REF")
@click.option("--current", help="The current value (6500, 6,500, 6 500).")
@click.option("--score", help="A manual score 0..1 (0.7, 0,7, 70%); 'none' goes back to the computed score.")
@click.option("--confidence", help="Confidence 0..1 (0.8 or 80%).")
@click.option("--comment", help="A comment for the next check-in.")
@pass_app
@fail_on_domain_errors
def kr_update(app: App, cycle_ref, ref, current, score, confidence, comment):
    """Change a key result in the store; the next `okrboard sync` writes it to its card."""
    from addon.services.kr_update import update_key_result

    if current is None and score is None and confidence is None and comment is None:
        raise click.UsageError("give at least one of --current, --score, --confidence, --comment")
    updated = update_key_result(
        app.store, app.tenant, cycle_ref, ref, current=current, score=score, confidence=confidence, comment=comment
    )
    manual = " (manual)" if updated.manual_score is not None else ""
    app.console.print(
        f"{updated.ref} {updated.title}: current {_value(updated.current)}, score "
        f"{updated.score:.2f}{manual}, confidence {_value(updated.confidence)}. "
        "Run `okrboard sync` to write it to the board.",
    )


force_option = click.option("--force", is_flag=True, help="Allow the change after mid-cycle; it is flagged in reports.")
on_option = click.option(
    "--on", "on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date of the change (default: today)."
)
optional_reason_option = click.option(
    "--reason", help="Why the change is made (logged; required once the cycle is tracking)."
)


def kr_ref_argument(_ctx, param, value: str) -> str:
    """Read a key result's ref (KR2.3, kr2.3) or stop with exit 2 naming the argument."""
    from addon.services.kr_changes import KR_REF

    ref = value.strip().upper()
    if not KR_REF.match(ref):
        raise click.BadParameter(f"'{value}' is not a key result's ref; write it like KR2.3", param=param)
    return ref


def objective_ref_argument(_ctx, param, value: str) -> str:
    """Read an objective's ref (O2, o2) or stop with exit 2 naming the argument."""
    from addon.services.kr_changes import OBJECTIVE_REF

    ref = value.strip().upper()
    if not OBJECTIVE_REF.match(ref):
        raise click.BadParameter(f"'{value}' is not an objective's ref; write it like O2", param=param)
    return ref


def change_day(on) -> date:
    """The day a change is made: --on, or today."""
    return on.date() if on else date.today()


def change_options(function):
    """Options shared by `kr add` and `kr replace`."""
    for option in reversed(
        [
            click.option("--title", help="What the key result measures."),
            click.option("--kind", type=KIND, help="increase, decrease, milestone or maintain."),
            click.option("--start", help="Start value (default 0), written as on the cycle's cards: 6,500 or 6 500."),
            click.option("--target", help="Target value, written as on the cycle's cards: 10,000 or 10 000."),
            click.option("--at-least", help="A maintain key result's floor: keep the value at or above it (99.5)."),
            click.option("--at-most", help="A maintain key result's ceiling: keep the value at or below it (25)."),
            click.option(
                "--between",
                nargs=2,
                default=None,
                metavar="LOW HIGH",
                help="A maintain key result's range: keep the value within it (--between 8 10).",
            ),
            click.option("--unit", help="Unit shown after numbers."),
            click.option("--owner", help="Who owns it."),
            click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Deadline, YYYY-MM-DD."),
            click.option("--reason", required=True, help="Why the change is made (logged)."),
            force_option,
            on_option,
        ]
    ):
        function = option(function)
    return function


def _fields(title, kind, start, target, unit, owner, due, at_least=None, at_most=None, between=None) -> dict:
    given = {
        "title": title,
        "kind": KRKind(kind) if kind else None,
        "start": start,
        "target": target,
        "at_least": at_least,
        "at_most": at_most,
        "between": tuple(between) if between else None,
        "unit": unit,
        "owner": owner,
        "due": due.date() if due else None,
    }
    return {name: value for name, value in given.items() if value is not None}


def refusals_shown(function):
    """Show the findings of a change the method refuses (M9, M6, ...) as a table, then fail with exit 1."""

    @functools.wraps(function)
    def wrapper(app: App, *args, **kwargs):
        from addon.domain.method.changes import ChangeRefused

        try:
            return function(app, *args, **kwargs)
        except ChangeRefused as refused:
            print_findings(app.console, refused.findings)
            from addon.domain.method.messages import say

            raise click.ClickException(say("change.refused", refused.language, reasons=str(refused))) from None

    return wrapper


@kr_group.command("add")
@click.argument("cycle_ref", metavar="CYCLE")
@click.argument("objective_ref", metavar="OBJECTIVE")
@change_options
@pass_app
@fail_on_domain_errors
@refusals_shown
def kr_add(app: App, cycle_ref, objective_ref, reason, force, on, **change):
    """Add a key result to an objective (O2): allowed in the first half of the cycle, or with --force."""
    from addon.services.kr_changes import add_to_cycle

    if not change["title"]:
        raise click.BadParameter("a new key result needs a title", param_hint="--title")
    ref = add_to_cycle(
        app.store,
        app.tenant,
        cycle_ref,
        objective_ref,
        _fields(**change),
        on=change_day(on),
        reason=reason,
        force=force,
    )
    app.console.print(f"Added {ref}. Run `okrboard generate {cycle_ref}` to put its card on the board.")


@kr_group.command("replace")
@click.argument("cycle_ref", metavar="CYCLE")
@click.argument("kr_ref", metavar="KR")
@change_options
@pass_app
@fail_on_domain_errors
@refusals_shown
def kr_replace(app: App, cycle_ref, kr_ref, reason, force, on, **change):
    """Replace a key result (KR2.3) in place: allowed in the first half of the cycle, or with --force."""
    from addon.services.kr_changes import replace_in_cycle

    changes = _fields(**change)
    if not changes:
        raise click.UsageError("say what changes: --title, --target, --at-least, --kind, ...")
    replace_in_cycle(
        app.store,
        app.tenant,
        cycle_ref,
        kr_ref,
        changes,
        on=change_day(on),
        reason=reason,
        force=force,
    )
    app.console.print(f"Replaced {kr_ref}; the change is logged.")


@kr_group.command("remove")
@click.argument("cycle_ref", metavar="CYCLE")
@click.argument("kr_ref", metavar="KR", callback=kr_ref_argument)
@optional_reason_option
@force_option
@on_option
@pass_app
@fail_on_domain_errors
@refusals_shown
def kr_remove(app: App, cycle_ref, kr_ref, reason, force, on):
    """Remove a key result (KR2.3): its ref is never given again, and its change log is kept."""
    from addon.services.kr_changes import remove_from_cycle

    removed = remove_from_cycle(app.store, app.tenant, cycle_ref, kr_ref, on=change_day(on), reason=reason, force=force)
    app.console.print(
        f"Removed {kr_ref} '{removed.title}'; the change is logged and its ref is not given again. "
        "On the board its card, ideas matrix and log row stay as they are but are no longer synced "
        "(the next `okrboard sync` says so); delete them in Miro when the team no longer needs them.",
    )
