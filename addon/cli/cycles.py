"""`okrboard cycle import / list / show`: cycles in the store."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import click

from addon.cli.common import App, fail_on_domain_errors, make_console, pass_app, print_findings
from addon.cli.kr import change_day, force_option, on_option, optional_reason_option

if TYPE_CHECKING:
    from rich.console import Console


@click.group("cycle")
def cycle_group() -> None:
    """Import, update, list, show, rename and delete cycles."""


@cycle_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--as-new", is_flag=True, help="Import even if a cycle of that name, level and team is stored.")
@pass_app
@fail_on_domain_errors
def cycle_import(app: App, file: str, as_new: bool) -> None:
    """Store the cycle of a plan file and print its id."""
    from addon.services import cycles as cycle_service

    imported, findings = cycle_service.import_plan_file(file, app.store, app.tenant, as_new=as_new)
    click.echo(imported.id)
    if findings:
        print_findings(make_console(stderr=True), findings)


@cycle_group.command("update")
@click.argument("cycle_ref", metavar="CYCLE")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would change (and be logged); change nothing.")
@optional_reason_option
@force_option
@on_option
@pass_app
@fail_on_domain_errors
def cycle_update(app: App, cycle_ref: str, file: str, dry_run: bool, reason, force, on) -> None:
    """Update a cycle from its edited plan file: lists what is added (+), changed (~) and removed (-). A tracking
    cycle takes the changes as `kr` and `objective` commands would (M9): logged with --reason, all or none."""
    from addon.domain.method.changes import ChangeRefused
    from addon.services.cycle_update import TrackedChange, update_from_plan_file

    tracked = TrackedChange(on=change_day(on), reason=reason, force=force)
    try:
        update, findings = update_from_plan_file(
            file, app.store, app.tenant, cycle_ref, dry_run=dry_run, tracked=tracked
        )
    except ChangeRefused as refused:
        print_findings(app.console, refused.findings)
        raise click.ClickException(
            f"{len(refused.findings)} change(s) refused (listed above); nothing was changed."
        ) from None
    _show_ignored(app.console, update)
    if not update.changes:
        app.console.print(f"Cycle {update.cycle.id} already matches {file}; nothing changed.")
        return
    for change in update.changes:
        app.console.print(change.line())
    if update.logged:
        app.console.print("Would log:" if dry_run else "Logged:")
    for entry in update.logged:
        app.console.print(f"  {entry.line()}")
    if dry_run:
        app.console.print(f"{len(update.changes)} change(s) found; nothing was changed (--dry-run).")
        return
    app.console.print(
        f"Cycle {update.cycle.id} updated ({len(update.changes)} change(s)). Removed key results keep their refs "
        f"taken; run `okrboard sync {cycle_ref}` to relabel its board and `okrboard generate {cycle_ref}` to put "
        "new items on it.",
    )
    if findings:
        print_findings(make_console(stderr=True), findings)


def _show_ignored(console: Console, update) -> None:
    """Print the plan's values that a tracking cycle does not take (its board and check-ins measure them)."""
    for change in update.ignored:
        console.print(
            f"Not applied: {change.ref} {change.what} (a tracking cycle's values come from its board; "
            "use `okrboard kr update`).",
        )


@cycle_group.command("list")
@pass_app
def cycle_list(app: App) -> None:
    """List the cycles in the store, newest first."""
    from rich.table import Table

    cycles = app.store.list_cycles(app.tenant)  # a Core read: listing loads no ORM
    if not cycles:
        app.console.print("No cycles yet: import one with `okrboard cycle import PLAN.yaml`.")
        return
    table = Table("id", "name", "level", "team", "start", "end", "status", "objectives")
    for c in cycles:
        row = (c.id, c.name, c.level, c.team or "", c.start, c.end, c.status, c.objectives)
        table.add_row(*(str(value) for value in row))
    app.console.print(table)


