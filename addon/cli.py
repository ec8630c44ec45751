"""The `okrboard` command line: thin wrappers over the services."""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass, field
from functools import cached_property

import click
from rich.console import Console
from rich.table import Table

from addon.adapters.database import upgrade
from addon.adapters.plan_file import PlanError
from addon.adapters.store import Store
from addon.config import Settings, load_settings
from addon.domain.model import OkrError
from addon.domain.rules import Finding, Severity, check_cycle
from addon.services import cycles as cycle_service
from addon.services import sync_board
from miro_client import MiroError

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


@dataclass
class App:
    """What every command shares: settings, the store (opened on first use) and the console."""

    settings: Settings
    console: Console = field(default_factory=lambda: make_console())

    @cached_property
    def store(self) -> Store:
        """The store, migrated to the newest schema."""
        return Store.open(self.settings.store_url)

    @property
    def tenant(self) -> str:
        """The Miro team whose cycles the commands see."""
        return self.settings.tenant_id


pass_app = click.make_pass_decorator(App)


def make_console(stderr: bool = False) -> Console:
    """A console that keeps tables readable when output goes to a file or a pipe."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(highlight=False, stderr=stderr, width=None if stream.isatty() else 140)


class PlanFileError(click.ClickException):
    """A plan that cannot be read or parsed: exit 2 with every problem listed."""

    exit_code = 2

    def __init__(self, error: PlanError):
        super().__init__(f"{error.source}:\n  " + "\n  ".join(error.problems))


def fail_on_domain_errors(function):
    """Turn domain and Miro errors (unknown cycle, refused change, Miro unreachable or refusing) into a clear
    message and exit 1, never a trace."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except PlanError as error:
            raise PlanFileError(error) from None
        except OkrError as error:
            raise click.ClickException(str(error)) from None
        except MiroError as error:
            raise click.ClickException(f"Miro did not answer as expected: {error}") from None

    return wrapper


def print_findings(console: Console, findings: list[Finding]) -> None:
    """Show findings as a table, or say there are none."""
    if not findings:
        console.print("No findings: the plan follows the method.")
        return
    table = Table("rule", "severity", "ref", "message", show_lines=False)
    for finding in findings:
        table.add_row(
            finding.rule, f"[{SEVERITY_STYLE[finding.severity]}]{finding.severity}[/]", finding.ref, finding.message
        )
    console.print(table)
    counts = {s: sum(f.severity is s for f in findings) for s in Severity}
    console.print(
        f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} info"
    )


@click.group()
@click.version_option(package_name="okrboard")
@click.pass_context
def main(ctx: click.Context) -> None:
    """OKR Board for Miro: run the GTM OKR method on a Miro board."""
    ctx.obj = App(settings=load_settings())


@main.group()
def plan() -> None:
    """Check plan files."""


@plan.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_app
@fail_on_domain_errors
def plan_validate(app: App, file: str, fmt: str) -> None:
    """Check a plan file against the method's rules (exit 1 on errors, 2 when unreadable)."""
    findings = cycle_service.validate_plan_file(file, app.store, app.tenant)
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False))
    else:
        print_findings(app.console, findings)
    if any(f.severity is Severity.ERROR for f in findings):
        sys.exit(1)


@main.group()
def cycle() -> None:
    """Import, list and show cycles."""


@cycle.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_app
@fail_on_domain_errors
def cycle_import(app: App, file: str) -> None:
    """Store the cycle of a plan file and print its id."""
    imported, findings = cycle_service.import_plan_file(file, app.store, app.tenant)
    click.echo(imported.id)
    if findings:
        print_findings(make_console(stderr=True), findings)


@cycle.command("list")
@pass_app
def cycle_list(app: App) -> None:
    """List the cycles in the store, newest first."""
    with app.store.unit(app.tenant) as uow:
        cycles = uow.cycles.list()
    if not cycles:
        app.console.print("No cycles yet: import one with `okrboard cycle import PLAN.yaml`.")
        return
    table = Table("id", "name", "level", "team", "start", "end", "status", "objectives")
    for c in cycles:
        table.add_row(
            str(c.id),
            c.name,
            str(c.level),
            c.team or "",
            str(c.start),
            str(c.end),
            str(c.status),
            str(len(c.objectives)),
        )
    app.console.print(table)


def show_cycle_text(console: Console, view: dict) -> None:
    """Print a cycle's objectives, key results and scores as tables."""
    c = view["cycle"]
    console.print(
        f"[bold]{c['name']}[/] (id {c['id']}, {c['level']}{', ' + c['team'] if c['team'] else ''}) "
        f"{c['start']} to {c['end']}, status {c['status']}"
    )
    console.print("Check-ins: " + ", ".join(c["checkin_dates"]))
    for objective in view["objectives"]:
        score = "-" if objective["score"] is None else f"{objective['score']:.2f}"
        aligned = f", aligned to {objective['aligned_to']}" if objective["aligned_to"] else ""
        console.print(
            f"\n[bold]{objective['ref']}[/] {objective['title']} "
            f"({objective['type'] or 'no type'}, {objective['owner'] or 'no owner'}{aligned}) "
            f"score {score}"
        )
        table = Table("ref", "key result", "kind", "start", "target", "current", "score", "status", "owner", "due")
        for kr in objective["key_results"]:
            table.add_row(
                kr["ref"],
                kr["title"],
                kr["kind"],
                *("" if v is None else f"{v:g}" for v in (kr["start"], kr["target"], kr["current"])),
                f"{kr['score']:.2f}",
                kr["status"],
                kr["owner"] or "",
                kr["due"] or "",
            )
        console.print(table)
    console.print()
    print_findings(
        console, [Finding(f["rule"], Severity(f["severity"]), f["ref"], f["message"]) for f in view["findings"]]
    )


@cycle.command("show")
@click.argument("cycle_ref", metavar="CYCLE")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_app
@fail_on_domain_errors
def cycle_show(app: App, cycle_ref: str, fmt: str) -> None:
    """Show a cycle (by id or name): objectives, key results, scores and findings."""
    found, parent = cycle_service.load_cycle(app.store, app.tenant, cycle_ref)
    view = cycle_service.cycle_view(
        found, check_cycle(found, parent=parent), sync_board.cycle_conflicts(app.store, app.tenant, found.id)
    )
    if fmt == "json":
        click.echo(json.dumps(view, indent=2, ensure_ascii=False))
    else:
        show_cycle_text(app.console, view)


@main.group()
def kr() -> None:
    """Change key results in the store (the next sync writes them to the board)."""


@main.group()
def db() -> None:
    """Manage the store's schema."""


@db.command("upgrade")
@pass_app
def db_upgrade(app: App) -> None:
    """Apply the store's migrations up to the newest."""
    store = Store.open(app.settings.store_url, migrate=False)
    upgrade(store.engine)
    click.echo("Store schema is up to date.")


def _register_subcommands() -> None:
    from addon import cli_board, cli_checkin, cli_demo, cli_sync
    from miro_emulator.cli import emulator_command

    cli_board.register(main, pass_app, fail_on_domain_errors, print_findings)
    main.add_command(emulator_command, "emulator")
    cli_demo.register(main)
    cli_checkin.register(main, pass_app, fail_on_domain_errors, print_findings)
    cli_sync.register(main, pass_app, fail_on_domain_errors, print_findings)


_register_subcommands()
