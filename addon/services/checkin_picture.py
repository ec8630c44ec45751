"""A picture of the board as it stands when a check-in is recorded: the frames of the report's time-lapse."""

from __future__ import annotations

from addon.domain.method.model import Cycle
from addon.services.ports import BoardGateway, BoardRecord, Store

# Wide enough to read card titles when the report is printed on A4 landscape, small enough that six of them
# keep the report a few megabytes.
PICTURE_WIDTH_PX = 1800


def board_picture_png(gateway: BoardGateway, board_id: str, title: str) -> bytes:
    """List the board (one complete scan) and draw it as PNG with the board picture renderer."""
    from board_picture.render import render_board_bytes

    items = [item.as_miro_json() for item in gateway.iter_items(board_id)]
    return render_board_bytes(items, fmt="png", title=title, width_px=PICTURE_WIDTH_PX)


def save_checkin_picture(
    store: Store, tenant: str, gateway: BoardGateway, cycle: Cycle, board: BoardRecord, number: int
) -> int:
    """Draw the board and keep it as check-in `number`'s picture; return its size in bytes."""
    png = board_picture_png(gateway, board.miro_board_id, f"{cycle.name} · {number}")
    with store.unit(tenant) as uow:
        uow.boards.save_picture(board.id, number, png)
    return len(png)
