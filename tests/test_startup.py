"""`okrboard` starts without loading what the command does not use: no Alembic on a current store, no emulator,
Flask, matplotlib or jsonschema for `--help`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click
from click.testing import CliRunner

from addon.cli.lazy_group import LazyCommand, LazyGroup
from addon.cli.main import LAZY_COMMANDS

HEAVY = ("alembic", "miro_emulator", "flask", "matplotlib", "jsonschema")

# Runs the command the way the `okrboard` script does, then prints which top-level packages were imported.
PROBE = """
import json, sys
from addon.cli import main
try:
    main(sys.argv[1:], prog_name="okrboard")
except SystemExit as stop:
    code = stop.code
print("\\nMODULES " + json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
sys.exit(code)
"""


def loaded_by(*args: str, env: dict | None = None) -> tuple[set[str], str]:
    """Run `okrboard ARGS` in a fresh interpreter; return the top-level packages it imported and its output."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    output, _, modules = done.stdout.rpartition("\nMODULES ")
    return set(json.loads(modules)), output


def test_help_loads_none_of_the_heavy_packages():
    modules, output = loaded_by("--help")
    assert "emulator" in output and "cycle" in output
    assert modules.isdisjoint(HEAVY), modules & set(HEAVY)
    assert "sqlalchemy" not in modules


def test_cycle_list_on_a_current_store_does_not_load_alembic(tmp_path):
    env = {"OKRBOARD_INSTANCE_PATH": str(tmp_path), "OKRBOARD_DATABASE_URL": ""}
    first, _ = loaded_by("cycle", "list", env=env)
    assert "alembic" in first  # a new store: the migrations ran
    again, output = loaded_by("cycle", "list", env=env)
    assert "No cycles yet" in output
    assert again.isdisjoint(HEAVY), again & set(HEAVY)


def test_the_emulator_command_loads_when_run():
    modules, output = loaded_by("emulator", "--help")
    assert "--latency-ms" in output and "miro_emulator" in modules


def test_a_lazy_commands_listed_help_is_its_own():
    for name, lazy in LAZY_COMMANDS.items():
        command = lazy.load()
        for limit in (30, 45, 200):
            assert lazy.short_help(limit) == command.get_short_help_str(limit), name


def test_a_lazy_group_lists_a_command_without_loading_it_and_loads_it_when_asked():
    group = LazyGroup("tool", lazy={"schema": LazyCommand("addon.cli.db:db_group", "Manage the store's schema.")})
    assert group.list_commands(click.Context(group)) == ["schema"] and "schema" not in group.commands
    runner = CliRunner()
    listing = runner.invoke(group, ["--help"])
    assert "schema  Manage the store's schema." in listing.output and "schema" not in group.commands
    ran = runner.invoke(group, ["schema", "--help"])
    assert ran.exit_code == 0 and "upgrade" in ran.output and "schema" in group.commands
    assert runner.invoke(group, ["unknown"]).exit_code == 2
