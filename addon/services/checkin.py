"""Record a check-in: sync the board, snapshot every key result, then fill the board's check-in log."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date

from addon.adapters.board_layouts import load_layout
from addon.domain.board.layout import plan_board
from addon.domain.board.roles import Role
from addon.domain.method import checkins
from addon.domain.method.closing import ensure_open
from addon.domain.method.model import CheckIn, Cycle, CycleStatus, KRSnapshot, OkrError
from addon.domain.method.scoring import kr_score
from addon.services.checkin_picture import save_checkin_picture
from addon.services.locked import changing_cycle
from addon.services.ports import BoardError, BoardGateway, Store
from addon.services.sync_board import SyncResult, sync_cycle


class CheckinRefused(OkrError):
    """The cycle cannot take a check-in now (not tracking, or all six are recorded)."""


@dataclass
class CheckinResult:
    """What recording a check-in did."""

    number: int
    on: date
    due: date | None
    snapshots: list[KRSnapshot]
    sync: SyncResult | None = None
    log_cells: int = 0
    log_error: str | None = None
    picture_bytes: int = 0
    picture_error: str | None = None
    amended: bool = False
    usage: dict = field(default_factory=dict)

    @property
    def late(self) -> bool:
        """Whether the check-in was recorded after its planned date (rule M8)."""
        return self.due is not None and self.on > self.due


def _snapshots(cycle: Cycle) -> list[KRSnapshot]:
    """Snapshot every key result as it stands, with the comment left for this check-in (then cleared)."""
    snapshots = []
    for ref, (_, kr) in cycle.key_results_by_ref().items():
        snapshots.append(
            KRSnapshot(
                ref=ref,
                value=kr.current,
                score=round(kr_score(kr), 4),
                status=kr.status,
                confidence=kr.confidence,
                comment=kr.comment or "",
            )
        )
        kr.comment = None
    return snapshots


def record_checkin(
    store: Store,
    tenant: str,
    cycle_ref: str,
    gateway: BoardGateway,
    *,
    on: date,
    note: str | None = "",
    sync: bool = True,
    explicit_date: bool = True,
    amend: int | None = None,
) -> CheckinResult:
    """Sync (unless told not to), record the next check-in (or correct check-in `amend`), and write its scores
    into the board's log. The date is checked before anything is read or written."""
    with store.unit(tenant) as uow:
        first = uow.cycles.find(cycle_ref)
        ensure_open(first)
        if first.status is CycleStatus.TRACKING:  # otherwise sync says what is missing (a board), then _check
            _check(first, on, explicit_date, amend)
    synced = sync_cycle(store, tenant, cycle_ref, gateway) if sync else None
    with changing_cycle(store, tenant, cycle_ref) as (uow, cycle):
        ensure_open(cycle)
        _check(cycle, on, explicit_date, amend)
        snapshots = _snapshots(cycle)
        if amend is None:
            number = len(cycle.checkins) + 1
            cycle.checkins.append(CheckIn(number=number, on=on, snapshots=snapshots, note=note or ""))
        else:
            number = amend
            on = checkins.amend(cycle, amend, snapshots, on=on if explicit_date else None, note=note).on
        uow.cycles.save(cycle)
        parent = uow.cycles.get(cycle.parent_id) if cycle.parent_id else None
        board = uow.boards.latest_board(cycle.id)
        entries = uow.boards.entries(board.id) if board else {}
    result = CheckinResult(number=number, on=on, due=cycle.checkin_dates[number - 1], snapshots=snapshots, sync=synced)
    result.amended = amend is not None
    if board is not None:
        try:
            result.log_cells = _fill_log(store, tenant, gateway, cycle, parent, board, entries)
        except BoardError as error:
            # The check-in is recorded either way; the next check-in writes the cells this one could not.
            result.log_error = str(error)
        try:
            result.picture_bytes = save_checkin_picture(store, tenant, gateway, cycle, board, number)
        except BoardError as error:
            # A report without this picture still has every number; the time-lapse skips this check-in.
            result.picture_error = str(error)
    result.usage = gateway.usage()
    return result


def _check(cycle: Cycle, on: date, explicit_date: bool, amend: int | None) -> None:
    if cycle.status is not CycleStatus.TRACKING:
        raise CheckinRefused(f"{cycle.name} is not being tracked: run `okrboard track` first.")
    if amend is not None:
        checkins.amend(deepcopy(cycle), amend, [], on=on if explicit_date else None, note=None)  # only checks
        return
    if len(cycle.checkins) >= len(cycle.checkin_dates):
        raise CheckinRefused(
            f"All {len(cycle.checkin_dates)} check-ins of {cycle.name} are recorded; correct one with --amend N."
        )
    checkins.check_new_date(cycle, on, explicit=explicit_date)


def _fill_log(store, tenant, gateway, cycle, parent, board, entries) -> int:
    """Write every recorded check-in's scores and band colours into the log cells that do not show them yet.

    A log cell that a failed earlier run could not write is written by the next check-in, so the board's log
    always catches up with the store.
    """
    plan = plan_board(cycle, load_layout(), language=board.language, parent=parent)
    recorded = {checkin.number for checkin in cycle.checkins}
    written = 0
    headers = [item for item in plan.by_role(Role.LOG_HEADER) if item.key.startswith("log:checkin:")]
    for cell in [*headers, *plan.by_role(Role.LOG_CELL)]:
        entry = entries.get(cell.key)
        if int(cell.key.rsplit(":", 1)[1]) not in recorded or entry is None or entry.miro_item_id is None:
            continue
        if entry.synced.get("data", {}).get("content") == cell.data.get("content"):
            continue  # the board shows it already
        updated = gateway.update_item(
            board.miro_board_id,
            "shape",
            entry.miro_item_id,
            data=cell.data,
            style={"fillColor": cell.style["fillColor"]} if "fillColor" in cell.style else None,
        )
        with store.unit(tenant) as uow:
            uow.boards.update_synced(board.id, cell.key, updated.base_state(), updated.modified_at)
        written += 1
    return written
