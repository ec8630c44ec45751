"""SQLAlchemy tables of the store. Every cycle belongs to a tenant: the Miro team that owns it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from addon.adapters import tables
from addon.adapters.tables import utcnow


class Base(DeclarativeBase):
    """Declarative base of every table, on the metadata of the Core tables (`tables.py`)."""

    metadata = tables.metadata


class CycleRow(Base):
    # Mapped onto the Core table, so a plain read (`tables.list_cycles`) needs no ORM.
    __table__ = tables.cycles

    objectives: Mapped[list[ObjectiveRow]] = relationship(
        back_populates="cycle", cascade="all, delete-orphan", order_by="ObjectiveRow.position"
    )
    checkins: Mapped[list[CheckInRow]] = relationship(
        back_populates="cycle", cascade="all, delete-orphan", order_by="CheckInRow.number"
    )
    retro_notes: Mapped[list[RetroNoteRow]] = relationship(cascade="all, delete-orphan", order_by="RetroNoteRow.id")


class ObjectiveRow(Base):
    __table__ = tables.objectives

    cycle: Mapped[CycleRow] = relationship(back_populates="objectives")
    key_results: Mapped[list[KeyResultRow]] = relationship(
        back_populates="objective", cascade="all, delete-orphan", order_by="KeyResultRow.position"
    )


class KeyResultRow(Base):
    __tablename__ = "key_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objectives.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    start_value: Mapped[float] = mapped_column(Float, default=0.0)
    target: Mapped[float | None] = mapped_column(Float)
    current: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(64), default="")
    owner: Mapped[str | None] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date)
    manual_score: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[float | None] = mapped_column(Float)
    at_least: Mapped[float | None] = mapped_column(Float)  # a maintain key result's floor
    at_most: Mapped[float | None] = mapped_column(Float)  # a maintain key result's ceiling
    status: Mapped[str] = mapped_column(String(16), default="draft")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    history: Mapped[list] = mapped_column(JSON, default=list)
    edited_at: Mapped[dict | None] = mapped_column(JSON)  # field -> ISO time of its last change in the store
    comment: Mapped[str | None] = mapped_column(Text)  # the latest `kr update --comment`, for the next check-in
    carried_from: Mapped[dict | None] = mapped_column(JSON)  # the cycle and ref next-cycle carried it from

    objective: Mapped[ObjectiveRow] = relationship(back_populates="key_results")
    ideas: Mapped[list[IdeaRow]] = relationship(cascade="all, delete-orphan", order_by="IdeaRow.id")


class IdeaRow(Base):
    __tablename__ = "ideas"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_result_id: Mapped[int] = mapped_column(ForeignKey("key_results.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    impact: Mapped[float] = mapped_column(Float)
    effort: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    edited_at: Mapped[dict | None] = mapped_column(JSON)  # field -> ISO time of its last change in the store


class CheckInRow(Base):
    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("cycle_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    snapshots: Mapped[list] = mapped_column(JSON, default=list)
    history: Mapped[list | None] = mapped_column(JSON)  # earlier versions of an amended check-in
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cycle: Mapped[CycleRow] = relationship(back_populates="checkins")


class RetroNoteRow(Base):
    __tablename__ = "retro_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)


class BoardRow(Base):
    """A Miro board generated for a cycle."""

    __table__ = tables.boards  # a Core table, so a quiet sync reads it without the ORM


class BoardItemRow(Base):
    """An item the app planned on a board: journaled before it is sent, given its Miro id after."""

    __table__ = tables.board_items


class CheckinPictureRow(Base):
    """A picture of a board as it stood when a check-in was recorded (the report's time-lapse)."""

    __tablename__ = "checkin_pictures"
    __table_args__ = (UniqueConstraint("board_id", "checkin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    checkin: Mapped[int] = mapped_column(Integer)
    png: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LockRow(Base):
    """A named lease (one sync per board at a time, across processes)."""

    __table__ = tables.locks


class SecretRow(Base):
    """Encrypted OAuth tokens per Miro user and team."""

    __tablename__ = "miro_tokens"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    ciphertext: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    needs_signin: Mapped[bool] = mapped_column(Boolean, default=False)  # Miro refused the refresh token
    refreshes: Mapped[int] = mapped_column(Integer, default=0)  # token-endpoint refreshes so far


class SyncConflictRow(Base):
    """A field that changed both on the board and in the store since the last sync, and how it was resolved."""

    __tablename__ = "sync_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    ref: Mapped[str | None] = mapped_column(String(32))
    field: Mapped[str] = mapped_column(String(32))
    base: Mapped[object | None] = mapped_column(JSON)
    board_value: Mapped[object | None] = mapped_column(JSON)
    store_value: Mapped[object | None] = mapped_column(JSON)
    resolution: Mapped[str] = mapped_column(String(16))  # board | store
    rule: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# Store-side edit times, per field: sync's "the newer human edit wins" rule compares them with Miro's
# modifiedAt. A mapper event stamps every write path (CLI, web, sync) without each having to remember it.
EDIT_STAMPED_FIELDS = {
    ObjectiveRow: ("title", "type", "owner"),
    KeyResultRow: (
        "title",
        "target",
        "current",
        "owner",
        "due",
        "manual_score",
        "confidence",
        "status",
        "at_least",
        "at_most",
    ),
    IdeaRow: ("text", "impact", "effort", "status"),
}


def _stamp_edits(_mapper, _connection, row) -> None:
    state = inspect(row)
    changed = [name for name in EDIT_STAMPED_FIELDS[type(row)] if state.attrs[name].history.has_changes()]
    if changed:
        row.edited_at = {**(row.edited_at or {}), **dict.fromkeys(changed, utcnow().isoformat())}


for _stamped in EDIT_STAMPED_FIELDS:
    event.listen(_stamped, "before_update", _stamp_edits)


class UserRow(Base):
    """A person signed in with Miro, in one Miro team (the tenant of everything they see)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("team_id", "miro_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64), index=True)
    miro_user_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    team_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_signin_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OAuthStateRow(Base):
    """A sign-in under way: the hash of its one-time state, its PKCE verifier and the browser it belongs to."""

    __tablename__ = "oauth_states"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    verifier: Mapped[str] = mapped_column(String(128))
    browser_hash: Mapped[str] = mapped_column(String(64))
    next_url: Mapped[str] = mapped_column(String(300), default="")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class JobRow(Base):
    """A background job of the web app (generate, track, sync, check-in): its progress and its outcome."""

    __tablename__ = "web_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # generate | track | sync | checkin
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued | running | done | failed
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RateLimitRow(Base):
    """Hits of one key (a sign-in address) in one fixed window, shared by every process on the store."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)  # the window's start, in windows since 1970
    hits: Mapped[int] = mapped_column(Integer, default=0)
