"""Board items as the app sees them: typed, whatever wire format the board gateway read them from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ListedItem:
    """One item on a board, its position as Miro keeps it: relative to its parent frame's top-left, if any."""

    id: str
    type: str
    data: Mapping = field(default_factory=dict)
    style: Mapping = field(default_factory=dict)
    x: float | None = None
    y: float | None = None
    width: float = 0.0
    height: float | None = None  # sticky notes and texts get theirs from Miro
    parent_id: str | None = None
    modified_at: str | None = None

    def base_state(self) -> dict:
        """The parts of the item sync compares against later (the journal's base state)."""
        position = {} if self.x is None else {"x": self.x, "y": self.y}
        return {"data": dict(self.data), "position": position, "parent": self.parent_id}

    def as_miro_json(self) -> dict:
        """Return the item in the JSON shape Miro lists it in (what board pictures draw)."""
        raw = {"id": self.id, "type": self.type, "data": dict(self.data), "style": dict(self.style)}
        raw["position"] = {"x": self.x, "y": self.y, "origin": "center"}
        raw["geometry"] = {"width": self.width} | ({"height": self.height} if self.height is not None else {})
        if self.parent_id:
            raw["parent"] = {"id": self.parent_id}
            raw["position"]["relativeTo"] = "parent_top_left"
        return raw

    @property
    def placement(self) -> tuple:
        """Where the item is: its position and parent frame (to tell whether someone moved it)."""
        return self.x, self.y, self.parent_id


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item to create: its position as Miro expects it (relative to its parent frame's top-left, if any)."""

    type: str
    data: Mapping
    style: Mapping
    x: float
    y: float
    width: float
    height: float | None = None
    parent_id: str | None = None


def relative_position(x: float, y: float, frame: tuple[float, float, float, float] | None) -> tuple[float, float]:
    """Convert an absolute centre to Miro's frame-relative one (from the frame's top-left corner).

    `frame` is the frame's (centre x, centre y, width, height); None leaves the point as it is.
    """
    if frame is None:
        return x, y
    fx, fy, width, height = frame
    return x - (fx - width / 2), y - (fy - height / 2)
