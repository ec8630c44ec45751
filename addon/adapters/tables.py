"""The tables that plain reads use, as SQLAlchemy Core tables: reading them needs no ORM import.

`orm.py` maps its cycle, objective, board, journal and lock rows onto these tables and declares every other table
itself, all on the one `metadata` (a column added to one of these is added here). `okrboard cycle list` and a quiet
`okrboard sync` read through Core alone, since importing and configuring the ORM costs a process about a tenth of a
second (docs/benchmarks.md, "Start-up" and "sync-processes").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.engine import Engine

metadata = MetaData()


def utcnow() -> datetime:
    """Return the current time in UTC (timezone-aware)."""
    return datetime.now(UTC)


cycles = Table(
    "cycles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", String(64), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("level", String(16), nullable=False),
    Column("team", String(200)),
    Column("parent_id", ForeignKey("cycles.id", ondelete="SET NULL")),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("language", String(8), nullable=False, default="en"),
    Column("checkin_dates", JSON, nullable=False, default=list),
    Column("status", String(16), nullable=False, default="draft"),
    Column("closing", JSON),  # closed on, final scores and verdicts (`okrboard close`)
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
    Column("updated_at", DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow),
    # Counts the saves of the cycle: sync compares it with the board's `synced_stamp` to know, in one query,
    # that nothing changed in the store since the last sync (a counter, so no clock can make it lie).
    Column("revision", Integer, nullable=False, default=0, server_default="0"),
)

objectives = Table(
    "objectives",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cycle_id", ForeignKey("cycles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("type", String(16)),
    Column("owner", String(200)),
    Column("aligned_to", String(8)),
    Column("learning_goal", Text, nullable=False, default=""),
    Column("edited_at", JSON),  # field -> ISO time of its last change in the store
    Column("history", JSON),  # changes to the objective while tracking (M9 log)
    Column("removed_key_results", JSON),  # what stays of removed key results (their numbers are never reused)
    Column("carried_from", JSON),  # the cycle and ref next-cycle carried it from
)

boards = Table(
    "boards",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cycle_id", ForeignKey("cycles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("miro_board_id", String(64), nullable=False),
    Column("view_link", Text),
    Column("language", String(8), nullable=False, default="en"),
    # The ownership marker written into the board's description; sync refuses a board that lacks it.
    Column("marker", String(160)),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
    Column("last_synced_at", DateTime(timezone=True)),
    Column("synced_stamp", String(120)),  # the store state the last sync left in step
    Column("sync_problems", JSON),  # what the last sync could not apply (card text...)
    UniqueConstraint("cycle_id", "miro_board_id"),
)

board_items = Table(
    "board_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("board_id", ForeignKey("boards.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("key", String(120), nullable=False),
    Column("role", String(32), nullable=False),
    Column("entity", String(32)),
    Column("miro_item_id", String(64), index=True),
    Column("state", String(16), nullable=False, default="planned"),  # planned | sent | created | missing
    Column("synced", JSON, nullable=False, default=dict),  # last synced value of each synced field
    Column("modified_at", String(40)),  # Miro's modifiedAt at the last sync
    UniqueConstraint("board_id", "key"),
)

locks = Table(
    "locks",
    metadata,
    Column("name", String(120), primary_key=True),
    Column("holder", String(120), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class CycleListing:
    """One line of the cycle list: a cycle's own fields and how many objectives it has."""

    id: int
    name: str
    level: str
    team: str | None
    start: date
    end: date
    status: str
    objectives: int


def list_cycles(engine: Engine, tenant_id: str) -> list[CycleListing]:
    """The tenant's cycles, newest first, in one query."""
    counts = select(func.count(objectives.c.id)).where(objectives.c.cycle_id == cycles.c.id).scalar_subquery()
    c = cycles.c
    query = (
        select(c.id, c.name, c.level, c.team, c.start, c.end, c.status, counts)
        .where(c.tenant_id == tenant_id)
        .order_by(c.id.desc())
    )
    with engine.connect() as connection:
        return [CycleListing(*row) for row in connection.execute(query)]
