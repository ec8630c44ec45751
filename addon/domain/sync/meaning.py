"""What the board says now: items at absolute positions, areas anchored to the frames on the board, card text.

Miro gives a frame's children positions from the frame's top-left corner, so absolute centres are computed from
the parent frame found in the same listing. The board plan's areas are moved with the frame that holds them, so a
team that drags a whole frame elsewhere changes no meaning; a journaled frame the current plan lacks (the board
was generated from an earlier state of the cycle) borrows the areas of a planned frame of the same role.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from addon.domain.board import card_text
from addon.domain.board.items import ListedItem
from addon.domain.board.layout import Area, BoardPlan, area_at, idea_placement
from addon.domain.board.roles import Role
from addon.domain.method.messages import say
from addon.domain.method.model import KRStatus, ObjectiveType

# Card field labels as card_text's problems name them -> the field they concern.
_PROBLEM_FIELDS = {
    "start": "start",
    "départ": "start",
    "depart": "start",
    "target": "target",
    "cible": "target",
    "current": "current",
    "actuel": "current",
    "score": "score",
    "keep": "threshold",
    "garder": "threshold",
}
ANNOTATION_MARK = "⚠"


@dataclass(frozen=True)
class BoardItem:
    """One listed Miro item with its absolute centre (None when its parent frame is not in the listing)."""

    id: str
    type: str
    data: dict
    x: float | None
    y: float | None
    width: float
    height: float
    parent_id: str | None
    modified_at: str | None
    position: dict = field(default_factory=dict)  # as Miro gave it (relative to the parent, if any)

    @property
    def top_left(self) -> tuple[float, float]:
        """The absolute top-left corner (for frames)."""
        return self.x - self.width / 2, self.y - self.height / 2


def _size(item: ListedItem) -> tuple[float, float]:
    return item.width, item.height if item.height is not None else item.width


def listing_items(listed: Iterable[ListedItem]) -> dict[str, BoardItem]:
    """Index a listing by Miro id, with absolute centres computed from the parent frames in the same listing."""
    by_id = {item.id: item for item in listed}
    items = {}
    for item_id, item in by_id.items():
        x, y = item.x, item.y
        if item.parent_id is not None and x is not None:
            parent = by_id.get(item.parent_id)
            if parent is None or parent.parent_id or parent.x is None:
                x = y = None  # a parent we cannot place: the item's meaning is unknown this time
            else:
                width, height = _size(parent)
                x, y = parent.x - width / 2 + x, parent.y - height / 2 + y
        width, height = _size(item)
        position = {} if item.x is None else {"x": item.x, "y": item.y}
        items[item_id] = BoardItem(
            item_id, item.type, item.data, x, y, width, height, item.parent_id, item.modified_at, position
        )
    return items


def _frame_rect(item) -> tuple[float, float, float, float]:
    return item.x - item.width / 2, item.y - item.height / 2, item.x + item.width / 2, item.y + item.height / 2


def _inside(area: Area, rect: tuple[float, float, float, float], slack: float = 0.5) -> bool:
    x0, y0, x1, y1 = rect
    return area.x0 >= x0 - slack and area.y0 >= y0 - slack and area.x1 <= x1 + slack and area.y1 <= y1 + slack


def _anchor(value: float, p0: float, p1: float, a0: float, a1: float) -> float:
    """Carry a coordinate from a planned frame edge to the same distance from the actual frame's edge."""
    return a0 + (value - p0) if value - p0 <= p1 - value else a1 - (p1 - value)


