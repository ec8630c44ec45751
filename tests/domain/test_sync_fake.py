"""An in-memory board and journal for testing sync decisions without Miro or a database.

`FakeBoard` lays a cycle out like the generator (children positioned from their frame's top-left, journal
entries with the created state as base), lets a test act like a team member (move, edit, add, delete), and
`sync()` runs `decide` and then does what the service does with the decision (save, journal, patch).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import count

from addon.adapters.board_layouts import load_layout
from addon.adapters.miro_gateway import listed_item
from addon.domain.board import card_text
from addon.domain.board.layout import plan_board
from addon.domain.method.model import Cycle, Idea, KeyResult, KRKind, Objective, ObjectiveType
from addon.domain.sync.captures import journal_entity, journal_key
from addon.domain.sync.context import OWES
from addon.domain.sync.decide import SyncDecision, SyncInput, decide

TEMPLATE = load_layout()
EPOCH = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    """Format a moment as Miro does."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def sample_cycle(objectives: int = 2, key_results: int = 2) -> Cycle:
    """A small cycle: increase key results 0 -> 5, one milestone at the end of O1."""
    objs = []
    for o in range(1, objectives + 1):
        krs = [
            KeyResult(f"Result {o}.{k}", target=5, unit="partners", owner="Ben", due=date(2027, 3, 15))
            for k in range(1, key_results + 1)
        ]
        objs.append(Objective(f"Objective {o}", ObjectiveType.COMMITMENT, "Ana", key_results=krs))
    objs[0].key_results.append(KeyResult("Security review done", kind=KRKind.MILESTONE, owner="Dev"))
    return Cycle("GTM Q1 2027", date(2027, 1, 4), date(2027, 3, 31), objectives=objs)


@dataclass
class Entry:
    """A journal entry (the fields sync reads)."""

    key: str
    role: str
    entity: str | None
    state: str
    miro_item_id: str | None
    synced: dict
    modified_at: str | None


