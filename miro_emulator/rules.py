"""Miro's rules that the spec's schemas cannot express (miro-api.md §5, §12 fidelity checklist).

Each check returns a list of `context.fields` entries so that bulk create can report them per item index.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from miro_emulator.errors import field_error
from miro_emulator.geometry import TEXT_MIN_WIDTH_RATIO

HEX = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
BASIC_SHAPES = {
    "rectangle",
    "round_rectangle",
    "circle",
    "triangle",
    "rhombus",
    "parallelogram",
    "trapezoid",
    "pentagon",
    "hexagon",
    "octagon",
    "wedge_round_rectangle_callout",
    "star",
    "flow_chart_predefined_process",
    "cloud",
    "cross",
    "can",
    "right_arrow",
    "left_arrow",
    "left_right_arrow",
    "left_brace",
    "right_brace",
}
# Flowchart names accepted on create (https://developers.miro.com/reference/create-shape-item-flowchart).
FLOWCHART_SHAPES = {
    f"flow_chart_{name}"
    for name in (
        "connector",
        "magnetic_disk",
        "input_output",
        "decision",
        "delay",
        "display",
        "document",
        "magnetic_drum",
        "internal_storage",
        "manual_input",
        "manual_operation",
        "merge",
        "multidocuments",
        "note_curly_left",
        "note_curly_right",
        "note_square",
        "offpage_connector",
        "or",
        "predefined_process_2",
        "preparation",
        "process",
        "online_storage",
        "summing_junction",
        "terminator",
    )
}
COLOUR_FIELDS = {
    "frame": ("fillColor",),
    "card": ("cardTheme",),
    "app_card": ("fillColor",),
    "shape": ("borderColor", "color", "fillColor"),
    "text": ("color", "fillColor"),
}
MAX_TAGS_PER_ITEM = 8  # "Card and sticky note items can have up to 8 tags" (create-tag reference)
TAGGABLE = {"card", "sticky_note"}


def _finite(value) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def item_errors(store, board, item_type: str, body: dict, existing=None) -> list[dict]:
    """Return the rule violations of a create (existing None) or update body of an item of `item_type`."""
    errors = []
    data, style = body.get("data") or {}, body.get("style") or {}
    geometry, position = body.get("geometry") or {}, body.get("position") or {}
    for key in ("x", "y"):
        if key in position and not _finite(position[key]):
            errors.append(field_error(f"position.{key}", f"Field [position.{key}] must be a finite number"))
    for key in ("width", "height"):
        if key in geometry and _finite(geometry[key]) and geometry[key] <= 0:
            errors.append(field_error(f"geometry.{key}", f"Field [geometry.{key}] must be greater than 0"))
    if item_type == "sticky_note" and "width" in geometry and "height" in geometry:
        # Sticky notes keep their aspect ratio: width or height, not both.
        errors.append(field_error("geometry", "Only one of width and height can be set for a sticky note"))
    if item_type == "text":
        font = float(style.get("fontSize") or (existing.style.get("fontSize") if existing else None) or 14)
        width = geometry.get("width", existing.geometry["width"] if existing else None)
        if width is not None and _finite(width) and width < TEXT_MIN_WIDTH_RATIO * font:
            errors.append(
                field_error(
                    "geometry.width",
                    f"Text width {width} is below the minimum of "
                    f"{TEXT_MIN_WIDTH_RATIO} x fontSize ({TEXT_MIN_WIDTH_RATIO * font:g})",
                )
            )
    if item_type == "shape" and "shape" in data:
        if data["shape"] not in BASIC_SHAPES | FLOWCHART_SHAPES:
            errors.append(field_error("data.shape", f"Unsupported shape {data['shape']!r}"))
    for key in COLOUR_FIELDS.get(item_type, ()):
        if key in style and isinstance(style[key], str) and not HEX.match(style[key]):
            errors.append(field_error(f"style.{key}", f"Field [style.{key}] must be a hex colour like #ff0000"))
    for index, custom in enumerate(data.get("fields") or []):
        for key in ("fillColor", "textColor"):
            if isinstance(custom, dict) and key in custom and not HEX.match(str(custom[key])):
                errors.append(field_error(f"data.fields.{index}.{key}", f"Field [{key}] must be a hex colour"))
    if item_type == "card":
        errors += _card_errors(store, data)
    errors += parent_errors(board, item_type, body, existing)
    return errors


def _card_errors(store, data: dict) -> list[dict]:
    errors = []
    if isinstance(data.get("dueDate"), str):
        try:
            datetime.fromisoformat(data["dueDate"].replace("Z", "+00:00"))
        except ValueError:
            errors.append(field_error("data.dueDate", "Field [data.dueDate] must be an ISO-8601 date-time"))
    if data.get("assigneeId") and data["assigneeId"] not in store.users:
        errors.append(field_error("data.assigneeId", f"User {data['assigneeId']} not found"))
    return errors


def parent_errors(board, item_type: str, body: dict, existing=None) -> list[dict]:
    """Frames have no parent; a parent must be a frame of the same board, and not the item itself."""
    if "parent" not in body or body["parent"] is None:
        return []
    if item_type == "frame":
        return [field_error("parent", "Frames cannot have a parent: frames cannot be nested")]
    parent_id = (body["parent"] or {}).get("id")
    if parent_id is None:
        return [field_error("parent.id", "Field [parent.id] is required")]
    if parent_id == "":
        return [field_error("parent.id", "Field [parent.id] must not be empty")]
    parent = board.items.get(parent_id)
    if parent is None:
        return [field_error("parent.id", f"Parent item {parent_id} not found on this board")]
    if parent.type != "frame":
        return [field_error("parent.id", "Only frames can be parents")]
    if existing is not None and existing.id == parent_id:
        return [field_error("parent.id", "An item cannot be its own parent")]
    return []


def endpoint_errors(board, name: str, end: dict) -> list[dict]:
    """Check a connector's start or end: an existing, non-frame item, with position or snapTo, not both."""
    errors = []
    item = board.items.get(end.get("id") or "")
    if not end.get("id"):
        errors.append(field_error(f"{name}.id", f"Field [{name}.id] is required"))
    elif item is None:
        errors.append(field_error(f"{name}.id", f"Item {end['id']} not found on this board"))
    elif item.type == "frame":
        errors.append(field_error(f"{name}.id", "Frames are not supported at the moment: cannot connect a frame"))
    if "position" in end and "snapTo" in end:
        errors.append(field_error(name, "Set either position or snapTo, not both"))
    for axis in ("x", "y"):
        value = (end.get("position") or {}).get(axis)
        match = PERCENT.match(value) if isinstance(value, str) else None
        if value is not None and (match is None or float(match.group(1)) > 100):
            errors.append(field_error(f"{name}.position.{axis}", "Must be a percentage from 0% to 100%"))
    return errors