def _moved(area: Area, planned: tuple, actual: tuple, old: str | None, new: str | None) -> Area:
    """Return an area carried from a planned frame to the frame on the board.

    Each edge keeps its distance to the nearer edge of its frame, so an area moves with its frame and a Kanban
    column stretches with a Kanban frame that is taller on the board than in today's plan.
    """
    px0, py0, px1, py1 = planned
    ax0, ay0, ax1, ay1 = actual
    x0, x1 = _anchor(area.x0, px0, px1, ax0, ax1), _anchor(area.x1, px0, px1, ax0, ax1)
    y0, y1 = _anchor(area.y0, py0, py1, ay0, ay1), _anchor(area.y1, py0, py1, ay0, ay1)
    key, meaning = area.key, area.meaning
    if old and new and old != new:
        key = key.replace(f":{old}", f":{new}")
        meaning = new if meaning == old else meaning
    return replace(area, key=key, x0=x0, y0=y0, x1=x1, y1=y1, meaning=meaning)


def board_areas(plan: BoardPlan, frames: Mapping[str, tuple[str, str | None, BoardItem]]) -> list[Area]:
    """Return the plan's areas anchored to the frames on the board (journal key -> (role, entity, item))."""
    planned = {i.key: i for i in plan.items if i.type == "frame"}
    by_frame: dict[str, list[Area]] = {key: [] for key in planned}
    loose = []
    for area in plan.areas:
        holder = next((key for key, f in planned.items() if _inside(area, _frame_rect(f))), None)
        (by_frame[holder] if holder else loose).append(area)
    areas = list(loose)
    for key, (role, entity, item) in frames.items():
        if item.x is None:
            continue
        model = planned.get(key) or next((f for f in planned.values() if f.role == role), None)
        if model is None:
            continue
        areas += [_moved(a, _frame_rect(model), _frame_rect(item), model.entity, entity) for a in by_frame[model.key]]
    return areas


def status_at(areas: list[Area], x: float | None, y: float | None, objective_ref: str | None) -> KRStatus | None:
    """Return the status a key-result card's centre means: a Kanban column, or draft in its own objective frame."""
    if x is None:
        return None
    column = area_at(areas, x, y, role=Role.KANBAN_COLUMN)
    if column is not None:
        try:
            return KRStatus(column.meaning)
        except ValueError:
            return None
    frame = area_at(areas, x, y, role=Role.OBJECTIVE_FRAME)
    if frame is not None and frame.meaning == objective_ref:
        return KRStatus.DRAFT
    return None


def idea_at(areas: list[Area], x: float | None, y: float | None) -> tuple[str, float, float] | None:
    """Return (matrix ref, impact, effort) of a point in a matrix frame, or None outside every matrix."""
    if x is None:
        return None
    try:
        return idea_placement(areas, x, y)
    except StopIteration:  # a matrix frame without its plot area
        return None


def meaning_at(areas: list[Area], x: float | None, y: float | None, role: str) -> str | None:
    """Return the meaning of the innermost area of a role holding a point (an objective ref, a retro section)."""
    if x is None:
        return None
    area = area_at(areas, x, y, role=role)
    return area.meaning if area is not None else None


def norm(text: str | None) -> str:
    """Collapse whitespace, so HTML re-wrapping on Miro's side never reads as an edit."""
    return " ".join((text or "").split())


def sticky_text(item: BoardItem) -> str:
    """Return a sticky note's (or shape's) text on one line."""
    return norm(card_text.plain_text(item.data.get("content")))


@dataclass(frozen=True)
class CardReading:
    """What a key-result card says: readable fields only; unreadable ones are in `problems`."""

    title: str
    values: dict
    problems: dict
    due: str | None
    assignee: str | None
    manual: bool = False  # the score is marked "(manual)"


