"""`okrboard sync [--watch]`: read the board into the store and write store changes back."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from addon.cli.common import App, fail_on_domain_errors, gateway_for, pass_app

if TYPE_CHECKING:
    from addon.services.sync_board import SyncResult

sleep = time.sleep  # what --watch waits with (tests replace it)


def _value(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def sync_lines(result: SyncResult) -> list[str]:
    """Describe a sync result in lines a person reads: changes first, then findings, then the cost."""
    lines = []
    if not result.complete:
        lines.append("Incomplete listing: nothing was changed.")
    for move in result.moves:
        lines.append(f"moved    {move['ref']} {move['field']}: {_value(move['old'])} -> {_value(move['new'])}")
    for change in result.values:
        lines.append(f"value    {change['ref']} {change['field']}: {_value(change['old'])} -> {_value(change['new'])}")
    for new in result.new_items:
        lines.append(f"new      {new['kind'].replace('_', ' ')} of {new['ref']}: {new['text']}")
    for conflict in result.conflicts:
        lines.append(
            f"conflict {conflict['ref']} {conflict['field']}: board {_value(conflict['board_value'])}, "
            f"store {_value(conflict['store_value'])} (was {_value(conflict['base'])}) -> kept the "
            f"{conflict['resolution']}'s ({conflict['rule']})"
        )
    for patch in result.patches:
        what = ", ".join(patch["data"] + (["position"] if patch["moved"] else []))
        lines.append(f"board    {patch['ref']}: wrote {what} ({patch['reason']})")
    for skipped in result.skipped:
        lines.append(f"skipped  {skipped['message']}")
    for gone in result.missing:
        lines.append(
            f"missing  {gone['ref'] or gone['key']}: no longer on the board ({gone['role']}); kept in the store"
        )
    for finding in result.findings:
        lines.append(f"finding  {finding['message']}")
    said = {finding["message"] for finding in result.findings}
    for problem in result.open_problems:  # found by an earlier sync and still on the board
        if problem["message"] not in said:
            lines.append(f"open     {problem['message']}")
    usage = result.usage
    summary = "Nothing changed." if result.quiet else "Board and store are in sync."
    lines.append(
        f"{summary} {result.items} items; API calls: {usage.get('requests', 0)} "
        f"({usage.get('list_calls', 0)} list, {usage.get('reads', 0)} read, {usage.get('writes', 0)} "
        f"write; {usage.get('reads_before_writes', 0)} read before writing, {usage.get('skipped_writes', 0)} "
        f"skipped: changed under the sync), credits: {usage.get('credits', 0)}, {result.seconds:.2f} s."
    )
    return lines


def watch(
    run_once: Callable[[], None],
    interval: float,
    sleep: Callable[[float], None] = time.sleep,
    rounds: int | None = None,
) -> int:
    """Run `run_once` every `interval` seconds until Ctrl-C (or `rounds` runs); return how many ran."""
    done = 0
    try:
        while rounds is None or done < rounds:
            run_once()
            done += 1
            if rounds is None or done < rounds:
                sleep(interval)
    except KeyboardInterrupt:
        pass
    return done


@click.command("sync")
@click.argument("cycle_ref", metavar="CYCLE")
@click.option("--watch", "watching", is_flag=True, help="Sync again every --interval seconds until Ctrl-C.")
@click.option(
    "--interval",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    help="Seconds between syncs with --watch.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_app
@fail_on_domain_errors
def sync(app: App, cycle_ref, watching, interval, fmt):
    """Sync a cycle's board and the store: moves, values, new items, conflicts, findings, API cost."""
    from addon.adapters.locks import SyncBusy
    from addon.services.sync_board import sync_cycle

    gateway = gateway_for(app)
    outcome = {"incomplete": False}

    def once():
        try:
            result = sync_cycle(app.store, app.tenant, cycle_ref, gateway)  # the skew window comes with the gateway
        except SyncBusy as busy:
            if not watching:
                raise click.ClickException(str(busy)) from None
            app.console.print(str(busy))
            return
        outcome["incomplete"] = not result.complete
        if fmt == "json":
            click.echo(json.dumps(result.as_dict(), ensure_ascii=False, default=str, allow_nan=False))
        else:
            for line in sync_lines(result):
                app.console.print(line)

    if watching:
        done = watch(once, interval, sleep=sleep)
        app.console.print(f"Stopped after {done} syncs.")
    else:
        once()
        if outcome["incomplete"]:
            raise SystemExit(1)
