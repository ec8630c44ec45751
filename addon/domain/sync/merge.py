"""The three-way merge of one field (base = last synced, board, store), the actions sync produces, and the
fields each synced entity is compared on.

Fields are compared as the board shows them (the card's text parsed back), so a value the card cannot show
differently (a milestone's 0.5 reads "no" like 0) never looks like an edit on either side.

Two clocks (DESIGN §5): whether a side changed is never a question of time across systems. The board changed
when the item's Miro `modifiedAt` moved from the one journaled at the last sync (and then the field reads
differently from its base); the store changed when the field differs from its base, i.e. was edited after the
last sync. Only a conflict compares Miro's clock with ours.

Conflict rule: the board wins for position and column (status, matrix, impact, effort, retro section); for
values, scores, titles and texts the newer human edit wins: the board's edit time is the item's Miro
`modifiedAt`, the store's the field's own edit time. The two clocks may disagree, so the store's edit must be
newer by more than the skew window (2 minutes by default) to win: within it, or with a store edit of unknown
time, the board wins, where the team works. Every conflict is recorded with both values (the loser's too) and
the rule applied.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from addon.domain.board import card_text
from addon.domain.method.model import Idea, KeyResult, KRKind, Objective, RetroNote
from addon.domain.method.scoring import kr_score
from addon.domain.sync.meaning import annotation, norm

BOARD_WINS = "board wins for position and column"
NEWER_WINS = "the newer human edit wins"
# How far Miro's clock and ours may disagree: within it, a conflict goes to the board (`okrboard sync --help`).
DEFAULT_CLOCK_SKEW_SECONDS = 120.0


@dataclass(frozen=True)
class StoreChange:
    """A board edit applied to the store: a move (status, quadrant, section) or a value (text, number)."""

    key: str
    ref: str | None
    field: str
    old: object
    new: object
    kind: str  # move | value


@dataclass(frozen=True)
class BoardPatch:
    """A write to the board: new card/sticky data and/or a position (relative to `parent_id`)."""

    key: str
    ref: str | None
    item_id: str
    item_type: str
    reason: str
    data: dict | None = None
    position: dict | None = None
    parent_id: str | None = None


@dataclass(frozen=True)
class Conflict:
    """A field both sides changed since the last sync, and the side whose value was kept."""

    key: str
    ref: str | None
    field: str
    base: object
    board: object
    store: object
    resolution: str  # board | store
    rule: str

    def as_record(self) -> dict:
        """Return the conflict as the store keeps it."""
        return {
            "key": self.key,
            "ref": self.ref,
            "field": self.field,
            "base": self.base,
            "board_value": self.board,
            "store_value": self.store,
            "resolution": self.resolution,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class SyncFinding:
    """Something the sync could not apply and says so: bad text, an unplaced item, a deferred capture..."""

    key: str | None
    ref: str | None
    kind: str  # bad_text | unplaced | deferred | detached | unknown_assignee | incomplete
    message: str


@dataclass(frozen=True)
class Missing:
    """A journaled item confirmed gone from the board; what it stood for stays in the store."""

    key: str
    ref: str | None
    role: str
    item_id: str


@dataclass
class Capture:
    """A new key result, idea or retrospective note taken from an item the team added (or a placeholder filled)."""

    kind: str  # key_result | idea | retro_note | objective
    item_id: str
    key: str  # the journal key: an existing one for a filled placeholder, else a temporary `new:<id>`
    role: str  # the journal role from now on
    entity: KeyResult | Idea | RetroNote | Objective
    ref: str | None = None
    text: str = ""
    existing: bool = False  # a journaled placeholder, not a new item


def same(a: object, b: object) -> bool:
    """Compare field values; floats within rounding noise are equal."""
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


@dataclass(frozen=True)
class Merged:
    """The outcome of one field's merge: the value both sides will hold, and who must change."""

    value: object
    to_store: bool = False  # the store takes the board's value
    to_board: bool = False  # the board must be patched to the store's value
    conflict: tuple | None = None  # (resolution, rule)


def merge(
    base: object,
    board: object,
    store: object,
    *,
    rule: str,
    board_time: str | None = None,
    store_time: str | None = None,
    skew: float = DEFAULT_CLOCK_SKEW_SECONDS,
) -> Merged:
    """Merge one field three ways: one side changed -> it wins; both changed alike -> agree; else the rule
    (a store edit wins a value conflict only when newer than the board's by more than `skew` seconds)."""
    board_changed, store_changed = not same(board, base), not same(store, base)
    if not board_changed:
        return Merged(store, to_board=store_changed)
    if not store_changed or same(board, store):
        return Merged(board, to_store=not same(board, store))
    if rule == NEWER_WINS:
        board_at, store_at = moment(board_time), moment(store_time)
        if board_at is not None and store_at is not None and store_at > board_at + timedelta(seconds=skew):
            return Merged(store, to_board=True, conflict=("store", rule))
    return Merged(board, to_store=True, conflict=("board", rule))


def kr_fields(kr: KeyResult, language: str) -> dict:
    """Return a key result's synced fields as its card shows them."""
    parsed = card_text.parse_kr_description(
        card_text.format_kr_description(kr, kr_score(kr), language=language), language
    )
    return {
        "title": norm(kr.title),
        "current": parsed.current,
        "target": None if kr.kind is KRKind.MILESTONE else parsed.target,
        "at_least": parsed.at_least,
        "at_most": parsed.at_most,
        "score": parsed.score,
        "manual": parsed.score if parsed.score_manual else None,
        "due": kr.due.isoformat() if kr.due else None,
        "owner": kr.owner,
        "status": str(kr.status),
        "kr_id": kr.id,
    }


def idea_fields(idea: Idea, matrix: str) -> dict:
    """Return an idea's synced fields as its sticky shows them (impact and effort to 0.1, like positions)."""
    return {
        "matrix": matrix,
        "impact": round(idea.impact, 1) + 0.0,
        "effort": round(idea.effort, 1) + 0.0,
        "text": norm(idea.text),
        "idea_id": idea.id,
    }


def objective_fields(objective: Objective) -> dict:
    """Return an objective's synced fields."""
    return {
        "title": norm(objective.title),
        "type": str(objective.type) if objective.type else None,
        "owner": objective.owner,
        "objective_id": objective.id,
    }


def note_fields(note: RetroNote) -> dict:
    """Return a retrospective note's synced fields."""
    return {"section": note.section, "text": norm(note.text)}


@dataclass(frozen=True)
class CardText:
    """A key-result card as the store says it should read."""

    title: str
    description: str
    due: str | None = None
    problems: dict = field(default_factory=dict)
    language: str = "en"  # the board's: the note under the line is said in it

    def data(self) -> dict:
        """Return the card's `data` for a PATCH."""
        body = {"title": self.title, "description": self.description + annotation(self.problems, self.language)}
        if self.due:
            body["dueDate"] = self.due
        return body


def card_text_for(ref: str, kr: KeyResult, language: str, problems: dict | None = None) -> CardText:
    """Return the normalised text of a key result's card (with a note for text that could not be read)."""
    due = card_text.format_due_date(kr.due) if kr.due else None
    return CardText(
        card_text.format_card_title(ref, kr.title),
        card_text.format_kr_description(kr, kr_score(kr), language=language),
        due,
        dict(problems or {}),
        language,
    )
