"""Start tracking a cycle: refuse while the method's blocking rules fail, else move key-result cards to the Kanban."""

from __future__ import annotations

from dataclasses import dataclass

from addon.adapters.board_layouts import load_layout
from addon.domain.board.items import relative_position
from addon.domain.board.layout import plan_board
from addon.domain.board.roles import Role, spec, stands_for_key_result
from addon.domain.method.closing import ensure_open
from addon.domain.method.model import CycleStatus, KRStatus, OkrError
from addon.domain.method.rules import Finding, Severity, check_cycle
from addon.services.ports import BoardGateway, Store

# Rules whose errors block tracking: a broken period, objectives without owner/type/key results,
# key results that are not measurable or have no owner/deadline.
BLOCKING_RULES = {"M1", "M4", "M5", "M6", "M7"}


class TrackingRefused(OkrError):
    """The cycle is not ready to be tracked; `findings` says why."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


@dataclass
class TrackSummary:
    """What starting to track did."""

    board_id: str
    moved: int
    usage: dict
    already_tracking: bool = False  # the cycle was tracking before this run


def start_tracking(store: Store, tenant: str, cycle_ref: str, gateway: BoardGateway) -> TrackSummary:
    """Move every key-result card from its objective frame into the Kanban's first column."""
    with store.unit(tenant) as uow:
        cycle = uow.cycles.find(cycle_ref)
        parent = uow.cycles.get(cycle.parent_id) if cycle.parent_id else None
        board = uow.boards.latest_board(cycle.id)
        entries = uow.boards.entries(board.id) if board else {}
    ensure_open(cycle)
    blocking = [
        f for f in check_cycle(cycle, parent=parent) if f.severity is Severity.ERROR and f.rule in BLOCKING_RULES
    ]
    if blocking:
        raise TrackingRefused("The cycle is not ready to track: fix these first.", blocking)
    if board is None:
        raise TrackingRefused("The cycle has no board yet: run `okrboard generate` first.")
    already_tracking = cycle.status is CycleStatus.TRACKING

    for _, kr in cycle.key_results_by_ref().values():
        if kr.status is KRStatus.DRAFT:
            kr.status = KRStatus.NOT_STARTED
    cycle.status = CycleStatus.TRACKING
    plan = plan_board(cycle, load_layout(), language=board.language, parent=parent)
    kanban = plan.item("frame:kanban")
    kanban_id = entries[kanban.key].miro_item_id
    # A key result's item is the card the app planned, or the card or sticky the team wrote it on (captured).
    by_entity = {e.entity: e for e in entries.values() if stands_for_key_result(e.role) and e.miro_item_id}
    moved = {}
    for card in plan.by_role(Role.KR_CARD):
        entry = entries.get(card.key)
        if entry is None or not stands_for_key_result(entry.role) or entry.miro_item_id is None:
            entry = by_entity.get(card.entity)
        if entry is None:
            raise TrackingRefused(f"The card of {card.entity} is not on the board: run `okrboard generate` again.")
        x, y = relative_position(card.x, card.y, (kanban.x, kanban.y, kanban.width, kanban.height))
        if entry.synced.get("parent") == kanban_id and entry.synced.get("position", {}).get("x") is not None:
            continue  # already in the Kanban (a resumed run)
        position = {"x": round(x, 2), "y": round(y, 2)}
        item_type = spec(entry.role).item_type  # a card, or the sticky the team wrote the key result on
        result = gateway.update_item(
            board.miro_board_id, item_type, entry.miro_item_id, position=position, parent_id=kanban_id
        )
        moved[entry.key] = result
        with store.unit(tenant) as uow:
            uow.boards.update_synced(board.id, entry.key, result.base_state(), result.modified_at)
    if not already_tracking:
        with store.unit(tenant) as uow:
            uow.cycles.save(cycle)
    return TrackSummary(
        board_id=board.miro_board_id, moved=len(moved), usage=gateway.usage(), already_tracking=already_tracking
    )
