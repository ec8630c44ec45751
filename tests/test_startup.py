"""`okrboard` starts without loading what the command does not use: no Alembic on a current store, no emulator,
Flask, matplotlib or jsonschema for `--help`; no ORM, Miro client or layout parser to list cycles; no PyYAML or
marshmallow to generate or sync once the bundled layout is validated (docs/benchmarks.md, "Start-up")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from addon.adapters import board_layouts
from addon.adapters.board_layouts import TemplateError, load_layout
from addon.cli.lazy_group import LazyCommand, LazyGroup
from addon.cli.main import LAZY_COMMANDS
from miro_client import MiroClient

EXAMPLE = Path(__file__).parent.parent / "examples" / "company-q1.yaml"

HEAVY = ("alembic", "miro_emulator", "flask", "matplotlib", "jsonschema")
# What listing cycles must not load: the ORM and the modules built on it, the Miro client, the layout's parsers.
NOT_FOR_LISTING = (
    "sqlalchemy.orm",
    "addon.adapters.orm",
    "addon.adapters.repository",
    "addon.adapters.board_journal",
    "miro_client",
    "requests",
    "yaml",
    "marshmallow",
)
LAYOUT_PARSERS = ("yaml", "marshmallow", "addon.adapters.layout_schema")

# Runs the command the way the `okrboard` script does, then prints which top-level packages were imported.
PROBE = """
import json, sys
from addon.cli import main
try:
    main(sys.argv[1:], prog_name="okrboard")
except SystemExit as stop:
    code = stop.code
print("\\nMODULES " + json.dumps(sorted(sys.modules)))
sys.exit(code)
"""


def loaded_by(*args: str, env: dict | None = None) -> tuple[set[str], str]:
    """Run `okrboard ARGS` in a fresh interpreter; return the modules it imported (and their top-level
    packages) and its output."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    output, _, modules = done.stdout.rpartition("\nMODULES ")
    names = set(json.loads(modules))
    return names | {name.split(".")[0] for name in names}, output


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


def test_cycle_list_reads_through_sqlalchemy_core_without_the_orm(tmp_path):
    env = {"OKRBOARD_INSTANCE_PATH": str(tmp_path), "OKRBOARD_DATABASE_URL": ""}
    imported, _ = loaded_by("cycle", "import", str(EXAMPLE), env=env)
    assert "sqlalchemy.orm" in imported  # writing a cycle goes through the ORM
    modules, output = loaded_by("cycle", "list", env=env)
    assert "GTM Q1 2027" in output and "company" in output and "sqlalchemy" in modules
    assert modules.isdisjoint(NOT_FOR_LISTING + HEAVY), modules & set(NOT_FOR_LISTING + HEAVY)


def emulator_env(tmp_path, miro) -> dict:
    """The environment of a command on a SQLite store in tmp_path and the emulator."""
    return {
        "OKRBOARD_INSTANCE_PATH": str(tmp_path),
        "OKRBOARD_DATABASE_URL": "",
        "MIRO_API_URL": miro.base_url,
        "MIRO_ACCESS_TOKEN": miro.token,
    }


def test_generate_and_sync_load_neither_the_layout_parsers_nor_alembic(tmp_path, miro):
    load_layout()  # validates the bundled layout once, as the first generation on a machine does
    env = emulator_env(tmp_path, miro)
    cycle_id = loaded_by("cycle", "import", str(EXAMPLE), env=env)[1].split()[0]
    for command in (["generate", cycle_id], ["sync", cycle_id], ["sync", cycle_id]):
        modules, output = loaded_by(*command, env=env)
        assert "created" in output or "in sync" in output or "Nothing changed" in output, output
        assert modules.isdisjoint(LAYOUT_PARSERS + HEAVY), (command, modules & set(LAYOUT_PARSERS + HEAVY))
    assert "Nothing changed" in output


@pytest.fixture
def layouts(tmp_path, monkeypatch):
    """A folder of bundled layouts holding a copy of the GTM layout, with its own cache."""
    folder = tmp_path.resolve() / "board_layouts"
    folder.mkdir()
    shutil.copy(board_layouts.LAYOUTS_DIR / "gtm.yaml", folder / "gtm.yaml")
    monkeypatch.setattr(board_layouts, "LAYOUTS_DIR", folder)
    monkeypatch.setattr(board_layouts, "CACHE_DIR", folder / "__pycache__")
    return folder


