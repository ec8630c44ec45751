"""Which board a generation writes to: the cycle's board to resume, a given Miro board, or a new one.

A new board carries a unique marker in its description, so when Miro's answer to its creation is lost the board
is found by listing the user's boards instead of being created twice.
"""

from __future__ import annotations

import time

from addon.domain.method.model import Cycle
from addon.services.generation.job import BoardTarget, GenerationError
from addon.services.ports import BoardError, BoardGateway, BoardInfo, BoardOutcomeUnknown, Store

BOARD_ATTEMPTS = 3  # board creations tried when Miro's answer is lost and the board is not there
BOARD_LOOKUPS = 3  # listings of the user's boards to find one whose creation was not confirmed
BOARD_MARKER = "okrboard:{tenant}:{cycle}"
DESCRIPTION_LIMIT = 300  # Miro's limit on a board description


def known_board(
    store: Store, tenant: str, gateway: BoardGateway, cycle: Cycle, board: str | None, language: str
) -> BoardTarget | None:
    """Return the board to resume or the given Miro board, or None when a new one is needed."""
    with store.unit(tenant) as uow:
        if board not in (None, "new"):
            record = uow.boards.board(cycle.id, board)
            if record is None:
                found = gateway.get_board(board)
                record = uow.boards.add_board(cycle.id, board, found.view_link, language)
            return BoardTarget(record.id, record.miro_board_id, record.view_link)
        record = uow.boards.latest_board(cycle.id) if board is None else None
        return BoardTarget(record.id, record.miro_board_id, record.view_link) if record is not None else None


def new_board(gateway: BoardGateway, tenant: str, cycle: Cycle) -> BoardInfo:
    """Create the board; when Miro's answer is lost, find it by the unique marker in its description."""
    for _attempt in range(BOARD_ATTEMPTS):
        marker = BOARD_MARKER.format(tenant=tenant, cycle=cycle.id) + f":{time.time_ns()}"
        # The marker must survive the description limit, or a lost answer would leave an unfindable board.
        about = f"OKR board of {cycle.name} ({cycle.start} to {cycle.end})."[: DESCRIPTION_LIMIT - len(marker) - 1]
        try:
            return gateway.create_board(cycle.name, f"{about} {marker}")
        except BoardOutcomeUnknown:
            found = _find_board(gateway, marker)
        if found is not None:
            return found
        # A complete listing without it: that attempt created nothing, so another one is safe.
    raise GenerationError("Miro did not confirm the new board and it cannot be found; run generate again")


def _find_board(gateway: BoardGateway, marker: str) -> BoardInfo | None:
    """List the user's boards for the marker, a few times if listing fails (it must not be guessed)."""
    for lookup in range(1, BOARD_LOOKUPS + 1):
        try:
            return gateway.find_board(marker)
        except BoardError:
            if lookup == BOARD_LOOKUPS:
                raise
    return None


def record_board(store: Store, tenant: str, cycle: Cycle, created: BoardInfo, language: str) -> BoardTarget:
    """Journal a board just created for a cycle."""
    with store.unit(tenant) as uow:
        record = uow.boards.add_board(cycle.id, created.id, created.view_link, language)
        return BoardTarget(record.id, record.miro_board_id, record.view_link)
