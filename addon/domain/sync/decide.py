"""Sync decisions (functional core): from the journal, one complete listing and the cycle, decide what each side
takes from the other.

`decide` never touches the store or Miro. It returns a merged copy of the cycle (save it as it is), the board
patches to send, and what to report and journal. A journal entry's `synced["fields"]` is the merge base; an item
generated before any sync has none, so its base is read from the `data`/`position` recorded at creation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from addon.domain.board.items import ListedItem
from addon.domain.board.roles import Role
from addon.domain.sync import captures, cards, items, labels
from addon.domain.sync.context import (
    CREATED,
    DETACHED,
    MISSING,
    Context,
    JournalEntry,
    SyncDecision,
    SyncInput,
    owes_normalising,
)
from addon.domain.sync.meaning import BoardItem
from addon.domain.sync.merge import Missing

__all__ = ["SyncDecision", "SyncInput", "board_as_journaled", "decide"]

# The handler of every role sync reads back (`RoleSpec.synced` in the role table), in the order they run:
# objectives first, so key results captured in the same sync find the objective a filled placeholder made.
HANDLERS = {
    Role.PLACEHOLDER_OBJECTIVE: captures.placeholder_objective,
    Role.OBJECTIVE_CARD: items.objective_card,
    Role.PLACEHOLDER_KR: captures.placeholder_kr,
    Role.KR_CARD: cards.kr_card,
    Role.KR_STICKY: cards.kr_sticky,
    Role.IDEA: items.idea,
    Role.RETRO_NOTE: items.retro_note,
}
ORDER = {role: index for index, role in enumerate(HANDLERS)}
# A placeholder keeps no merge base: it is compared with the text it was created with until it is filled in.
PLACEHOLDERS = (Role.PLACEHOLDER_OBJECTIVE, Role.PLACEHOLDER_KR)


def unchanged_on_board(entry: JournalEntry, item: ListedItem | BoardItem) -> bool:
    """Whether a journaled item is as the last sync left it: same Miro modifiedAt, a merge base if it keeps one, and
    no normalising owed."""
    if entry.state != CREATED or item.modified_at is None or item.modified_at != entry.modified_at:
        return False
    if owes_normalising(entry):
        return False
    return entry.role in PLACEHOLDERS or entry.role not in HANDLERS or "fields" in entry.synced


def board_as_journaled(entries: Mapping[str, JournalEntry], listing: Iterable[ListedItem]) -> bool:
    """Whether a complete listing shows the board exactly as the journal has it, so that, with the store unchanged
    too, a decision would decide nothing: every item there unchanged, none absent, nothing new to capture."""
    by_id = {entry.miro_item_id: entry for entry in entries.values() if entry.miro_item_id}
    listed = 0
    for item in listing:
        entry = by_id.get(item.id)
        if entry is None:
            if item.type in captures.CAPTURED_TYPES:
                return False  # sync may capture it
            continue  # a connector, a shape, an image...: sync never reads it
        if entry.state != DETACHED and not unchanged_on_board(entry, item):
            return False
        listed += entry.state == CREATED
    return listed == sum(entry.state == CREATED for entry in by_id.values())  # no journaled item absent


def decide(inp: SyncInput) -> SyncDecision:
    """Decide one sync from a complete listing; see the module docstring."""
    ctx = Context(inp)
    known_ids = {e.miro_item_id for e in inp.entries.values() if e.miro_item_id}
    for entry in inp.entries.values():
        if entry.miro_item_id in inp.gone and entry.state not in (MISSING, DETACHED):
            ctx.decision.missing.append(Missing(entry.key, entry.entity, entry.role, entry.miro_item_id))
            ctx.decision.states[entry.key] = MISSING
    present = [e for e in inp.entries.values() if e.miro_item_id in ctx.items and e.state in (CREATED, MISSING)]
    present.sort(key=lambda e: ORDER.get(e.role, len(ORDER)))
    for entry in present:
        if entry.state == MISSING:
            ctx.decision.states[entry.key] = CREATED  # back on the board (an undo in Miro)
        elif inp.store_unchanged and unchanged_on_board(entry, ctx.items[entry.miro_item_id]):
            continue  # unchanged on both sides since the last sync: nothing to merge
        handler = HANDLERS.get(entry.role)
        if handler is not None:
            handler(ctx, entry, ctx.items[entry.miro_item_id])
    for item_id, item in ctx.items.items():
        if item_id not in known_ids:
            captures.new_item(ctx, item)
    labels.refresh(ctx)  # after every handler: the merged cycle has the titles the board now shows
    return ctx.decision
