"""Item sizes and coordinates as Miro does them (https://developers.miro.com/docs/positioning-and-geometry).

Positions are item centres. Top-level items use board coordinates from the board centre (`canvas_center`);
children of a frame use offsets from the frame's top-left corner (`parent_top_left`), on create, update and read
(https://developers.miro.com/docs/children-inside-parent-items). Frames cannot be nested, so a parent is always
a top-level frame and one conversion step is enough.
"""

from __future__ import annotations

import html
import math
import re

# Default sizes when `geometry` is omitted. Sticky notes: Web SDK reference (199 x 228 square, 350 x 228
# rectangle); the other REST defaults are not documented and are the emulator's choice.
DEFAULT_SIZE = {
    "frame": (800.0, 450.0),
    "card": (320.0, 94.0),
    "app_card": (320.0, 94.0),
    "shape": (200.0, 200.0),
    "text": (320.0, None),
}
STICKY_BASE = {"square": (199.0, 228.0), "rectangle": (350.0, 228.0)}
ROTATES = {"card", "app_card", "shape", "text"}
TEXT_MIN_WIDTH_RATIO = 1.7  # texts: width >= 1.7 x fontSize (https://developers.miro.com/reference/create-text-item)
_TAGS = re.compile(r"<[^>]+>")


def plain_text(content: str) -> str:
    """Return the text of Miro inline HTML (tags stripped, entities decoded)."""
    return html.unescape(_TAGS.sub(" ", content or "")).strip()


def text_height(content: str, width: float, font_size: float) -> float:
    """Estimate a text item's height: Miro computes it from the content wrapped at the item's width."""
    per_line = max(1, int(width / (0.55 * font_size)))
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in plain_text(content).split("\n") or [""])
    return round(max(1, lines) * font_size * 1.4 + 0.0, 2)


def sticky_size(shape: str, width: float | None, height: float | None) -> tuple[float, float]:
    """Return a sticky note's (width, height): one side is given, the other keeps the shape's aspect ratio."""
    base_w, base_h = STICKY_BASE.get(shape, STICKY_BASE["square"])
    if width is not None:
        return float(width), round(width * base_h / base_w, 2)
    if height is not None:
        return round(height * base_w / base_h, 2), float(height)
    return base_w, base_h


def new_geometry(item_type: str, requested: dict, data: dict, style: dict) -> dict:
    """Return the stored geometry of a new item from the request's `geometry` (validated beforehand)."""
    if item_type == "sticky_note":
        width, height = sticky_size(data.get("shape", "square"), requested.get("width"), requested.get("height"))
        return {"width": width, "height": height}
    default_w, default_h = DEFAULT_SIZE[item_type]
    geometry = {"width": float(requested.get("width", default_w))}
    if item_type == "text":
        font = float(style.get("fontSize", 14))
        geometry["height"] = text_height(data.get("content", ""), geometry["width"], font)
    else:
        geometry["height"] = float(requested.get("height", default_h))
    if item_type in ROTATES:
        geometry["rotation"] = float(requested.get("rotation", 0.0))
    return geometry


def updated_geometry(item, change: dict) -> dict:
    """Return the geometry after a PATCH (`change` may be empty: text content or sticky shape may have changed)."""
    current = dict(item.geometry)
    if item.type == "sticky_note":
        if "width" in change or "height" in change:
            width, height = sticky_size(item.data.get("shape", "square"), change.get("width"), change.get("height"))
        else:
            width, height = sticky_size(item.data.get("shape", "square"), current["width"], None)
        return {"width": width, "height": height}
    for key in ("width", "height", "rotation"):
        if key in change:
            current[key] = float(change[key])
    if item.type == "text":
        font = float(item.style.get("fontSize", 14))
        current["height"] = text_height(item.data.get("content", ""), current["width"], font)
    return current


def top_left(frame) -> tuple[float, float]:
    """Return a (top-level) frame's top-left corner in board coordinates."""
    return frame.x - frame.geometry["width"] / 2, frame.y - frame.geometry["height"] / 2


def absolute(board, item) -> tuple[float, float]:
    """Return an item's centre in board coordinates."""
    if item.parent_id and item.parent_id in board.items:
        left, top = top_left(board.items[item.parent_id])
        return left + item.x, top + item.y
    return item.x, item.y


def relative_to(frame, x: float, y: float) -> tuple[float, float]:
    """Convert board coordinates to offsets from the frame's top-left corner."""
    left, top = top_left(frame)
    return x - left, y - top


def position_json(item) -> dict:
    """Return the `position` object of a response."""
    return {
        "x": item.x,
        "y": item.y,
        "origin": "center",
        "relativeTo": "parent_top_left" if item.parent_id else "canvas_center",
    }
