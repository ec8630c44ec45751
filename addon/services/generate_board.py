"""Generate a cycle's workshop board: journaled, bulk and concurrent, resumable after any failure."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from miro_client import MiroBulkCreateError, MiroCreateOutcomeUnknown, MiroError
from miro_client.errors import MiroAPIError, MiroTransportError, RateLimited, ServerError

from addon.adapters.board_journal import CREATED, SENT
from addon.adapters.board_template import load_template
from addon.adapters.miro_gateway import MiroGateway, Placement, create_body, relative_position
from addon.adapters.store import Store
from addon.domain.layout import BoardPlan, PlannedItem, plan_board
from addon.domain.model import OkrError
from addon.domain.rules import check_cycle

BULK_SIZE = 20
MAX_ROUNDS = 8
BOARD_MARKER = "okrboard:{tenant}:{cycle}"
Progress = Callable[[int, int], None]


class GenerationError(OkrError):
    """Generation stopped; the journal keeps what was done, and running it again resumes."""


@dataclass
class GenerationSummary:
    """What a generation run did."""

    board_id: str
    view_link: str | None
    planned: int
    created: int = 0
    adopted: int = 0
    already_there: int = 0
    rounds: int = 0
    seconds: float = 0.0
    usage: dict = field(default_factory=dict)


def _signature(item_type: str, parent_id: str | None, x: float, y: float) -> tuple:
    return item_type, parent_id or None, round(x), round(y)


class BoardGenerator:
    """Runs one generation of a cycle's board against Miro through the gateway."""

    def __init__(self, store: Store, tenant: str, gateway: MiroGateway, *, progress: Progress | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.store, self.tenant, self.gateway = store, tenant, gateway
        self.progress = progress or (lambda done, total: None)
        self.clock = clock

    def run(self, cycle_ref: str, *, board: str | None = None, language: str | None = None,
            matrices: str = "per_kr") -> GenerationSummary:
        """Generate (or resume) the board of a cycle; `board` is None (the cycle's board, else a new one),
        "new", or a Miro board id."""
        started = self.clock()
        with self.store.unit(self.tenant) as uow:
            cycle = uow.cycles.find(cycle_ref)
            parent = uow.cycles.get(cycle.parent_id) if cycle.parent_id else None
        language = language or cycle.language
        template = load_template()
        plan = plan_board(cycle, template, language=language, parent=parent,
                          findings=check_cycle(cycle, parent=parent), matrices=matrices)
        board_row_id, board_id, view_link = self._board(cycle, board, language)
        with self.store.unit(self.tenant) as uow:
            uow.boards.plan(board_row_id, [(i.key, i.role, i.entity) for i in plan.items])
        summary = GenerationSummary(board_id=board_id, view_link=view_link, planned=len(plan.items))
        self._assignees = self._assignee_ids(cycle, board_id)
        self._create_all(plan, board_row_id, board_id, summary)
        summary.seconds = self.clock() - started
        summary.usage = self.gateway.usage()
        return summary

    def _board(self, cycle, board: str | None, language: str) -> tuple[int, str, str | None]:
        """Find or create the board record: resume the cycle's board unless told otherwise."""
        with self.store.unit(self.tenant) as uow:
            if board not in (None, "new"):
                row = uow.boards.board(cycle.id, board)
                if row is None:
                    found = self.gateway.client.get_board(board)
                    row = uow.boards.add_board(cycle.id, board, found.get("viewLink"), language)
                return row.id, row.miro_board_id, row.view_link
            row = uow.boards.latest_board(cycle.id) if board is None else None
            if row is not None:
                return row.id, row.miro_board_id, row.view_link
        marker = BOARD_MARKER.format(tenant=self.tenant, cycle=cycle.id) + f":{time.time_ns()}"
        description = f"OKR board of {cycle.name} ({cycle.start} to {cycle.end}). {marker}"
        try:
            created = self.gateway.create_board(cycle.name, description)
        except MiroCreateOutcomeUnknown:
            created = self.gateway.find_board(marker)
            if created is None:
                raise GenerationError("Miro did not confirm the new board and it cannot be found; "
                                      "run generate again") from None
        with self.store.unit(self.tenant) as uow:
            row = uow.boards.add_board(cycle.id, created["id"], created.get("viewLink"), language)
            return row.id, row.miro_board_id, row.view_link

    def _assignee_ids(self, cycle, board_id: str) -> dict[str, str]:
        """Map key-result refs to the board member whose name is the owner's (cards carry assigneeId)."""
        try:
            members = self.gateway.member_ids(board_id)
        except MiroError:
            return {}  # assignees are a convenience; owners stay in the card text
        return {ref: members[kr.owner.strip().lower()] for ref, (_, kr) in cycle.key_results_by_ref().items()
                if kr.owner and kr.owner.strip().lower() in members}

    def _create_all(self, plan: BoardPlan, board_row_id: int, board_id: str, summary: GenerationSummary) -> None:
        frames = [item for item in plan.items if item.type == "frame"]
        children = [item for item in plan.items if item.type != "frame"]
        done = 0
        for phase in (frames, children):
            for round_number in range(1, MAX_ROUNDS + 1):
                with self.store.unit(self.tenant) as uow:
                    entries = uow.boards.entries(board_row_id)
                pending = [item for item in phase if entries[item.key].state != CREATED]
                if round_number == 1:
                    summary.already_there += len(phase) - len(pending)
                    done += len(phase) - len(pending)
                    self.progress(done, len(plan.items))
                if not pending:
                    break
                summary.rounds += 1
                if any(entries[item.key].state == SENT for item in pending):
                    adopted = self._adopt(plan, pending, entries, board_row_id, board_id)
                    summary.adopted += adopted
                    done += adopted
                    self.progress(done, len(plan.items))
                    pending = [item for item in pending if item.key not in self._adopted_keys]
                created = self._send(plan, pending, entries, board_row_id, board_id, phase is frames)
                summary.created += created
                done += created
                self.progress(done, len(plan.items))
            else:
                raise GenerationError(f"items still missing after {MAX_ROUNDS} rounds; run generate again "
                                      "to resume")

    def _placement(self, plan: BoardPlan, item: PlannedItem, entries) -> Placement:
        if item.parent_key is None:
            return Placement(None, item.x, item.y)
        frame = plan.item(item.parent_key)
        x, y = relative_position(item.x, item.y, (frame.x, frame.y, frame.width, frame.height))
        return Placement(entries[item.parent_key].miro_item_id, x, y)

    def _body(self, plan: BoardPlan, item: PlannedItem, entries) -> dict:
        body = create_body(item, self._placement(plan, item, entries))
        if item.role == "kr_card" and item.entity in self._assignees:
            body["data"] = {**body["data"], "assigneeId": self._assignees[item.entity]}
        return body

    def _send(self, plan, pending, entries, board_row_id, board_id, one_by_one: bool) -> int:
        """Send pending items (journaled as sent first); record those Miro confirms."""
        with self.store.unit(self.tenant) as uow:
            uow.boards.mark_sent(board_row_id, [item.key for item in pending])
        bodies = [self._body(plan, item, entries) for item in pending]
        if one_by_one:
            outcomes = self.gateway.create_many(board_id, bodies)
        else:
            outcomes = self._bulk(board_id, bodies)
        created = {item.key: (result["id"], synced_state(result), result.get("modifiedAt"))
                   for item, result in zip(pending, outcomes, strict=True) if isinstance(result, dict)}
        with self.store.unit(self.tenant) as uow:
            uow.boards.record_created(board_row_id, created)
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        refused = [f for f in failures if not _worth_another_round(f)]
        if refused:
            raise GenerationError(f"Miro refused an item: {refused[0]}")
        return len(created)

    def _bulk(self, board_id: str, bodies: list[dict]) -> list[dict | BaseException]:
        try:
            return list(self.gateway.create_bulk(board_id, bodies))
        except MiroBulkCreateError as error:
            outcomes: list[dict | BaseException] = list(error.results)
            for start, stop, cause in error.failures:
                outcomes[start:stop] = [cause] * (stop - start)
            for start, stop in error.unsent:
                outcomes[start:stop] = [MiroTransportError("not sent", sent=False)] * (stop - start)
            return outcomes
        except MiroError as error:
            return [error] * len(bodies)

    def _adopt(self, plan, pending, entries, board_row_id, board_id) -> int:
        """Match items that may exist (sent, answer lost) against the board's items; record the matches."""
        wanted = {}
        for item in pending:
            if entries[item.key].state == SENT:
                placement = self._placement(plan, item, entries)
                wanted[_signature(item.type, placement.parent_id, placement.x, placement.y)] = item.key
        known_ids = {entry.miro_item_id for entry in entries.values() if entry.miro_item_id}
        adopted = {}
        for found in self.gateway.iter_items(board_id):
            if found["id"] in known_ids:
                continue
            position = found.get("position") or {}
            key = wanted.pop(_signature(found["type"], (found.get("parent") or {}).get("id"),
                                        position.get("x", 0), position.get("y", 0)), None)
            if key:
                adopted[key] = (found["id"], synced_state(found), found.get("modifiedAt"))
        with self.store.unit(self.tenant) as uow:
            uow.boards.record_created(board_row_id, adopted)
        self._adopted_keys = set(adopted)
        return len(adopted)


def _worth_another_round(error: BaseException) -> bool:
    """Transient failures (unknown outcome, 5xx, 429, network) are retried in the next round."""
    if isinstance(error, MiroAPIError):
        return isinstance(error, RateLimited | ServerError)
    return isinstance(error, MiroCreateOutcomeUnknown | MiroTransportError)


def synced_state(item: dict) -> dict:
    """Return the parts of a Miro item that sync compares against later (its base state)."""
    return {"data": item.get("data") or {}, "position": item.get("position") or {},
            "parent": (item.get("parent") or {}).get("id")}
