"""Adoption: items whose creation may have happened (sent, answer lost, process killed) are found on the board by
listing it and matching (type, parent frame, position as sent) before anything is sent again."""

from __future__ import annotations

from collections import defaultdict

from addon.domain.board.items import ListedItem
from addon.domain.board.layout import PlannedItem
from addon.domain.board.roles import JournalState
from addon.domain.sync.context import JournalEntry
from addon.services.generation.job import Job

# A listed item stands on a planned spot when it is this close (board units) to the position that was sent:
# Miro may return floats that differ in the last digits, and planned items are far more apart than this.
POSITION_TOLERANCE = 1.0
Spots = dict[tuple, list[tuple[float, float, str]]]  # (type, parent id) -> (x, y, key) as sent


def adopt(job: Job, pending: list[PlannedItem], entries: dict[str, JournalEntry]) -> dict[str, str]:
    """Match items that may exist against the board's items; record them as created and return key -> Miro id."""
    ids = {key: entry.miro_item_id for key, entry in entries.items() if entry.state == JournalState.CREATED}
    maybe = [item for item in pending if item.key in entries and entries[item.key].state == JournalState.SENT]
    taken = set(ids.values())
    found = [item for item in job.gateway.iter_items(job.board.miro_id) if item.id not in taken]
    adopted = {}
    # Frames first: a child is matched under its frame's Miro id, which may be adopted just now.
    for items in ([i for i in maybe if i.parent_key is None], [i for i in maybe if i.parent_key is not None]):
        spots: Spots = defaultdict(list)
        for item in items:
            if item.parent_key is None or item.parent_key in ids:
                sent = job.new_item(item, ids)  # the position as it was sent, which is what Miro keeps
                spots[(sent.type, sent.parent_id)].append((sent.x, sent.y, item.key))
        for candidate in found:
            if candidate.id in taken:
                continue
            key = _claim(job, candidate, spots)
            if key is not None:
                adopted[key] = (candidate.id, candidate.base_state(), candidate.modified_at)
                ids[key] = candidate.id
                taken.add(candidate.id)
    with job.store.unit(job.tenant) as uow:
        uow.boards.record_created(job.board.row_id, adopted)
    return {key: value[0] for key, value in adopted.items()}


def _claim(job: Job, candidate: ListedItem, spots: Spots) -> str | None:
    """Take the planned spot a listed item stands on (same type and parent, within POSITION_TOLERANCE) and
    return its key, or None."""
    group = spots.get((candidate.type, candidate.parent_id)) or []
    x, y = candidate.x or 0.0, candidate.y or 0.0
    near = [s for s in group if abs(s[0] - x) <= POSITION_TOLERANCE and abs(s[1] - y) <= POSITION_TOLERANCE]
    if not near:
        return None
    # Items planned on one spot (ideas with equal scores) are told apart by their data when it matches.
    spot = next(
        (s for s in near if job.items[s[2]].data == dict(candidate.data)),
        min(near, key=lambda s: abs(s[0] - x) + abs(s[1] - y)),
    )
    group.remove(spot)
    return spot[2]
