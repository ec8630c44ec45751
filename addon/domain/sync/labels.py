"""Labels that show a key result's or objective's title: a matrix frame's title and a log row.

The app owns these labels (the team does not edit them), so sync rewrites any that no longer read as the
merged cycle says, e.g. after `kr replace` or a title edited on the card: the card, the matrix title and the
log row then all show the same title.
"""

from __future__ import annotations

from addon.domain.board.card_text import plain_text
from addon.domain.board.roles import Role
from addon.domain.sync.context import CREATED, Context, JournalEntry, Settle
from addon.domain.sync.merge import BoardPatch

# role -> the data field that carries the label's words
LABEL_FIELDS = {Role.MATRIX_FRAME: "title", Role.LOG_HEADER: "content"}


def refresh(ctx: Context) -> None:
    """Plan a patch for every title label on the board whose words differ from the merged cycle's plan."""
    # The stored cycle's plan is at hand; the merged cycle's is planned only when this sync changed a title or
    # added a key result or objective.
    retitled = ctx.decision.captures or any(change.field == "title" for change in ctx.decision.changes)
    planned = {item.key: item for item in (ctx.merged_plan if retitled else ctx.inp.plan).items}
    for entry in ctx.inp.entries.values():
        if entry.role not in LABEL_FIELDS or entry.state != CREATED or entry.miro_item_id not in ctx.items:
            continue
        if entry.role == Role.LOG_HEADER and not entry.key.startswith("log:row:"):
            continue  # the corner and the check-in headers show no title
        want = planned.get(entry.key)
        if want is not None:
            _patch_if_stale(ctx, entry, LABEL_FIELDS[entry.role], want.data[LABEL_FIELDS[entry.role]])


def _patch_if_stale(ctx: Context, entry: JournalEntry, name: str, wanted: str) -> None:
    item = ctx.items[entry.miro_item_id]
    if plain_text(item.data.get(name)) == plain_text(wanted):
        return
    ctx.decision.patches.append(BoardPatch(entry.key, entry.entity, item.id, item.type, "label", {name: wanted}))
    ctx.decision.settled[entry.key] = Settle("label", None, {name: plain_text(wanted)})