def test_a_bundled_layout_is_validated_once_and_then_read_from_its_cache(layouts):
    first = load_layout()
    [cached] = (layouts / "__pycache__").glob("gtm.*.json")
    assert json.loads(cached.read_text(encoding="utf-8")) == first
    cached.write_text(json.dumps({**first, "languages": ["en"]}), encoding="utf-8")
    assert load_layout()["languages"] == ["en"]  # served from the cache, not parsed again


def test_an_edited_layout_is_validated_again_and_its_stale_cache_dropped(layouts):
    load_layout()
    source = layouts / "gtm.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text + "\nnot_a_section: 1\n", encoding="utf-8")
    with pytest.raises(TemplateError):
        load_layout()
    source.write_text(text + "\n# a comment changes the key, not the layout\n", encoding="utf-8")
    assert load_layout() == load_layout("gtm")
    assert len(list((layouts / "__pycache__").glob("gtm.*.json"))) == 1


@pytest.mark.parametrize("planted", ["[1, 2]", '{"name": "gtm"}', '"text"'])
def test_a_cached_layout_of_another_shape_is_not_trusted(layouts, planted):
    first = load_layout()
    [cached] = (layouts / "__pycache__").glob("gtm.*.json")
    cached.write_text(planted, encoding="utf-8")
    assert load_layout() == first  # validated again from the YAML


def test_the_cache_knows_every_section_of_the_layout_schema():
    from addon.adapters.layout_schema import TemplateSchema

    assert set(TemplateSchema().fields) == board_layouts.SECTIONS


def test_a_layout_loads_where_its_cache_cannot_be_written(layouts, monkeypatch):
    (layouts / "blocked").write_text("a file, so no folder can be made here", encoding="utf-8")
    monkeypatch.setattr(board_layouts, "CACHE_DIR", layouts / "blocked" / "__pycache__")
    assert load_layout() == load_layout()
    assert not (layouts / "__pycache__").exists()


def test_a_layout_file_of_ones_own_is_validated_every_time_and_never_cached(layouts, tmp_path):
    own = tmp_path / "mine.yaml"
    shutil.copy(layouts / "gtm.yaml", own)
    assert load_layout(own) == load_layout(own)
    assert not (tmp_path / "__pycache__").exists() and not (layouts / "__pycache__").exists()


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


def test_the_cheap_migration_check_reads_parents_written_over_several_lines(tmp_path):
    from addon.adapters.database import head_revisions

    (tmp_path / "x.py").write_text('"""x"""\nrevision = "x"\ndown_revision = None\n')
    (tmp_path / "y.py").write_text("revision = 'y'\ndown_revision: str | None = 'x'\n")
    (tmp_path / "m.py").write_text("revision = 'm'\ndown_revision = (\n    'x',\n    'y',\n)\n")
    assert head_revisions(tmp_path) == {"m"}


def test_the_core_cycle_listing_says_what_the_repository_says_newest_first_and_per_tenant(store):
    from addon.adapters.plan_file import load_plan

    with store.unit("team-1") as uow:
        first = uow.cycles.add(load_plan(EXAMPLE).cycle)
        second = load_plan(EXAMPLE).cycle
        second.name, second.objectives = "Empty", []
        uow.cycles.add(second)
    with store.unit("team-2") as uow:
        uow.cycles.add(load_plan(EXAMPLE).cycle)
    with store.unit("team-1") as uow:
        whole = [
            (c.id, c.name, c.level, c.team, c.start, c.end, str(c.status), len(c.objectives)) for c in uow.cycles.list()
        ]
    listed = [tuple(vars(row).values()) for row in store.list_cycles("team-1")]
    assert listed == whole and [row[1] for row in listed] == ["Empty", first.name]
    assert listed[0][-1] == 0 and listed[1][-1] == len(first.objectives) > 0
    assert store.list_cycles("nobody") == []


# What a quiet sync must not load: it reads the journal, stamps and lease through Core tables.
NOT_FOR_A_QUIET_SYNC = (
    "sqlalchemy.orm",
    "addon.adapters.orm",
    "addon.adapters.repository",
    "addon.adapters.board_journal",
)


