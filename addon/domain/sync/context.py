"""The working state of one sync decision: its input, the decision being built, and shared look-ups."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from addon.domain.board.items import ListedItem
from addon.domain.board.journal import JournalEntry
from addon.domain.board.layout import BoardPlan, plan_board
from addon.domain.board.roles import JournalState
from addon.domain.method.model import Cycle, KeyResult
from addon.domain.sync.meaning import BoardItem, board_areas, listing_items, objective_words
from addon.domain.sync.merge import (
    DEFAULT_CLOCK_SKEW_SECONDS,
    BoardPatch,
    Capture,
    Conflict,
    Merged,
    Missing,
    StoreChange,
    SyncFinding,
    idea_fields,
    kr_fields,
    merge,
    moment,
    note_fields,
    objective_fields,
)

CREATED, MISSING, DETACHED = JournalState.CREATED, JournalState.MISSING, JournalState.DETACHED
# A card's line is normalised (rewritten as the store would write it) only with a real change, or once nobody
# has touched the card for this long by Miro's clock: a sync during a workshop never rewrites a card someone is
# typing on (DESIGN §5, "Read before write").
NORMALISE_AFTER = timedelta(minutes=10)
OWES = "owes_normalising"  # a journal base's mark: the card's line was left as typed, to normalise later


def owes_normalising(entry: JournalEntry) -> bool:
    """Whether a sync left the item's line as the team typed it, to be normalised once the item is left alone."""
    return bool((entry.synced or {}).get(OWES))


@dataclass
class SyncInput:
    """Everything one decision looks at."""

    cycle: Cycle
    entries: Mapping[str, JournalEntry]
    listing: list[ListedItem]
    plan: BoardPlan  # the plan of the cycle as stored: where its areas are
    template: dict
    language: str = "en"
    matrices: str = "per_kr"
    parent: Cycle | None = None
    members: Mapping[str, str] | None = None  # Miro user id -> name; None until a card's assignee needs it
    edit_times: Mapping[tuple[str, int], Mapping[str, str]] = field(default_factory=dict)
    gone: frozenset[str] = frozenset()  # ids absent from the complete listing and confirmed gone (404)
    today: date = field(default_factory=date.today)
    # Nothing changed in the store since the last complete sync: an item unchanged on the board is then
    # unchanged on both sides, and is not looked at.
    store_unchanged: bool = False
    copy_cycle: bool = True  # False: the decision may change `cycle` itself (the caller loaded it for this)
    board_now: datetime | None = None  # Miro's clock when the listing was read (its Date header); None: unknown
    clock_skew: float = DEFAULT_CLOCK_SKEW_SECONDS  # seconds Miro's clock and ours may disagree (merge.merge)


@dataclass
class Settle:
    """What a journal entry's base becomes once the store is saved (ids are known then) and patches landed."""

    kind: str  # kr | idea | objective | note | label
    entity: object
    extra: dict = field(default_factory=dict)
    # The item's fields as the listing showed them: the base to keep if its patch is not sent because the item
    # changed under it, so the next sync merges the team's new edit against what this one saw (None: keep the old).
    listed: dict | None = None


@dataclass
class SyncDecision:
    """The outcome of one decision."""

    cycle: Cycle
    language: str
    changes: list[StoreChange] = field(default_factory=list)
    captures: list[Capture] = field(default_factory=list)
    patches: list[BoardPatch] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    findings: list[SyncFinding] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    settled: dict[str, Settle] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    retags: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    needs_members: bool = False
    owed: set[str] = field(default_factory=set)  # journal keys whose line is left as typed (NORMALISE_AFTER)

    @property
    def store_changed(self) -> bool:
        """Whether the store must be written (changes, captures or new journal states)."""
        return bool(self.changes or self.captures or self.retags)

    def base_fields(self, key: str) -> dict:
        """Return the new base of a settled journal entry: the store's fields (`fields`), or, for a card left as
        typed, the fields as the card shows them, so that reading it again unchanged finds no edit (its shown
        score, which the store computes, included)."""
        listed = self.settled[key].listed
        return dict(listed) if key in self.owed and listed is not None else self.fields(key)

    def fields(self, key: str) -> dict:
        """Return the new base of a journal entry (call after saving, so captured entities have ids)."""
        settle = self.settled[key]
        if settle.kind == "kr":
            return {**kr_fields(settle.entity, self.language), **settle.extra}
        if settle.kind == "idea":
            return idea_fields(settle.entity, settle.extra["matrix"])
        if settle.kind == "objective":
            return objective_fields(settle.entity)
        if settle.kind == "label":
            return dict(settle.extra)
        return note_fields(settle.entity)


