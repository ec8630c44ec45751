"""What every command shares: the app object (settings, store, console), error handling and finding tables.

Only click is imported at start; rich, the store, the services and the Miro client are imported when a command
uses them, so `okrboard --help` starts fast (tests/test_startup.py keeps it so).
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import unquote

import click

from addon.config import Settings
from addon.domain.errors import OkrError, PlanError

if TYPE_CHECKING:
    from rich.console import Console

    from addon.adapters.store import Store
    from addon.domain.method.rules import Finding
    from addon.services.ports import BoardGateway


@dataclass
class App:
    """What every command shares: settings, the store (opened on first use) and the console."""

    settings: Settings
    console: Console = field(default_factory=lambda: make_console())

    @cached_property
    def store(self) -> Store:
        """The store, migrated to the newest schema."""
        from addon.adapters.store import Store

        return Store.open(self.settings.store_url)

    @property
    def tenant(self) -> str:
        """The Miro team whose cycles the commands see."""
        return self.settings.tenant_id


pass_app = click.make_pass_decorator(App)


def make_console(stderr: bool = False) -> Console:
    """A console that keeps tables readable when output goes to a file or a pipe, and prints text as written:
    names, titles and messages come from people, so `[` in them is never read as styling (styles are given
    with `style=` or `rich.text.Text` instead)."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    return Console(highlight=False, markup=False, stderr=stderr, width=None if stream.isatty() else 140)


class PlanFileError(click.ClickException):
    """A plan that cannot be read or parsed: exit 2 with every problem listed."""

    exit_code = 2

    def __init__(self, error: PlanError):
        super().__init__(f"{error.source}:\n  " + "\n  ".join(error.problems))


def fail_on_domain_errors(function):
    """Turn domain and board errors (unknown cycle, refused change, Miro unreachable or refusing) into a clear
    message and exit 1, never a trace."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except PlanError as error:
            raise PlanFileError(error) from None
        except OkrError as error:
            raise click.ClickException(str(error)) from None

    return wrapper


def print_findings(console: Console, findings: list[Finding]) -> None:
    """Show findings as a table, or say there are none."""
    from rich.table import Table
    from rich.text import Text

    from addon.domain.method.rules import Severity

    if not findings:
        console.print("No findings: the plan follows the method.")
        return
    styles = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
    table = Table("rule", "severity", "ref", "message", show_lines=False)
    for finding in findings:
        severity = Text(str(finding.severity), style=styles[finding.severity])
        table.add_row(finding.rule, severity, finding.ref, finding.message)
    console.print(table)
    counts = {s: sum(f.severity is s for f in findings) for s in Severity}
    console.print(
        f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} info"
    )


def gateway_for(app: App) -> BoardGateway:
    """Return a board gateway on the configured Miro (or emulator): MIRO_ACCESS_TOKEN, else the connection of
    `okrboard login`; or stop with a clear message."""
    from addon.adapters.miro_gateway import MiroGateway, MiroNotConfigured, gateway_from_settings

    try:
        if app.settings.miro_access_token:
            gateway = gateway_from_settings(app.settings)
        else:
            from addon.adapters.cli_login import stored_token
            from miro_client import MiroClient

            token = stored_token(app.settings, app.store.engine)
            client = MiroClient(token, base_url=app.settings.miro_api_url)
            gateway = MiroGateway(client, clock_skew=app.settings.clock_skew_seconds)
    except (MiroNotConfigured, OkrError) as error:
        raise click.ClickException(str(error)) from None
    tell_waits(gateway)
    return gateway


def _seconds(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 1 else f"{seconds:.1f} s"


def retry_line(retry) -> str:
    """Say a retry as it happens: `Miro answered 503 to GET /v2/...: retrying in 0.4 s (retry 1 of 3)…`."""
    status = getattr(retry.cause, "status", None)
    what = f"Miro answered {status}" if status else f"No answer from Miro ({retry.cause})"
    again = f"retrying in {_seconds(retry.seconds)} (retry {retry.retry} of {retry.of})"
    return f"{what} to {retry.method} {unquote(retry.path)}: {again}…"  # board ids as Miro shows them


def tell_waits(gateway: BoardGateway) -> None:
    """Print each wait for Miro's rate limit and each retry as it happens, on stderr (JSON output stays clean);
    `generate` puts its own wait messages above its progress bar while it runs."""
    console = make_console(stderr=True)

    def waiting(seconds: float) -> None:
        console.print(f"Waiting {_seconds(seconds)} for Miro's rate limit (credits reset)…")

    gateway.on_wait(waiting)
    gateway.on_retry(lambda retry: console.print(retry_line(retry)))