def test_a_quiet_sync_loads_no_orm_and_a_sync_with_an_edit_still_applies_it(tmp_path, miro):
    env = emulator_env(tmp_path, miro)
    cycle_id = loaded_by("cycle", "import", str(EXAMPLE), env=env)[1].split()[0]
    loaded_by("generate", cycle_id, env=env)
    first, _ = loaded_by("sync", cycle_id, env=env)
    quiet, output = loaded_by("sync", cycle_id, env=env)
    assert "Nothing changed" in output, output
    assert quiet.isdisjoint(NOT_FOR_A_QUIET_SYNC), quiet & set(NOT_FOR_A_QUIET_SYNC)
    client = MiroClient(miro.token, base_url=miro.base_url)
    [board] = [b["id"] for b in client.iter_boards()]
    card = next(i for i in client.iter_items(board, type="card") if "KR1.1" in i["data"]["title"])
    client.update_card(board, card["id"], data={"description": "<p>Target: 5 · Current: 2 · Score: 0.00</p>"})
    changed, output = loaded_by("sync", cycle_id, "--format", "json", env=env)
    assert "sqlalchemy.orm" in changed  # something changed: the normal path, through the unit of work
    assert json.loads(output)["quiet"] is False, output
    _, output = loaded_by("sync", cycle_id, env=env)
    assert "Nothing changed" in output, output


def test_the_core_reads_of_a_sync_say_what_the_unit_of_work_says_and_refuse_what_it_refuses(store):
    from addon.adapters.plan_file import load_plan
    from addon.services.ports import CycleAmbiguous, CycleNotFound

    with store.unit("team-1") as uow:
        company = uow.cycles.add(load_plan(EXAMPLE).cycle)
        team = load_plan(EXAMPLE).cycle
        team.parent_id = company.id
        team = uow.cycles.add(team)
        board = uow.boards.add_board(company.id, "b-1", "https://miro.example/b-1", "en", marker="m")
        uow.boards.add_board(company.id, "b-2", None, "fr")
        uow.boards.plan(board.id, [("frame:a", "frame", None), ("sticky:b", "idea", "O1.KR1")])
        uow.boards.record_created(board.id, {"frame:a": ("i-1", {"fields": {"title": "A"}}, "2026-12-01T10:00:00Z")})
        uow.boards.mark_synced(board.id, datetime(2026, 12, 1, tzinfo=UTC), "cycle 1; parent -")
    with store.unit("team-2") as uow:
        uow.cycles.add(load_plan(EXAMPLE).cycle)
    with store.unit("team-1") as uow, store.reader("team-1") as view:
        for ref in (str(company.id), str(team.id)):
            assert view.cycles.summary(ref) == uow.cycles.summary(ref)
        assert view.cycles.children(company.id) == uow.cycles.children(company.id) != []
        assert view.boards.latest_board(company.id) == uow.boards.latest_board(company.id)
        assert view.boards.latest_board(team.id) is uow.boards.latest_board(team.id) is None
        assert view.boards.board(company.id, "b-1") == uow.boards.board(company.id, "b-1")
        assert view.boards.board(company.id, "b-1").synced_stamp == "cycle 1; parent -"
        assert view.boards.entries(board.id) == uow.boards.entries(board.id)
        assert view.boards.entries(board.id, ["sticky:b"]) == uow.boards.entries(board.id, ["sticky:b"])
        assert view.boards.entries(board.id)["frame:a"].synced == {"fields": {"title": "A"}}
        with pytest.raises(CycleAmbiguous) as core_error:
            view.cycles.summary(company.name)  # the two cycles share the example's name
        with pytest.raises(CycleAmbiguous) as orm_error:
            uow.cycles.summary(company.name)
        assert str(core_error.value) == str(orm_error.value)
    with store.reader("team-2") as view:
        with pytest.raises(CycleNotFound, match=f"no cycle {company.id}"):
            view.cycles.summary(str(company.id))  # another tenant's cycle is not found
        with pytest.raises(CycleNotFound, match="no cycle named 'Nope'"):
            view.cycles.summary("Nope")
        with pytest.raises(LookupError, match=f"no cycle {company.id}"):
            view.boards.latest_board(company.id)


def test_the_command_line_also_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "addon.cli", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Usage:" in done.stdout and "cycle" in done.stdout, done.stderr