class Context:
    """One decision's working state: the merged cycle, the board as read, and the decision being built."""

    def __init__(self, inp: SyncInput):
        self.inp = inp
        self.cycle = copy.deepcopy(inp.cycle) if inp.copy_cycle else inp.cycle
        self.decision = SyncDecision(self.cycle, inp.language)
        self.items: dict[str, BoardItem] = listing_items(inp.listing)
        self.frames = {
            e.key: (e.role, e.entity, self.items[e.miro_item_id])
            for e in inp.entries.values()
            if e.miro_item_id in self.items and self.items[e.miro_item_id].type == "frame"
        }
        self.areas = board_areas(inp.plan, self.frames)
        self.words = objective_words(inp.template)
        self.ideas: dict | None = None  # idea id -> (objective ref, kr ref, kr, idea), built on first use

    # -- the store side -------------------------------------------------------------------------------------
    def kr_refs(self) -> dict[int, tuple[str, str, KeyResult]]:
        """Map id(kr) -> (objective ref, kr ref, kr) for the merged cycle (identity, so new ones count too)."""
        return {
            id(kr): (f"O{o}", f"KR{o}.{k}", kr)
            for o, objective in enumerate(self.cycle.objectives, start=1)
            for k, kr in objective.numbered()
        }

    def find_kr(self, kr_id: int | None, ref: str | None) -> tuple[str, str, KeyResult] | None:
        """Find a key result by its store id, else by its ref (items generated before any sync)."""
        found = self.kr_refs().values()
        if kr_id is not None:
            return next((entry for entry in found if entry[2].id == kr_id), None)
        return next((entry for entry in found if entry[1] == ref), None)

    def edit_time(self, kind: str, entity_id: int | None, column: str) -> str | None:
        """Return when a field last changed in the store (None if unknown)."""
        return (self.inp.edit_times.get((kind, entity_id)) or {}).get(column)

    @cached_property
    def merged_plan(self) -> BoardPlan:
        """The plan of the merged cycle: where a card goes for a status, how an objective card reads."""
        return plan_board(
            self.cycle,
            self.inp.template,
            language=self.inp.language,
            parent=self.inp.parent,
            matrices=self.inp.matrices,
        )

    def matrix_ref(self, objective_ref: str, kr_ref: str) -> str:
        """Return the ref of the matrix that holds a key result's ideas."""
        return objective_ref if self.inp.matrices == "per_objective" else kr_ref

    # -- the board side -------------------------------------------------------------------------------------
    def base_item(self, entry: JournalEntry, item: BoardItem) -> BoardItem:
        """Return the item as it was when journaled (data and position from `synced`), placed like a listed one."""
        synced = entry.synced or {}
        position, parent = synced.get("position") or {}, synced.get("parent")
        then = ListedItem(
            item.id,
            item.type,
            synced.get("data") or {},
            {},
            _float(position.get("x")),
            _float(position.get("y")),
            item.width,
            item.height,
            parent,
        )
        listing = [then]
        if parent and parent in self.items:
            frame = self.items[parent]
            listing.append(ListedItem(parent, "frame", x=frame.x, y=frame.y, width=frame.width, height=frame.height))
        return listing_items(listing)[item.id]

    def frame_position(self, frame_key: str, x: float, y: float) -> tuple[str, dict] | None:
        """Return (frame id, position relative to it) for an absolute planned point of a planned frame."""
        entry = self.inp.entries.get(frame_key)
        planned = next((i for i in self.merged_plan.items if i.key == frame_key), None)
        if entry is None or planned is None or entry.miro_item_id not in self.items:
            return None
        rel = x - (planned.x - planned.width / 2), y - (planned.y - (planned.height or 0) / 2)
        return entry.miro_item_id, {"x": round(rel[0], 2), "y": round(rel[1], 2)}

    def left_alone(self, item: BoardItem) -> bool:
        """Whether nobody touched the item for NORMALISE_AFTER, by Miro's clock (unknown: assume someone did)."""
        modified, now = moment(item.modified_at), self.inp.board_now
        return modified is not None and now is not None and now - modified >= NORMALISE_AFTER

    def merge(self, base, board, store, *, rule: str, board_time=None, store_time=None) -> Merged:
        """Merge one field three ways with this sync's clock skew window (merge.merge)."""
        return merge(
            base, board, store, rule=rule, board_time=board_time, store_time=store_time, skew=self.inp.clock_skew
        )

    # -- recording ------------------------------------------------------------------------------------------
    def record(self, key: str, ref: str | None, name: str, merged: Merged, base, board, store, kind: str) -> None:
        """Note a merged field's store change and conflict."""
        if merged.conflict:
            resolution, rule = merged.conflict
            self.decision.conflicts.append(Conflict(key, ref, name, base, board, store, resolution, rule))
        if merged.to_store:
            self.decision.changes.append(StoreChange(key, ref, name, store, merged.value, kind))

    def finding(self, key: str | None, ref: str | None, kind: str, message: str) -> None:
        """Report something the sync did not apply."""
        self.decision.findings.append(SyncFinding(key, ref, kind, message))


def detached(ctx: Context, entry: JournalEntry, what: str) -> None:
    """Note an item whose entity was deleted from the store: it is left alone from now on."""
    ctx.decision.states[entry.key] = DETACHED
    ctx.finding(
        entry.key,
        entry.entity,
        "detached",
        f"{what} {entry.entity} was deleted from the store but its item is still on the board; "
        "it is no longer synced (delete it on the board, or re-create it in the store).",
    )


def _float(value) -> float | None:
    return None if value is None else float(value)
