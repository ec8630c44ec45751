"""`okrboard report CYCLE --format json|csv|md|html [-o FILE] [--checkin N] [--no-sync]`."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import click

from addon.cli.common import App, fail_on_domain_errors, gateway_for, pass_app
from addon.reports import FORMATS


def render(report, fmt: str) -> str:
    """Return a report (`services.report.Report`) in one of the formats."""
    from addon.reports import text_formats

    if fmt == "json":
        return text_formats.to_json(report.data)
    if fmt == "csv":
        return text_formats.to_csv(report.data)
    if fmt == "md":
        return text_formats.to_markdown(report.data)
    from addon.reports.html import to_html

    return to_html(report.data, report.pictures)


def write_atomically(path: Path, content: str) -> None:
    """Write a file so that it is either the whole new report or what was there before, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as open() would make it: mkstemp makes files private
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.command("report")
@click.argument("cycle_ref", metavar="CYCLE")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="File to write (default: stdout).")
@click.option("--checkin", type=click.IntRange(min=1), default=None, help="The cycle as it stood at check-in N.")
@click.option("--no-sync", is_flag=True, help="Report the store as it is, without reading the board first.")
@pass_app
@fail_on_domain_errors
def report(app: App, cycle_ref: str, fmt: str, output: str | None, checkin: int | None, no_sync: bool) -> None:
    """Sync the board, then write the cycle's report: scorecard, attention list, history, retrospective."""
    from addon.services.report import load_report

    gateway = None if no_sync else gateway_for(app)
    made = load_report(app.store, app.tenant, cycle_ref, gateway, today=date.today(), checkin=checkin, sync=not no_sync)
    content = render(made, fmt)
    if output is None:
        click.echo(content, nl=False)
        return
    write_atomically(Path(output), content)
    click.echo(f"Wrote {output} ({fmt}).", err=True)
