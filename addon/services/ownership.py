"""Board ownership: a board belongs to at most one cycle of one store, said on both sides.

The store records each board of a cycle with a marker, and the board carries that marker in its description
(Miro boards have a free-text description of up to 300 characters:
https://developers.miro.com/reference/update-board). Generation refuses a board that another cycle owns, and
every sync first reads the board and refuses it when the marker is missing or names another cycle or store, for
example when Miro forgot a board and gave its id to a new one.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from addon.domain.errors import OkrError
from addon.domain.method.model import Cycle
from addon.services.ports import BoardGateway, BoardInfo, BoardRecord, UnitOfWork

DESCRIPTION_LIMIT = 300  # Miro's limit on a board description
MARKER = re.compile(r"okrboard:(?P<tenant>[^:\s]+):(?P<cycle>\d+):(?P<token>[0-9A-Za-z]+)")


class BoardNotOwned(OkrError):
    """The board belongs to another cycle or store, or no longer says it belongs to this cycle."""


@dataclass(frozen=True)
class Marker:
    """An ownership marker: the tenant and cycle a board belongs to, and a token unique to one store's record."""

    tenant: str
    cycle_id: int
    token: str

    def __str__(self) -> str:
        return f"okrboard:{self.tenant}:{self.cycle_id}:{self.token}"


def new_marker(tenant: str, cycle_id: int) -> str:
    """Return a fresh marker for a board of a cycle (its token is unguessable, so no other store makes it)."""
    return str(Marker(tenant, cycle_id, secrets.token_hex(8)))


def read_marker(description: str) -> Marker | None:
    """Return the marker a board description carries, if any."""
    found = MARKER.search(description or "")
    if found is None:
        return None
    return Marker(found["tenant"], int(found["cycle"]), found["token"])


def with_marker(description: str, marker: str) -> str:
    """Return a description carrying the marker (any older marker replaced), within Miro's limit."""
    text = MARKER.sub("", description or "").strip()
    room = DESCRIPTION_LIMIT - len(marker) - 1
    return f"{text[:room]} {marker}".strip()


def _name(uow: UnitOfWork, cycle_id: int) -> str:
    try:
        return f"cycle {cycle_id} ({uow.cycles.summary(str(cycle_id)).name})"
    except Exception:  # noqa: BLE001 - a cycle deleted since: its number still says enough
        return f"cycle {cycle_id}"


def check_owned(uow: UnitOfWork, tenant: str, record: BoardRecord, board: BoardInfo) -> str | None:
    """Check that a board still carries its record's marker; return a marker to record for a board made before
    markers were recorded (it carries one naming this cycle), else None; raise BoardNotOwned otherwise."""
    found = read_marker(board.description)
    cycle = _name(uow, record.cycle_id)
    if found is None:
        raise BoardNotOwned(
            f"Board {board.id} does not carry the marker of {cycle} in its description: it may be another board "
            "that was given the same id. Nothing was read or written. If it is the cycle's board, run "
            f"`okrboard generate {record.cycle_id} --board new` to make a fresh one."
        )
    if (found.tenant, found.cycle_id) != (tenant, record.cycle_id):
        raise BoardNotOwned(
            f"Board {board.id} says it belongs to cycle {found.cycle_id} of team {found.tenant}, not to {cycle}: "
            "nothing was read or written."
        )
    if record.marker is None:
        return str(found)
    if found != read_marker(record.marker):
        raise BoardNotOwned(
            f"Board {board.id} carries the marker of {cycle} from another store (or of an earlier board with the "
            "same id): nothing was read or written."
        )
    return None


def check_claimable(uow: UnitOfWork, tenant: str, cycle: Cycle, board: BoardInfo) -> BoardRecord | None:
    """Check that an existing Miro board may hold a cycle's board; return the cycle's record of it, if any.

    Refused when the store records it for another cycle or its description names another cycle or store."""
    records = uow.boards.boards_with_id(board.id)
    others = [r for r in records if r.cycle_id != cycle.id]
    if others:
        raise BoardNotOwned(
            f"Board {board.id} is the board of {_name(uow, others[-1].cycle_id)}: generating {cycle.name} onto it "
            "would mix the two cycles on one board. Use `--board new` or a board of no other cycle."
        )
    mine = next((r for r in reversed(records) if r.cycle_id == cycle.id), None)
    found = read_marker(board.description)
    if mine is not None:
        check_owned(uow, tenant, mine, board)
        return mine
    if found is not None:
        raise BoardNotOwned(
            f"Board {board.id} says it belongs to cycle {found.cycle_id} of team {found.tenant} in another store: "
            f"generating {cycle.name} onto it would mix two cycles. Use `--board new` or another board."
        )
    return None


def claim(gateway: BoardGateway, board: BoardInfo, marker: str) -> BoardInfo:
    """Write the ownership marker into an existing board's description, keeping its text."""
    return gateway.set_board_description(board.id, with_marker(board.description, marker))
