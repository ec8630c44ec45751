"""The `okrboard` group: one module per command group, each thin over the services."""

from __future__ import annotations

import click

from addon.cli import board, checkin, closing, cycles, db, demo, kr, login, objectives, plan, report, sync, web
from addon.cli.common import App
from addon.cli.lazy_group import LazyCommand, LazyGroup
from addon.config import load_settings

# Commands whose imports are heavy (the emulator brings Flask and jsonschema): imported only when they run.
LAZY_COMMANDS = {
    "emulator": LazyCommand(
        "miro_emulator.cli:emulator_command",
        "Run a local Miro REST API v2 + OAuth emulator (inspection pages under /_emulator/).",
    ),
}


@click.group(cls=LazyGroup, lazy=LAZY_COMMANDS)
@click.version_option(package_name="okrboard")
@click.pass_context
def main(ctx: click.Context) -> None:
    """OKR Board for Miro: run the GTM OKR method on a Miro board."""
    ctx.obj = App(settings=load_settings())


for command in (
    plan.plan_group,
    cycles.cycle_group,
    kr.kr_group,
    objectives.objective_group,
    board.generate,
    board.track,
    board.board_group,
    sync.sync,
    checkin.checkin,
    report.report,
    closing.close,
    closing.next_cycle,
    demo.demo,
    db.db_group,
    web.serve,
    web.keys_group,
    login.login,
    login.logout,
):
    main.add_command(command)
