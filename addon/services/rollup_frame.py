"""The roll-up frame on a company cycle's board: planned with the board at generation, refreshed after each sync
of the company cycle (a PATCH only when a panel's text changed), journaled like every item the app writes."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from addon.adapters.board_layouts import load_layout
from addon.domain.board.layout import BoardPlan
from addon.domain.board.roles import JournalState
from addon.domain.board.rollup import PANEL_KEYS, panel_contents, with_rollup
from addon.domain.method.model import Cycle, Level
from addon.services.ports import BoardError, BoardGateway, BoardRecord, Store, StoreReads, UnitOfWork
from addon.services.rollup import team_cycles

WRITTEN = "written"  # the journal's note of the text the app last wrote in a panel (Miro may reformat it)
STAMP = "rollup_stamp"  # ... and of the cycles' revisions that text was drawn from


@lru_cache(maxsize=1)
def _template() -> dict:
    return load_layout()


def plan_with_rollup(store: Store, tenant: str, cycle: Cycle, plan: BoardPlan, language: str) -> BoardPlan:
    """Return the board plan with a company cycle's roll-up frame added (any other cycle's plan as it is)."""
    if cycle.level is not Level.COMPANY:
        return plan
    with store.unit(tenant) as uow:
        teams = team_cycles(uow, cycle)
    return with_rollup(plan, cycle, teams, _template(), language)


def _stamp(uow: UnitOfWork | StoreReads, cycle_id: int) -> str:
    """What the panels are drawn from, in two small reads: the company cycle's and its team cycles' revisions."""
    company = uow.cycles.summary(str(cycle_id))
    return f"{company.revision};" + ",".join(f"{team.id}.{team.revision}" for team in uow.cycles.children(cycle_id))


def refresh_rollup(
    store: Store,
    tenant: str,
    gateway: BoardGateway,
    board: BoardRecord,
    result,
    *,
    before_write: Callable[[], None] = lambda: None,
) -> None:
    """Rewrite the roll-up panels of a company board whose team cycles changed; note patches and failures on
    the sync's `result` (its `patches` and `findings`). Another cycle's board costs one small read; a company
    board whose cycles are unchanged since the last refresh, three: nothing is loaded, compared or written.
    `before_write` runs before each PATCH (the sync's lease heartbeat: a sync that lost its lease stops)."""
    if not result.complete:
        return  # a sync that could not read the board changes nothing at all, on the board or in the store
    with store.reader(tenant) as view:  # plain reads: an unchanged board's sync never loads the ORM
        panels = view.boards.entries(board.id, PANEL_KEYS)  # two rows, not the whole journal
        if not panels:
            return  # not a company board, or one generated before roll-up frames existed
        stamp = _stamp(view, board.cycle_id)
        if all(entry.synced.get(STAMP) == stamp for entry in panels.values()):
            return
    with store.unit(tenant) as uow:
        company = uow.cycles.get(board.cycle_id)
        teams = team_cycles(uow, company)
    contents = panel_contents(company, teams, _template(), board.language)
    for key, entry in sorted(panels.items(), key=lambda pair: PANEL_KEYS.index(pair[0])):
        if entry.state != JournalState.CREATED or not entry.miro_item_id:
            continue  # not on the board (yet, or any more): generation or the team decides
        synced, modified_at = entry.synced, entry.modified_at
        if synced.get(WRITTEN, synced.get("data", {}).get("content")) != contents[key]:
            before_write()
            try:
                answer = gateway.update_item(
                    board.miro_board_id, "shape", entry.miro_item_id, data={"content": contents[key]}
                )
            except BoardError as error:
                message = f"The team cycles' roll-up could not be updated ({error}); the next sync tries again."
                result.findings.append({"kind": "patch_failed", "key": key, "ref": None, "message": message})
                continue
            synced, modified_at = {**answer.base_state(), WRITTEN: contents[key]}, answer.modified_at
            result.patches.append({"key": key, "ref": None, "reason": "rollup", "data": ["content"], "moved": False})
        with store.unit(tenant) as uow:  # our own write: the next sync sees the modifiedAt it left
            uow.boards.update_synced(board.id, key, {**synced, STAMP: stamp}, modified_at)
