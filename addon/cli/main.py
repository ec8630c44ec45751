"""The `okrboard` group: one module per command group, each thin over the services."""

from __future__ import annotations

import click

from addon.cli import board, checkin, cycles, db, demo, kr, plan, sync, web
from addon.cli.common import App
from addon.config import load_settings


@click.group()
@click.version_option(package_name="okrboard")
@click.pass_context
def main(ctx: click.Context) -> None:
    """OKR Board for Miro: run the GTM OKR method on a Miro board."""
    ctx.obj = App(settings=load_settings())


for command in (
    plan.plan_group,
    cycles.cycle_group,
    kr.kr_group,
    board.generate,
    board.track,
    board.board_group,
    sync.sync,
    checkin.checkin,
    demo.demo,
    db.db_group,
    web.serve,
    web.keys_group,
):
    main.add_command(command)


def _add_emulator() -> None:
    from miro_emulator.cli import emulator_command

    main.add_command(emulator_command, "emulator")


_add_emulator()