def read_card(data: dict, language: str = "en") -> CardReading:
    """Read a key-result card of a board in `language`: title, `Current`, `Target`, `Score` (shown), due date
    and assignee."""
    _, title = card_text.parse_card_title(data.get("title") or "")
    parsed = card_text.parse_kr_description(data.get("description") or "", language)
    problems = {}
    for problem in parsed.problems:
        name = _PROBLEM_FIELDS.get(problem.split(":", 1)[0].strip().lower())
        if name and name != "start":
            problems.setdefault(name, problem)
    values = {
        name: getattr(parsed, name)
        for name in ("current", "target", "score")
        if name in parsed.fields and name not in problems
    }
    if "threshold" in parsed.fields and "threshold" not in problems:
        values["at_least"], values["at_most"] = parsed.at_least, parsed.at_most
    due, raw_due = None, data.get("dueDate")
    try:
        day = card_text.parse_due_date(raw_due)
        due = day.isoformat() if day else None
    except ValueError:
        problems["due"] = say("sync.bad_due", language, raw=raw_due)
    assignee = data.get("assigneeId")
    return CardReading(
        norm(title),
        values,
        problems,
        due,
        str(assignee) if assignee else None,
        parsed.score_manual and "score" in values,
    )


def annotation(problems: Mapping[str, str], language: str = "en") -> str:
    """Return the note written under a card's line for text that could not be read (no `Field:` labels in it),
    in the board's language."""
    notes = [f"{ANNOTATION_MARK} {annotation_line(message, language)}" for message in problems.values()]
    return card_text.html_lines(notes)


def annotation_line(problem: str, language: str = "en") -> str:
    """Return the annotation line of one problem, without its mark."""
    label, _, rest = problem.partition(":")
    return say("sync.annotation", language, label=label.strip(), rest=rest.strip())


def annotations_on(content: str | None) -> list[str]:
    """Return the annotation lines a card's description shows (without their mark), in order."""
    lines = (norm(line) for line in card_text.plain_text(content).split("\n"))
    return [line.removeprefix(ANNOTATION_MARK).strip() for line in lines if line.startswith(ANNOTATION_MARK)]


def without_annotations(content: str | None) -> str:
    """Return a card description's text without our annotation lines."""
    lines = card_text.plain_text(content).split("\n")
    return norm(" ".join(line for line in lines if not line.startswith(ANNOTATION_MARK)))


_TYPE_NAMES = {t.value: t for t in ObjectiveType}


def objective_words(template: dict) -> tuple[dict[str, ObjectiveType], list[re.Pattern], set[str]]:
    """Return the template's type names (any language), owner-line patterns and 'no owner' texts."""
    labels = template["labels"]
    types = dict(_TYPE_NAMES)
    for name, texts in labels["types"].items():
        if name in _TYPE_NAMES:
            types.update({text.lower(): _TYPE_NAMES[name] for text in texts.values()})
    owner = [
        re.compile(r"^" + re.escape(text.split("{owner}")[0].strip()) + r"\s*(?P<owner>.*)$", re.IGNORECASE)
        for text in labels["owner"].values()
    ]
    missing = {norm(text.split(":")[-1]).lower() for text in labels["owner_missing"].values()} | {"?", ""}
    return types, owner, missing


@dataclass(frozen=True)
class ObjectiveReading:
    """What an objective card (or its placeholder) says."""

    title: str
    type: str | None
    owner: str | None


def read_objective_card(data: dict, words) -> ObjectiveReading:
    """Read an objective card: title, a part that is just a type name ("Commitment", "Type: learning"), owner."""
    types, owner_patterns, missing = words
    _, title = card_text.parse_card_title(data.get("title") or "")
    found_type, owner = None, None
    for line in card_text.plain_text(data.get("description")).split("\n"):
        for part in (norm(p) for p in line.split("·")):
            match = next((m for m in (pattern.match(part) for pattern in owner_patterns) if m), None)
            if match:
                value = norm(match["owner"])
                owner = owner if owner is not None else (None if value.lower() in missing else value)
                continue
            word = re.sub(r"^type\s*:\s*", "", part.lower())
            if found_type is None and word in types:
                found_type = types[word].value
    return ObjectiveReading(norm(title), found_type, owner)


def due_text(day: date | None) -> str | None:
    """Return a due date as the ISO text fields compare."""
    return day.isoformat() if day else None