def _target_text(kr: dict) -> str:
    """A key result's target, or a maintain key result's threshold (>= 99.5, <= 25, 8..10)."""
    low, high = kr.get("at_least"), kr.get("at_most")
    if low is not None and high is not None:
        return f"{low:g}..{high:g}"
    if low is not None:
        return f">= {low:g}"
    if high is not None:
        return f"<= {high:g}"
    return "" if kr["target"] is None else f"{kr['target']:g}"


def _score_text(kr: dict) -> str:
    """The capped score, with the progress beside it when the key result passed its target: 1.00 (125%)."""
    text = f"{kr['score']:.2f}"
    if kr.get("manual_score") is None and round(kr.get("progress", 0) * 100) > 100:
        text += f" ({kr['progress']:.0%})"
    return text


@cycle_group.command("rename")
@click.argument("cycle_ref", metavar="CYCLE")
@click.argument("name")
@pass_app
@fail_on_domain_errors
def cycle_rename(app: App, cycle_ref: str, name: str) -> None:
    """Rename a cycle (its Miro board keeps its own name)."""
    from addon.services.cycle_life import rename_cycle

    cycle, old = rename_cycle(app.store, app.tenant, cycle_ref, name)
    app.console.print(f"Cycle {cycle.id} renamed from '{old}' to '{cycle.name}'.")


@cycle_group.command("delete")
@click.argument("cycle_ref", metavar="CYCLE")
@click.option("--yes", is_flag=True, help="Delete without asking.")
@pass_app
@fail_on_domain_errors
def cycle_delete(app: App, cycle_ref: str, yes: bool) -> None:
    """Delete a cycle and all it recorded from the store; its Miro boards are left as they are."""
    from addon.services.cycle_life import delete_cycle, deletion

    plan = deletion(app.store, app.tenant, cycle_ref)
    cycle = plan.cycle
    what = f"cycle {cycle.id} '{cycle.name}' ({len(cycle.objectives)} objectives, {plan.checkins} check-ins)"
    if not yes and not click.confirm(f"Delete {what} from the store?", default=False):
        raise click.ClickException("Nothing was deleted.")
    delete_cycle(app.store, app.tenant, plan)
    app.console.print(f"Deleted {what}.")
    for board in plan.boards:
        app.console.print(f"Its Miro board {board} stays on Miro as it is (delete it in Miro if not needed).")


def show_cycle_text(console: Console, view: dict) -> None:
    """Print a cycle's objectives, key results and scores as tables."""
    from rich.table import Table
    from rich.text import Text

    from addon.domain.method.rules import Finding, Severity

    c = view["cycle"]
    console.print(
        Text.assemble(
            (c["name"], "bold"),
            f" (id {c['id']}, {c['level']}{', ' + c['team'] if c['team'] else ''}) "
            f"{c['start']} to {c['end']}, status {c['status']}",
        )
    )
    console.print("Check-ins: " + ", ".join(c["checkin_dates"]))
    for objective in view["objectives"]:
        score = "-" if objective["score"] is None else f"{objective['score']:.2f}"
        aligned = f", aligned to {objective['aligned_to']}" if objective["aligned_to"] else ""
        if objective.get("carried_from"):
            aligned += ", carried from {cycle} {ref}".format(**objective["carried_from"])
        console.print(
            Text.assemble(
                "\n",
                (objective["ref"], "bold"),
                f" {objective['title']} ({objective['type'] or 'no type'}, {objective['owner'] or 'no owner'}"
                f"{aligned}) score {score}",
            )
        )
        table = Table(
            "ref",
            "key result",
            "kind",
            "start",
            "target",
            "current",
            "score",
            "confidence",
            "health",
            "status",
            "owner",
            "due",
        )
        for kr in objective["key_results"]:
            table.add_row(
                kr["ref"],
                kr["title"],
                kr["kind"],
                ""
                if kr["start"] is None or kr["at_least"] is not None or kr["at_most"] is not None
                else f"{kr['start']:g}",
                _target_text(kr),
                "" if kr["current"] is None else f"{kr['current']:g}",
                _score_text(kr),
                "" if kr["confidence"] is None else f"{kr['confidence']:.0%}",
                (kr["health"] or {}).get("health", "").replace("_", " "),
                kr["status"],
                kr["owner"] or "",
                kr["due"] or "",
            )
        console.print(table)
    if view.get("attention"):
        console.print("\nNeeds attention", style="bold")
        for item in view["attention"]:
            console.print(f"  {item['ref']:7} {item['health'].replace('_', ' ')}: {'; '.join(item['reasons'])}")
    _show_teams(console, view)
    _show_carried(console, view)
    _show_history(console, view)
    console.print()
    print_findings(
        console, [Finding(f["rule"], Severity(f["severity"]), f["ref"], f["message"]) for f in view["findings"]]
    )


