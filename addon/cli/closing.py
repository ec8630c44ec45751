"""`okrboard close CYCLE` and `okrboard next-cycle CYCLE --start DATE [--keep O1,O3] [--weeks 6|13]`."""

from __future__ import annotations

from datetime import date

import click

from addon.cli.common import App, fail_on_domain_errors, gateway_for, pass_app
from addon.domain.method.messages import say


@click.command("close")
@click.argument("cycle_ref", metavar="CYCLE")
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Closing date (default: today).")
@click.option("--no-sync", is_flag=True, help="Close on the store as it is, without reading the board first.")
@pass_app
@fail_on_domain_errors
def close(app: App, cycle_ref: str, on, no_sync: bool) -> None:
    """Sync a last time, record the final scores and verdicts, write them on the board: the cycle is then read-only."""
    from addon.cli.sync import sync_lines
    from addon.services.closing import close_cycle, closing_line
    from addon.services.report_text import text

    gateway = None if no_sync else gateway_for(app)
    result = close_cycle(
        app.store, app.tenant, cycle_ref, gateway, on=on.date() if on else date.today(), sync=not no_sync
    )
    for line in sync_lines(result.sync) if result.sync else ():
        app.console.print(line)
    lang = result.cycle.language
    for score in result.closing.scores:
        shown = "-" if score.score is None else f"{score.score:.2f}".replace(".", "," if lang == "fr" else ".")
        kind = say(f"close.type_{score.type or 'none'}", lang)
        verdict = text("verdict_" + score.verdict.replace(" ", "_"), lang)
        app.console.print(say("close.score", lang, ref=score.ref, score=shown, kind=kind, verdict=verdict))
    app.console.print(closing_line(result.cycle))
    if result.header_written:
        app.console.print(say("close.header_written", lang))
    elif result.header_error:
        app.console.print(say("close.header_failed", lang, error=result.header_error))
    app.console.print(say("close.done", lang, name=result.cycle.name))


def _refs(value: str | None) -> list[str]:
    if not value:
        return []
    refs = [part.strip().upper() for part in value.split(",") if part.strip()]
    bad = [ref for ref in refs if not (ref.startswith("O") and ref[1:].isdigit())]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: write objective refs such as O1,O3", param_hint="--keep")
    return list(dict.fromkeys(refs))


@click.command("next-cycle")
@click.argument("cycle_ref", metavar="CYCLE")
@click.option("--start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day of the next cycle.")
@click.option("--keep", default="", help="Objectives to carry over, e.g. O1,O3 (their unfinished key results come).")
@click.option("--weeks", type=click.Choice(["6", "13"]), default="13", show_default=True, help="Cycle length.")
@click.option("--name", default=None, help="Name of the next cycle (default: the closed one's, then '(next)').")
@pass_app
@fail_on_domain_errors
def next_cycle(app: App, cycle_ref: str, start, keep: str, weeks: str, name: str | None) -> None:
    """Create the next cycle of a closed one as a draft: same level, team and parent, the kept objectives."""
    from addon.services.closing import start_next_cycle

    result = start_next_cycle(
        app.store, app.tenant, cycle_ref, start=start.date(), weeks=int(weeks), keep=_refs(keep), name=name
    )
    c = result.cycle
    click.echo(c.id)
    counts = {"objectives": len(c.objectives), "key_results": result.carried_key_results}
    click.echo(say("next.created", c.language, name=c.name, start=c.start, end=c.end, cycle=c.id, **counts), err=True)
    for note, home in result.note_ideas:
        if home:
            click.echo(say("next.note_placed", c.language, note=note, home=home), err=True)
        else:
            click.echo(say("next.note_unplaced", c.language, note=note), err=True)
