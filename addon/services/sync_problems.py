"""The last sync's problems, kept in the store: card text it could not read, items outside every area, captures it
deferred. A report made without a sync (`report --no-sync`) shows them from there.

A sync that skips an item unchanged on both sides since the one before (see `domain.sync.decide`) does not
report that item's problem again, so its problem is carried over from the record rather than dropped: the
record always says what is wrong on the board now. Card text a sync could not read stays listed, "noted on the
card", while the card shows its ⚠ note (see `domain.sync.cards`).
"""

from __future__ import annotations

from addon.domain.sync.decide import SyncDecision, SyncInput, unchanged_on_board
from addon.services.ports import UnitOfWork

KINDS = ("bad_text", "unplaced", "deferred", "unknown_assignee")  # what a person must fix on the board


def record_problems(uow: UnitOfWork, board_id: int, inputs: SyncInput, decision: SyncDecision) -> None:
    """Record a decided sync's problems, with those of items it did not look at again, in the open unit."""
    listed = {item.id: item for item in inputs.listing}

    def skipped(key: str | None) -> bool:
        entry = inputs.entries.get(key or "")
        item = listed.get(entry.miro_item_id) if entry else None
        return inputs.store_unchanged and item is not None and unchanged_on_board(entry, item)

    kept = [p for p in uow.boards.problems(board_id) if p.get("key") and skipped(p["key"])]
    found = [
        {"kind": f.kind, "key": f.key, "ref": f.ref, "message": f.message} for f in decision.findings if f.kind in KINDS
    ]
    uow.boards.record_problems(board_id, kept + [p for p in found if p["key"] is None or not skipped(p["key"])])
