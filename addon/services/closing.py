"""Close a cycle (a last sync, final scores and verdicts on the board's header, then read-only) and start the
next one from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from addon.adapters.board_layouts import load_layout
from addon.domain.board import card_text
from addon.domain.board.layout import plan_board
from addon.domain.method.closing import Closing, close, ensure_open, next_cycle
from addon.domain.method.model import Cycle
from addon.services.locked import changing_cycle
from addon.services.ports import BoardError, BoardGateway, Store
from addon.services.report_text import decimal, text
from addon.services.sync_board import SyncResult, sync_cycle


@dataclass
class CloseResult:
    """What closing a cycle did."""

    cycle: Cycle
    closing: Closing
    sync: SyncResult | None = None
    header_written: bool = False
    header_error: str | None = None


def closing_line(cycle: Cycle) -> str:
    """Return the line the board's header shows once the cycle is closed, in the cycle's language."""
    lang = cycle.language
    parts = [
        f"{s.ref} {decimal(s.score, lang)} {text('verdict_' + s.verdict.replace(' ', '_'), lang)}"
        for s in cycle.closing.scores
        if s.score is not None
    ]
    return text("closed_line", lang, date=cycle.closing.on.isoformat(), scores=" · ".join(parts))


def close_cycle(
    store: Store, tenant: str, cycle_ref: str, gateway: BoardGateway | None, *, on: date, sync: bool = True
) -> CloseResult:
    """Sync a last time (unless told not to), record the final scores and make the cycle read-only; then write
    the verdicts on the board's header."""
    with store.unit(tenant) as uow:
        ensure_open(uow.cycles.find(cycle_ref))  # before the sync: a closed cycle's board is not read again
    synced = sync_cycle(store, tenant, cycle_ref, gateway) if sync else None
    with changing_cycle(store, tenant, cycle_ref) as (uow, cycle):
        closing = close(cycle, on)
        uow.cycles.save(cycle)
        parent = uow.cycles.get(cycle.parent_id) if cycle.parent_id else None
        board = uow.boards.latest_board(cycle.id)
        entry = uow.boards.entries(board.id).get("header:meta") if board else None
    result = CloseResult(cycle=cycle, closing=closing, sync=synced)
    if gateway is None or board is None or entry is None or entry.miro_item_id is None:
        return result
    plan = plan_board(cycle, load_layout(), language=board.language, parent=parent)
    meta = plan.item("header:meta").data.get("content", "")
    content = meta + card_text.html_lines([closing_line(cycle)])
    try:
        updated = gateway.update_item(board.miro_board_id, "shape", entry.miro_item_id, data={"content": content})
    except BoardError as error:
        result.header_error = str(error)  # the cycle is closed either way; its report carries the verdicts
        return result
    with store.unit(tenant) as uow:
        uow.boards.update_synced(board.id, "header:meta", updated.base_state(), updated.modified_at)
    result.header_written = True
    return result


@dataclass
class NextCycleResult:
    """The next cycle, stored as a draft, and the retrospective's carry-over notes of the one before."""

    cycle: Cycle
    carried_key_results: int
    carry_over_notes: list[str] = field(default_factory=list)
    # Each carry-over note and the next cycle's key result it became a draft idea of (None: no key result to hold it)
    note_ideas: list[tuple[str, str | None]] = field(default_factory=list)


def start_next_cycle(
    store: Store, tenant: str, cycle_ref: str, *, start: date, weeks: int, keep: list[str], name: str | None = None
) -> NextCycleResult:
    """Store the draft of the cycle after a closed one (see `domain.method.closing.next_cycle`)."""
    from addon.domain.errors import OkrError
    from addon.domain.method.messages import say
    from addon.domain.method.model import CycleStatus

    with store.unit(tenant) as uow:
        closed = uow.cycles.find(cycle_ref)
        if closed.status is not CycleStatus.CLOSED:
            raise OkrError(say("next.not_closed", closed.language, name=closed.name, cycle=closed.id))
        follow, notes = next_cycle(closed, start=start, weeks=weeks, keep=keep, name=name)
        uow.cycles.add(follow)
    carried = sum(len(o.key_results) for o in follow.objectives)
    texts = [note for note, _ in notes]
    return NextCycleResult(cycle=follow, carried_key_results=carried, carry_over_notes=texts, note_ideas=notes)
