"""`okrboard plan validate`: the method's findings on a plan file."""

from __future__ import annotations

import json
import sys

import click

from addon.cli.common import App, fail_on_domain_errors, pass_app, print_findings


@click.group("plan")
def plan_group() -> None:
    """Check plan files."""


@plan_group.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_app
@fail_on_domain_errors
def plan_validate(app: App, file: str, fmt: str) -> None:
    """Check a plan file against the method's rules (exit 1 on errors, 2 when unreadable)."""
    from addon.domain.method.rules import Severity
    from addon.services import cycles as cycle_service

    findings = cycle_service.validate_plan_file(file, app.store, app.tenant)
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False))
    else:
        print_findings(app.console, findings)
    if any(f.severity is Severity.ERROR for f in findings):
        sys.exit(1)