@dataclass
class FakeBoard:
    """A board generated from a cycle, its journal, and the store's copy of the cycle."""

    cycle: Cycle
    language: str = "en"
    items: dict = field(default_factory=dict)
    entries: dict = field(default_factory=dict)
    edit_times: dict = field(default_factory=dict)
    members: dict | None = None
    # How long, by Miro's clock, the team has left the board alone when a sync lists it (a sync normalises a
    # card's line only once it has been left alone ten minutes).
    left_alone_for: timedelta | None = timedelta(minutes=10)  # None: Miro's clock unknown

    def __post_init__(self):
        self._ids = count(1000)
        self._clock = EPOCH
        self._assign_ids()
        self.plan = plan_board(self.cycle, TEMPLATE, language=self.language)
        frames = {}
        for planned in self.plan.items:
            item_id = str(next(self._ids))
            x, y, parent = planned.x, planned.y, None
            if planned.parent_key:
                frame = self.plan.item(planned.parent_key)
                x, y, parent = x - (frame.x - frame.width / 2), y - (frame.y - frame.height / 2), frames[frame.key]
            else:
                frames[planned.key] = item_id
            height = planned.height or planned.width
            raw = {
                "id": item_id,
                "type": planned.type,
                "data": copy.deepcopy(planned.data),
                "position": {"x": x, "y": y},
                "geometry": {"width": planned.width, "height": height},
                "modifiedAt": self.tick(),
            }
            if parent:
                raw["parent"] = {"id": parent}
            self.items[item_id] = raw
            self.entries[planned.key] = Entry(
                planned.key, planned.role, planned.entity, "created", item_id, self._state(raw), raw["modifiedAt"]
            )

    # -- the store side -------------------------------------------------------------------------------------
    def _assign_ids(self) -> None:
        for objective in self.cycle.objectives:
            objective.id = objective.id or next(self._ids)
            for kr in objective.key_results:
                kr.id = kr.id or next(self._ids)
                for idea in kr.ideas:
                    idea.id = idea.id or next(self._ids)

    def kr(self, ref: str) -> KeyResult:
        """Return the store's key result of a ref."""
        return self.cycle.key_results_by_ref()[ref][1]

    def store_edit(self, kind: str, entity_id: int, column: str, at: datetime | None = None) -> None:
        """Note a store-side edit time (what the ORM event does)."""
        self.edit_times.setdefault((kind, entity_id), {})[column] = (at or self.now()).isoformat()

    # -- the board side -------------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self._clock

    def tick(self) -> str:
        """Advance the clock one second and return Miro's modifiedAt for now."""
        self._clock += timedelta(seconds=1)
        return iso(self._clock)

    @staticmethod
    def _state(raw: dict) -> dict:
        return {
            "data": copy.deepcopy(raw["data"]),
            "position": dict(raw["position"]),
            "parent": (raw.get("parent") or {}).get("id"),
        }

    def id(self, key: str) -> str:
        return self.entries[key].miro_item_id

    def item(self, key_or_id: str) -> dict:
        return self.items[self.entries[key_or_id].miro_item_id if key_or_id in self.entries else key_or_id]

    def _frame_at(self, x: float, y: float) -> dict | None:
        for raw in self.items.values():
            if raw["type"] == "frame":
                w, h = raw["geometry"]["width"], raw["geometry"]["height"]
                if abs(x - raw["position"]["x"]) <= w / 2 and abs(y - raw["position"]["y"]) <= h / 2:
                    return raw
        return None

    def move(self, key_or_id: str, x: float, y: float) -> None:
        """Drag an item to an absolute point (it joins the frame there, as in Miro)."""
        raw = self.item(key_or_id)
        frame = self._frame_at(x, y)
        raw.pop("parent", None)
        if frame is not None:
            fx = frame["position"]["x"] - frame["geometry"]["width"] / 2
            fy = frame["position"]["y"] - frame["geometry"]["height"] / 2
            x, y = x - fx, y - fy
            raw["parent"] = {"id": frame["id"]}
        raw["position"] = {"x": x, "y": y}
        raw["modifiedAt"] = self.tick()

    def move_to_area(self, key_or_id: str, area_key: str, dx: float = 0.0, dy: float = 0.0) -> None:
        """Drag an item to the middle of a planned area."""
        area = self.plan.area(area_key)
        self.move(key_or_id, (area.x0 + area.x1) / 2 + dx, (area.y0 + area.y1) / 2 + dy)

    def edit(self, key_or_id: str, **data) -> None:
        """Change an item's data (card title/description, sticky content)."""
        raw = self.item(key_or_id)
        raw["data"].update(data)
        raw["modifiedAt"] = self.tick()

    def type_line(self, ref: str, text: str) -> None:
        """Type a key-result card's description."""
        self.edit(f"card:{ref}", description=card_text.html_lines([text]))

    def add(self, item_type: str, x: float, y: float, text: str) -> str:
        """Add a card or sticky note at an absolute point."""
        item_id = str(next(self._ids))
        data = (
            {"title": card_text.escape_text(text)}
            if item_type == "card"
            else {"content": card_text.html_lines([text]), "shape": "square"}
        )
        self.items[item_id] = {
            "id": item_id,
            "type": item_type,
            "data": data,
            "position": {},
            "geometry": {"width": 120, "height": 137},
        }
        self.move(item_id, x, y)
        return item_id

    def delete(self, key_or_id: str) -> None:
        """Delete an item from the board."""
        self.items.pop(self.item(key_or_id)["id"])

    def description(self, ref: str) -> str:
        return card_text.plain_text(self.item(f"card:{ref}")["data"]["description"])

    # -- one sync -------------------------------------------------------------------------------------------
    def decide(self, *, gone=frozenset()) -> SyncDecision:
        """Decide a sync of the board as it is now."""
        return decide(
            SyncInput(
                cycle=self.cycle,
                entries=self.entries,
                listing=[listed_item(raw) for raw in self.items.values()],
                plan=plan_board(self.cycle, TEMPLATE, language=self.language),
                template=TEMPLATE,
                language=self.language,
                members=self.members,
                edit_times=self.edit_times,
                gone=frozenset(gone),
                today=date(2027, 1, 20),
                board_now=None if self.left_alone_for is None else self._clock + self.left_alone_for,
            )
        )

    def sync(self, *, gone=frozenset()) -> SyncDecision:
        """Decide, then save and patch as the service does."""
        decision = self.decide(gone=gone)
        if decision.needs_members and self.members is None:
            self.members = {}
            decision = self.decide(gone=gone)
        self.cycle = decision.cycle
        self._assign_ids()
        keys = {}
        for capture in decision.captures:
            key = journal_key(capture, set(self.entries))
            keys[capture.key] = key
            if not capture.existing:
                raw = self.items[capture.item_id]
                self.entries[key] = Entry(
                    key,
                    capture.role,
                    journal_entity(capture),
                    "created",
                    capture.item_id,
                    self._state(raw),
                    raw.get("modifiedAt"),
                )
        for key, (role, entity) in decision.retags.items():
            self.entries[key].role, self.entries[key].entity = role, entity
        for key, state in decision.states.items():
            self.entries[key].state = state
        patched = {p.key for p in decision.patches}
        for key in decision.settled:
            entry = self.entries[keys.get(key, key)]
            if key not in patched:
                raw = self.items[entry.miro_item_id]
                entry.synced = {**self._state(raw), "fields": decision.base_fields(key)}
                entry.synced.update({OWES: True} if key in decision.owed else {})
                entry.modified_at = raw.get("modifiedAt")
        for patch in decision.patches:
            raw = self.items[patch.item_id]
            raw["data"].update(patch.data or {})
            if patch.position:
                raw["position"] = dict(patch.position)
            if patch.parent_id:
                raw["parent"] = {"id": patch.parent_id}
            raw["modifiedAt"] = self.tick()
            entry = self.entries[keys.get(patch.key, patch.key)]
            entry.synced = {**self._state(raw), "fields": decision.fields(patch.key)}
            entry.modified_at = raw["modifiedAt"]
        return decision


def quiet(decision: SyncDecision) -> bool:
    """Whether a decision changes nothing on either side."""
    return not (decision.changes or decision.captures or decision.patches or decision.conflicts or decision.missing)


def test_a_fresh_board_syncs_quietly_twice():
    board = FakeBoard(sample_cycle())
    assert quiet(board.sync())
    assert quiet(board.sync())


def test_ideas_already_in_the_store_are_journaled_like_the_generator_does():
    cycle = sample_cycle()
    cycle.objectives[0].key_results[0].ideas.append(Idea("Partner webinar", impact=8, effort=2))
    board = FakeBoard(cycle)
    assert any(key.startswith("idea:KR1.1:") for key in board.entries)
    assert quiet(board.sync())
