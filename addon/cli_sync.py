"""`okrboard sync` and `okrboard kr update`: thin over the sync services."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import click

from addon.adapters.locks import SyncBusy
from addon.services.kr_update import update_key_result
from addon.services.sync_board import SyncResult, sync_cycle

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
    for gone in result.missing:
        lines.append(
            f"missing  {gone['ref'] or gone['key']}: no longer on the board ({gone['role']}); kept in the store"
        )
    for finding in result.findings:
        lines.append(f"finding  {finding['message']}")
    usage = result.usage
    summary = "Nothing changed." if result.quiet else "Board and store are in sync."
    lines.append(
        f"{summary} {result.items} items; API calls: {usage.get('requests', 0)} "
        f"({usage.get('list_calls', 0)} list, {usage.get('reads', 0)} read, {usage.get('writes', 0)} "
        f"write), credits: {usage.get('credits', 0)}, {result.seconds:.2f} s."
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


def register(main, pass_app, fail_on_domain_errors, print_findings) -> None:
    """Add `sync` and `kr update` to the CLI group."""
    from addon.cli_board import gateway_for

    @main.command("sync")
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
    def sync(app, cycle_ref, watching, interval, fmt):
        """Sync a cycle's board and the store: moves, values, new items, conflicts, findings, API cost."""
        gateway = gateway_for(app)
        outcome = {"incomplete": False}

        def once():
            try:
                result = sync_cycle(app.store, app.tenant, cycle_ref, gateway)
            except SyncBusy as busy:
                if not watching:
                    raise click.ClickException(str(busy)) from None
                app.console.print(str(busy))
                return
            outcome["incomplete"] = not result.complete
            if fmt == "json":
                click.echo(json.dumps(result.as_dict(), ensure_ascii=False, default=str))
            else:
                for line in sync_lines(result):
                    app.console.print(line, markup=False)

        if watching:
            done = watch(once, interval, sleep=sleep)
            app.console.print(f"Stopped after {done} syncs.")
        else:
            once()
            if outcome["incomplete"]:
                raise SystemExit(1)

    @main.commands["kr"].command("update")
    @click.argument("cycle_ref", metavar="CYCLE")
    @click.argument("ref", metavar="REF")
    @click.option("--current", help="The current value (6500, 6,500, 6 500).")
    @click.option("--score", help="A manual score 0..1 (0.7, 0,7, 70%); 'none' goes back to the computed score.")
    @click.option("--confidence", help="Confidence 0..1 (0.8 or 80%).")
    @click.option("--comment", help="A comment for the next check-in.")
    @pass_app
    @fail_on_domain_errors
    def kr_update(app, cycle_ref, ref, current, score, confidence, comment):
        """Change a key result in the store; the next `okrboard sync` writes it to its card."""
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
            markup=False,
        )