def _show_teams(console: Console, view: dict) -> None:
    """Print the team cycles under a company cycle with their scores."""
    from rich.table import Table

    if not view.get("team_cycles"):
        return
    console.print("\nTeam cycles", style="bold")
    table = Table("id", "name", "team", "status", "score")
    for team in view["team_cycles"]:
        score = "-" if team["score"] is None else f"{team['score']:.2f}"
        table.add_row(str(team["id"]), team["name"], team["team"] or "", team["status"], score)
    console.print(table)


def _show_carried(console: Console, view: dict) -> None:
    """Print where next-cycle carried each key result from (cycle id and ref there)."""
    carried = [kr for o in view["objectives"] for kr in o["key_results"] if kr.get("carried_from")]
    if carried:
        console.print("\nCarried over", style="bold")
    for kr in carried:
        link = kr["carried_from"]
        console.print(f"  {kr['ref']:7} from {link['cycle']} {link['ref']} (cycle {link['cycle_id']})")


def _show_history(console: Console, view: dict) -> None:
    """Print the recorded check-ins, the key-result change log with reasons, and the retrospective notes."""
    if view["checkins"]:
        console.print("\nCheck-ins recorded", style="bold")
    for checkin in view["checkins"]:
        scores = ", ".join(f"{s['ref']} {s['score']:.2f}" for s in checkin["snapshots"])
        amended = f" (corrected {len(checkin['history'])} time(s))" if checkin.get("history") else ""
        note = f" · {checkin['note']}" if checkin["note"] else ""
        console.print(f"  {checkin['number']}. {checkin['date']}{amended}{note}: {scores}")
    changes = sorted(
        [(o["ref"], c) for o in view["objectives"] for c in o.get("changes", [])]
        + [
            (kr["ref"], c)
            for o in view["objectives"]
            for kr in o["key_results"] + o.get("removed_key_results", [])
            for c in kr.get("changes", [])
        ],
        key=lambda pair: pair[1]["on"],
    )
    if changes:
        console.print("\nKey-result and objective changes", style="bold")
    for ref, change in changes:
        forced = " (forced)" if change["forced"] else ""
        previous = f", was '{change['previous']}'" if change["previous"] else ""
        console.print(f"  {change['on']} {ref} {change['action']}{forced}{previous}: {change['reason']}")
    if view.get("retro"):
        console.print("\nRetrospective", style="bold")
    for note in view.get("retro", []):
        console.print(f"  {note['section']}: {note['text']}")


@cycle_group.command("show")
@click.argument("cycle_ref", metavar="CYCLE")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--on", "on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Judge health on this day (default: today)."
)
@pass_app
@fail_on_domain_errors
def cycle_show(app: App, cycle_ref: str, fmt: str, on) -> None:
    """Show a cycle (by id or name): key results with score, confidence and health, what needs attention, findings."""
    from addon.domain.method.rules import check_cycle
    from addon.services import cycles as cycle_service
    from addon.services import sync_board

    found, parent = cycle_service.load_cycle(app.store, app.tenant, cycle_ref)
    view = cycle_service.cycle_view(
        found,
        check_cycle(found, parent=parent),
        sync_board.cycle_conflicts(app.store, app.tenant, found.id),
        today=on.date() if on else date.today(),
        teams=cycle_service.load_team_cycles(app.store, app.tenant, found),
    )
    if fmt == "json":
        click.echo(json.dumps(view, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        show_cycle_text(app.console, view)
