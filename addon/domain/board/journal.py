"""What the board journal records of one item the app placed (read by generation, sync and the store)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JournalEntry:
    """What the journal knows of one item the app placed on a board."""

    key: str
    role: str
    entity: str | None
    state: str
    miro_item_id: str | None
    synced: dict
    modified_at: str | None
