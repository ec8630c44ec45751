"""Changes to a board's items, applied under the store lock once a request has been validated."""

from __future__ import annotations

import copy

from miro_emulator.geometry import absolute, new_geometry, relative_to, updated_geometry
from miro_emulator.state import Board, Connector, Item, Tag

DEFAULT_DATA = {
    "frame": {"title": "Sample frame title", "format": "custom", "type": "freeform", "showContent": True},
    "sticky_note": {"content": "", "shape": "square"},
    "card": {"title": "", "description": ""},
    "app_card": {"title": "sample app card item", "description": "", "status": "disconnected"},
    "shape": {"content": "", "shape": "rectangle"},
    "text": {"content": ""},
}
DEFAULT_STYLE = {
    "frame": {"fillColor": "#ffffffff"},
    "sticky_note": {"fillColor": "light_yellow", "textAlign": "center", "textAlignVertical": "top"},
    "card": {"cardTheme": "#2d9bf0"},
    "app_card": {"fillColor": "#2d9bf0"},
    "shape": {
        "borderColor": "#1a1a1a",
        "borderOpacity": "1.0",
        "borderStyle": "normal",
        "borderWidth": "2.0",
        "color": "#1a1a1a",
        "fillColor": "#ffffff",
        "fontFamily": "arial",
        "fontSize": "14",
        "textAlign": "left",
        "textAlignVertical": "top",
    },
    "text": {
        "color": "#1a1a1a",
        "fillColor": "#ffffff",
        "fontFamily": "arial",
        "fontSize": "14",
        "textAlign": "center",
    },
}


def _stamp(store, item, user_id: str) -> None:
    # modifiedAt strictly increases, so a client comparing timestamps sees every change even within 1 ms.
    item.modified_at = max(store.clock(), item.modified_at + 0.001)
    item.modified_by = user_id


def create_item(store, board: Board, item_type: str, body: dict, user_id: str, app_id: str | None) -> Item:
    """Create an item from a validated create body; `position` is frame-relative when `parent` is set."""
    data = {**DEFAULT_DATA[item_type], **copy.deepcopy(body.get("data") or {})}
    style = {**DEFAULT_STYLE[item_type], **(body.get("style") or {})}
    if item_type in ("shape", "text") and "fillOpacity" not in style:
        # Shapes and texts are transparent unless a fill colour is given (create-shape-item reference).
        style["fillOpacity"] = "1.0" if "fillColor" in (body.get("style") or {}) else "0.0"
    position = body.get("position") or {}
    parent_id = (body.get("parent") or {}).get("id")
    now = store.clock()
    item = Item(
        id=store.new_id(),
        type=item_type,
        data=data,
        style=style,
        geometry=new_geometry(item_type, body.get("geometry") or {}, data, style),
        x=float(position.get("x", 0.0)),
        y=float(position.get("y", 0.0)),
        parent_id=parent_id,
        created_at=now,
        created_by=user_id,
        modified_at=now,
        modified_by=user_id,
        app_id=app_id,
    )
    board.items[item.id] = item
    return item


def update_item(store, board: Board, item: Item, body: dict, user_id: str) -> Item:
    """Apply a validated PATCH body (data, style, geometry, position, parent) to an item."""
    if body.get("data"):
        item.data.update(copy.deepcopy(body["data"]))
    if body.get("style"):
        item.style.update(body["style"])
    item.geometry = updated_geometry(item, body.get("geometry") or {})
    move_item(board, item, body.get("position"), "parent" in body, (body.get("parent") or {}).get("id"))
    _stamp(store, item, user_id)
    return item


def move_item(board: Board, item: Item, position: dict | None, parent_given: bool, parent_id: str | None) -> None:
    """Move and/or re-parent an item, converting between board and frame-relative coordinates.

    A new parent without a position keeps the item where it is on the board; a position is always read in the
    coordinates of the (new) parent. `parent: null` moves the item out of its frame (an emulator choice: the
    spec does not say how to detach an item).
    """
    if parent_given and parent_id != item.parent_id:
        abs_x, abs_y = absolute(board, item)
        item.parent_id = parent_id
        if parent_id:
            item.x, item.y = relative_to(board.items[parent_id], abs_x, abs_y)
        else:
            item.x, item.y = abs_x, abs_y
    if position:
        item.x = float(position.get("x", item.x))
        item.y = float(position.get("y", item.y))


def touch(store, item: Item, user_id: str) -> None:
    """Mark an item modified now by `user_id`."""
    _stamp(store, item, user_id)


def delete_item(board: Board, item: Item) -> None:
    """Delete an item; a frame takes its children with it, and connectors to deleted items go too."""
    doomed = {item.id}
    if item.type == "frame":
        doomed |= {child.id for child in board.items.values() if child.parent_id == item.id}
    for item_id in doomed:
        board.items.pop(item_id, None)
    for connector in list(board.connectors.values()):
        if connector.start["id"] in doomed or connector.end["id"] in doomed:
            del board.connectors[connector.id]


def copy_content(store, source: Board, target: Board, user_id: str) -> None:
    """Copy items, tags and connectors of `source` into `target` with fresh ids."""
    now = store.clock()
    tag_ids = {}
    for tag in source.tags.values():
        new = Tag(store.new_id(), tag.title, tag.fill_color)
        target.tags[new.id] = new
        tag_ids[tag.id] = new.id
    item_ids = {}
    for item in sorted(source.items.values(), key=lambda i: (i.parent_id is not None, int(i.id))):
        new = copy.deepcopy(item)
        new.id = store.new_id()
        new.parent_id = item_ids.get(item.parent_id) if item.parent_id else None
        new.tag_ids = [tag_ids[t] for t in item.tag_ids if t in tag_ids]
        new.created_at = new.modified_at = now
        new.created_by = new.modified_by = user_id
        target.items[new.id] = new
        item_ids[item.id] = new.id
    target.items = dict(sorted(target.items.items(), key=lambda pair: int(pair[0])))
    for connector in source.connectors.values():
        new = Connector(
            **{
                **copy.deepcopy(connector.__dict__),
                "id": store.new_id(),
                "created_at": now,
                "modified_at": now,
                "created_by": user_id,
                "modified_by": user_id,
            }
        )
        new.start["id"] = item_ids[connector.start["id"]]
        new.end["id"] = item_ids[connector.end["id"]]
        target.connectors[new.id] = new
