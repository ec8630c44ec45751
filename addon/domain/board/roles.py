"""The board's vocabulary: what each item the app places stands for (its role), the journal's states, and the one
role table that layout, sync, tracking, generation and the Miro gateway read.

A new kind of item is one entry in ROLES (plus the builder that plans it and, if sync reads it, its handler in
`addon.domain.sync.decide.HANDLERS`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    """What an item on the board stands for; stored in the journal, so values never change."""

    HEADER = "header"
    TITLE = "title"
    LABEL = "label"
    OBJECTIVE_FRAME = "objective_frame"
    OBJECTIVE_CARD = "objective_card"
    PLACEHOLDER_OBJECTIVE = "placeholder_objective"
    KR_CARD = "kr_card"
    PLACEHOLDER_KR = "placeholder_kr"
    KR_STICKY = "kr_sticky"
    KANBAN_FRAME = "kanban_frame"
    KANBAN_COLUMN = "kanban_column"
    MATRIX_FRAME = "matrix_frame"
    QUADRANT = "quadrant"
    AXIS_LABEL = "axis_label"
    IDEA = "idea"
    LOG_FRAME = "log_frame"
    LOG_HEADER = "log_header"
    LOG_CELL = "log_cell"
    RETRO_FRAME = "retro_frame"
    RETRO_SECTION = "retro_section"
    RETRO_NOTE = "retro_note"
    ROLLUP_FRAME = "rollup_frame"
    ROLLUP_PANEL = "rollup_panel"


class JournalState(enum.StrEnum):
    """Where a journaled item stands between the plan and the board."""

    PLANNED = "planned"  # in the plan, not sent yet
    SENT = "sent"  # a request that could create it went out: it may exist on the board
    CREATED = "created"  # Miro confirmed it: its Miro id is known
    MISSING = "missing"  # confirmed gone from the board; what it stood for stays in the store
    DETACHED = "detached"  # on the board, but what it stood for was deleted from the store


@dataclass(frozen=True)
class ItemType:
    """Miro's rules for one item type, as the gateway needs them."""

    name: str
    width_only: bool = False  # sticky notes and texts take a width (or a height), never both
    bulk: bool = True  # frames cannot be created in bulk


# https://developers.miro.com/docs/stickies, https://developers.miro.com/reference/create-items (bulk)
ITEM_TYPES = {
    "frame": ItemType("frame", bulk=False),
    "card": ItemType("card"),
    "sticky_note": ItemType("sticky_note", width_only=True),
    "shape": ItemType("shape"),
    "text": ItemType("text", width_only=True),
}


@dataclass(frozen=True)
class RoleSpec:
    """How the app treats items of one role."""

    role: Role
    item_type: str  # the Miro item type the app creates (a captured item may be of another type)
    key_result: bool = False  # stands for a key result: tracking moves it, its card carries the owner
    synced: bool = False  # sync reads it back (its handler is in addon.domain.sync.decide)
    captured: bool = False  # the team adds items of this role; the app never plans them


ROLES: dict[Role, RoleSpec] = {
    spec.role: spec
    for spec in (
        RoleSpec(Role.HEADER, "frame"),
        RoleSpec(Role.TITLE, "text"),
        RoleSpec(Role.LABEL, "shape"),
        RoleSpec(Role.OBJECTIVE_FRAME, "frame"),
        RoleSpec(Role.OBJECTIVE_CARD, "card", synced=True),
        RoleSpec(Role.PLACEHOLDER_OBJECTIVE, "card", synced=True),
        RoleSpec(Role.KR_CARD, "card", key_result=True, synced=True),
        RoleSpec(Role.PLACEHOLDER_KR, "card", synced=True),
        RoleSpec(Role.KR_STICKY, "sticky_note", key_result=True, synced=True, captured=True),
        RoleSpec(Role.KANBAN_FRAME, "frame"),
        RoleSpec(Role.KANBAN_COLUMN, "shape"),
        RoleSpec(Role.MATRIX_FRAME, "frame"),
        RoleSpec(Role.QUADRANT, "shape"),
        RoleSpec(Role.AXIS_LABEL, "text"),
        RoleSpec(Role.IDEA, "sticky_note", synced=True),
        RoleSpec(Role.LOG_FRAME, "frame"),
        RoleSpec(Role.LOG_HEADER, "shape"),
        RoleSpec(Role.LOG_CELL, "shape"),
        RoleSpec(Role.RETRO_FRAME, "frame"),
        RoleSpec(Role.RETRO_SECTION, "shape"),
        RoleSpec(Role.RETRO_NOTE, "sticky_note", synced=True, captured=True),
        RoleSpec(Role.ROLLUP_FRAME, "frame"),
        RoleSpec(Role.ROLLUP_PANEL, "shape"),  # written by generation and refreshed by sync, never read back
    )
}


def spec(role: str) -> RoleSpec | None:
    """Return the spec of a role (None for a role this version does not know)."""
    try:
        return ROLES[Role(role)]
    except ValueError:
        return None


def stands_for_key_result(role: str) -> bool:
    """Whether an item of this role stands for a key result (a card, or a sticky the team wrote one on)."""
    found = spec(role)
    return found is not None and found.key_result
