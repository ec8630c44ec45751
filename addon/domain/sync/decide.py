"""Sync decisions (functional core): from the journal, one complete listing and the cycle, decide what each side
takes from the other.

`decide` never touches the store or Miro. It returns a merged copy of the cycle (save it as it is), the board
patches to send, and what to report and journal. A journal entry's `synced["fields"]` is the merge base; an item
generated before any sync has none, so its base is read from the `data`/`position` recorded at creation.
"""

from __future__ import annotations

from addon.domain.board.roles import Role
from addon.domain.sync import captures, cards, items, labels
from addon.domain.sync.context import CREATED, DETACHED, MISSING, Context, SyncDecision, SyncInput
from addon.domain.sync.merge import Missing

__all__ = ["SyncDecision", "SyncInput", "decide"]

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
        handler = HANDLERS.get(entry.role)
        if handler is not None:
            handler(ctx, entry, ctx.items[entry.miro_item_id])
    for item_id, item in ctx.items.items():
        if item_id not in known_ids:
            captures.new_item(ctx, item)
    labels.refresh(ctx)  # after every handler: the merged cycle has the titles the board now shows
    return ctx.decision
