"""`okrboard objective add / update`: objectives in the store (the next sync or generate writes the board)."""

from __future__ import annotations

import click

from addon.cli.common import App, fail_on_domain_errors, make_console, pass_app, print_findings
from addon.cli.kr import (
    change_day,
    force_option,
    objective_ref_argument,
    on_option,
    optional_reason_option,
    refusals_shown,
)

TYPES = click.Choice(["commitment", "inspirational", "learning"])
MAX_TEXT = 200  # characters of a title or an owner, as in plan files


def _text(_ctx, param, value: str | None) -> str | None:
    """Read a title or owner: 1 to 200 characters once trimmed, or stop with exit 2 naming the option."""
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > MAX_TEXT:
        raise click.BadParameter(f"give 1 to {MAX_TEXT} characters (got {len(text)})", param=param)
    return text


def _common_options(function):
    """Options shared by `objective add` and `objective update`."""
    for option in reversed(
        [
            click.option("--owner", callback=_text, help="Who owns the objective."),
            optional_reason_option,
            force_option,
            on_option,
        ]
    ):
        function = option(function)
    return function


def _warnings(findings) -> None:
    if findings:
        print_findings(make_console(stderr=True), findings)


@click.group("objective")
def objective_group() -> None:
    """Add and change objectives in the store (the next sync writes them to the board)."""


@objective_group.command("add")
@click.argument("cycle_ref", metavar="CYCLE")
@click.option(
    "--title", required=True, callback=_text, help="What the objective wants to reach, in words (no numbers: M3)."
)
@click.option("--type", "type_", type=TYPES, required=True, help="commitment, inspirational or learning (M10).")
@click.option("--aligned-to", help="A team objective's company objective (O2 of the company cycle).")
@_common_options
@pass_app
@fail_on_domain_errors
@refusals_shown
def objective_add(app: App, cycle_ref, title, type_, aligned_to, owner, reason, force, on):
    """Add an objective after the others (at most five, M2); on a tracked cycle it is logged."""
    from addon.domain.method.model import ObjectiveType
    from addon.services.objective_changes import add_to_cycle

    ref, findings = add_to_cycle(
        app.store,
        app.tenant,
        cycle_ref,
        title=title,
        type=ObjectiveType(type_),
        owner=owner,
        aligned_to=aligned_to,
        on=change_day(on),
        reason=reason,
        force=force,
    )
    app.console.print(
        f"Added {ref}. Give it key results with `okrboard kr add {cycle_ref} {ref}`, then run "
        f"`okrboard generate {cycle_ref}` to put it on the board.",
    )
    _warnings([f for f in findings if f.rule != "M5"])  # it has no key results yet, as expected


@objective_group.command("update")
@click.argument("cycle_ref", metavar="CYCLE")
@click.argument("objective_ref", metavar="OBJECTIVE", callback=objective_ref_argument)
@click.option("--title", callback=_text, help="The new title.")
@click.option("--type", "type_", type=TYPES, help="commitment, inspirational or learning (M10).")
@_common_options
@pass_app
@fail_on_domain_errors
@refusals_shown
def objective_update(app: App, cycle_ref, objective_ref, title, type_, owner, reason, force, on):
    """Change an objective's title, type or owner (O2); the next `okrboard sync` rewrites its labels."""
    from addon.domain.method.model import ObjectiveType
    from addon.services.objective_changes import update_in_cycle

    given = {"title": title, "type": ObjectiveType(type_) if type_ else None, "owner": owner}
    changes = {name: value for name, value in given.items() if value is not None}
    if not changes:
        raise click.UsageError("say what changes: --title, --type or --owner")
    changed, findings = update_in_cycle(
        app.store,
        app.tenant,
        cycle_ref,
        objective_ref,
        changes,
        on=change_day(on),
        reason=reason,
        force=force,
    )
    ref = objective_ref
    if not changed:
        app.console.print(f"{ref} already reads so; nothing changed.")
    else:
        app.console.print(
            f"Updated {ref}: {', '.join(changed)}. Run `okrboard sync {cycle_ref}` to rewrite its card and labels.",
        )
    _warnings([f for f in findings if f.rule == "M3"])
