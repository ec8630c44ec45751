"""Engine and schema management: SQLite by default (WAL, busy timeout), PostgreSQL by URL; Alembic migrations.

Alembic is imported only to migrate: every command opens the store, and comparing the stored revision with the
newest migration file's id costs one query, where loading Alembic costs a quarter of a second.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"  # Alembic's default version table
# The top-level lines that name a migration and its parents (Alembic writes each on one line).
REVISION_LINES = re.compile(r"^(?:down_)?revision\b[^=\n]*=.*$", re.MULTILINE)
SQLITE_BUSY_TIMEOUT_MS = 15_000


def default_database_url(instance_path: str | Path) -> str:
    """Return the default store: a SQLite file in the instance folder."""
    path = Path(instance_path)
    path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path / 'okrboard.sqlite3'}"


def _tune_sqlite(dbapi_connection, _record) -> None:
    # WAL lets readers work while one writer writes; the busy timeout makes writers queue instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL survives a killed process; only a power loss could drop the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for a database URL, tuned for the backend."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic config that runs the project's migrations on an engine."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to a revision (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def _assigned(tree: ast.Module, name: str):
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(target, ast.Name) and target.id == name for target in targets):
                return ast.literal_eval(node.value)
    return None


def head_revisions(versions: Path = MIGRATIONS / "versions") -> set[str]:
    """The ids of the newest migrations: the revisions no other migration file revises (read, not imported)."""
    revisions, revised = set(), set()
    for path in versions.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        try:  # parse only the revision lines: parsing every whole file took ~15 ms of each command's start
            tree = ast.parse("\n".join(REVISION_LINES.findall(text)), str(path))
        except SyntaxError:  # a value written over several lines: read the whole file
            tree = ast.parse(text, str(path))
        revision, down = _assigned(tree, "revision"), _assigned(tree, "down_revision")
        if revision is None:
            continue
        revisions.add(revision)
        revised.update([down] if isinstance(down, str) else (down or ()))
    return revisions - revised


def stored_revisions(engine: Engine) -> set[str]:
    """The revisions the database says its schema is at (none for an empty database)."""
    with engine.connect() as connection:
        try:
            rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
        except DBAPIError:  # no version table yet: a new database
            return set()
        return {row[0] for row in rows}


def is_current(engine: Engine) -> bool:
    """Return whether the schema is at the newest migration."""
    heads = head_revisions()
    return bool(heads) and stored_revisions(engine) == heads


def upgrade_if_behind(engine: Engine) -> bool:
    """Run the migrations only when the schema is behind the newest one; return whether they ran."""
    if is_current(engine):
        return False
    upgrade(engine)
    return True
