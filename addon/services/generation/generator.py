"""Generate a cycle's workshop board: journaled, pipelined and concurrent, resumable after any failure.

Every planned item is journaled before it is sent (`sent`: from then on it may exist on the board) and gets its
Miro id once Miro confirms it (`created`). A round sends what is missing as one pipeline on a bounded pool:
frames one request each, and the children of every frame, packed in bulk calls of 20, as soon as that frame
exists. The next round first adopts items whose answer was lost, by listing the board and matching
(type, parent, position as sent), then sends the rest again. Running generation again resumes the same way.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from addon.adapters.board_journal import CREATED, SENT
from addon.adapters.board_layouts import load_layout
from addon.adapters.miro_gateway import MiroGateway, Placement, create_body, relative_position
from addon.adapters.store import Store
from addon.domain.board.layout import BoardPlan, PlannedItem, plan_board
from addon.domain.method.rules import check_cycle
from addon.domain.sync.cards import member_for
from addon.services.generation.round import (
    GenerationError,
    _journal_rows,
    _Round,
    _worth_another_round,
    synced_state,
)
from miro_client import MiroCreateOutcomeUnknown, MiroError

MAX_ROUNDS = 8
BOARD_ATTEMPTS = 3  # board creations tried when Miro's answer is lost and the board is not there
BOARD_LOOKUPS = 3  # listings of the user's boards to find one whose creation was not confirmed
BOARD_MARKER = "okrboard:{tenant}:{cycle}"
DESCRIPTION_LIMIT = 300  # Miro's limit on a board description
# A listed item stands on a planned spot when it is this close (board units) to the position that was sent:
# Miro may return floats that differ in the last digits, and planned items are far more apart than this.
POSITION_TOLERANCE = 1.0
Progress = Callable[[int, int], None]


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


@dataclass(frozen=True)
class _Board:
    row_id: int
    miro_id: str
    view_link: str | None


class BoardGenerator:
    """Runs one generation of a cycle's board against Miro through the gateway."""

    def __init__(
        self,
        store: Store,
        tenant: str,
        gateway: MiroGateway,
        *,
        progress: Progress | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.store, self.tenant, self.gateway = store, tenant, gateway
        self.progress = progress or (lambda done, total: None)
        self.clock = clock
        self.concurrency = max(1, getattr(gateway, "concurrency", 4))

    def run(
        self, cycle_ref: str, *, board: str | None = None, language: str | None = None, matrices: str = "per_kr"
    ) -> GenerationSummary:
        """Generate (or resume) the board of a cycle; `board` is None (the cycle's board, else a new one),
        "new", or a Miro board id."""
        started = self.clock()
        with self.store.unit(self.tenant) as uow:
            cycle = uow.cycles.find(cycle_ref)
            parent = uow.cycles.get(cycle.parent_id) if cycle.parent_id else None
        language = language or cycle.language
        self._cycle, self._assignees = cycle, None
        try:
            with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="okr-generate") as pool:
                target = self._known_board(cycle, board, language)
                # A new board is created while the plan is computed: the plan does not need the board.
                creating = pool.submit(self._new_board, cycle) if target is None else None
                try:
                    plan = plan_board(
                        cycle,
                        load_layout(),
                        language=language,
                        parent=parent,
                        findings=check_cycle(cycle, parent=parent),
                        matrices=matrices,
                    )
                finally:
                    if creating is not None:  # recorded even if planning failed, so no board is left behind
                        created = creating.result()
                        target = self._record_board(cycle, created, language)
                        self._assignees = self._creator_assignees(created)
                with self.store.unit(self.tenant) as uow:
                    uow.boards.plan(target.row_id, _journal_rows(i for i in plan.items if i.parent_key is None))
                summary = GenerationSummary(
                    board_id=target.miro_id, view_link=target.view_link, planned=len(plan.items)
                )
                self._items = {item.key: item for item in plan.items}
                self._create_all(pool, plan, target, summary)
        except MiroError as error:
            advice = "run generate again to resume" if _worth_another_round(error) else "nothing more was sent"
            raise GenerationError(f"Miro failed: {error}; {advice}") from error
        summary.seconds = self.clock() - started
        summary.usage = self.gateway.usage()
        return summary

    # -- the board -------------------------------------------------------------------------------------------

    def _known_board(self, cycle, board: str | None, language: str) -> _Board | None:
        """Return the board to resume or the given Miro board, or None when a new one is needed."""
        with self.store.unit(self.tenant) as uow:
            if board not in (None, "new"):
                row = uow.boards.board(cycle.id, board)
                if row is None:
                    found = self.gateway.client.get_board(board)
                    row = uow.boards.add_board(cycle.id, board, found.get("viewLink"), language)
                return _Board(row.id, row.miro_board_id, row.view_link)
            row = uow.boards.latest_board(cycle.id) if board is None else None
            return _Board(row.id, row.miro_board_id, row.view_link) if row is not None else None

    def _new_board(self, cycle) -> dict:
        """Create the board; when Miro's answer is lost, find it by the unique marker in its description."""
        for _attempt in range(BOARD_ATTEMPTS):
            marker = BOARD_MARKER.format(tenant=self.tenant, cycle=cycle.id) + f":{time.time_ns()}"
            # The marker must survive the description limit, or a lost answer would leave an unfindable board.
            about = f"OKR board of {cycle.name} ({cycle.start} to {cycle.end})."[: DESCRIPTION_LIMIT - len(marker) - 1]
            try:
                return self.gateway.create_board(cycle.name, f"{about} {marker}")
            except MiroCreateOutcomeUnknown:
                found = self._find_board(marker)
            if found is not None:
                return found
            # A complete listing without it: that attempt created nothing, so another one is safe.
        raise GenerationError("Miro did not confirm the new board and it cannot be found; run generate again")

    def _find_board(self, marker: str) -> dict | None:
        """List the user's boards for the marker, a few times if listing fails (it must not be guessed)."""
        for lookup in range(1, BOARD_LOOKUPS + 1):
            try:
                return self.gateway.find_board(marker)
            except MiroError:
                if lookup == BOARD_LOOKUPS:
                    raise
        return None

    def _record_board(self, cycle, created: dict, language: str) -> _Board:
        with self.store.unit(self.tenant) as uow:
            row = uow.boards.add_board(cycle.id, created["id"], created.get("viewLink"), language)
            return _Board(row.id, row.miro_board_id, row.view_link)

    def _assignees_among(self, members: dict[str, str]) -> dict[str, str]:
        """Map key-result refs to the member (user id -> name) the owner names: full name, or unique first name."""
        found = {ref: member_for(members, kr.owner) for ref, (_, kr) in self._cycle.key_results_by_ref().items()}
        return {ref: member_id for ref, member_id in found.items() if member_id}

    def _creator_assignees(self, created: dict) -> dict[str, str] | None:
        """A board just created has one member, its creator, named in Miro's answer: no member list needed."""
        me = created.get("currentUserMembership") or {}
        if not me.get("id"):
            return None  # e.g. a board found after a lost answer, listed without it: look members up
        return self._assignees_among({str(me["id"]): me.get("name") or ""})

    def _member_assignees(self, board_id: str) -> dict[str, str]:
        """Look up the board's members for card assignees (cards carry assigneeId)."""
        if not any(kr.owner for _, kr in self._cycle.key_results_by_ref().values()):
            return {}
        try:
            return self._assignees_among(self.gateway.member_names(board_id))
        except MiroError:
            return {}  # assignees are a convenience; owners stay in the card text

    # -- rounds ----------------------------------------------------------------------------------------------

    def _create_all(self, pool: ThreadPoolExecutor, plan: BoardPlan, board: _Board, summary: GenerationSummary) -> None:
        # Children are journaled while the first frames are on their way (none can go before its frame).
        unjournaled = [item for item in plan.items if item.parent_key is not None]
        for round_number in range(1, MAX_ROUNDS + 1):
            with self.store.unit(self.tenant) as uow:
                entries = uow.boards.entries(board.row_id)
            pending = [item for item in plan.items if item.key not in entries or entries[item.key].state != CREATED]
            if round_number == 1:
                summary.already_there = len(plan.items) - len(pending)
                self._done, self._total = summary.already_there, len(plan.items)
                self.progress(self._done, self._total)
            if not pending:
                return
            summary.rounds += 1
            maybe_there = {item.key for item in pending if item.key in entries and entries[item.key].state == SENT}
            if maybe_there:
                try:
                    adopted = self._adopt(pending, entries, board)
                except MiroError:
                    # Without the board's items, sending a maybe-created item again could duplicate it: those
                    # wait for the next round; everything never sent goes now.
                    pending = [item for item in pending if item.key not in maybe_there]
                else:
                    summary.adopted += len(adopted)
                    self._advance(len(adopted))
                    entries = {
                        **entries,
                        **{
                            key: replace(entries[key], state=CREATED, miro_item_id=miro_id)
                            for key, miro_id in adopted.items()
                        },
                    }
                    pending = [item for item in pending if item.key not in adopted]
            summary.created += _Round(self, pool, board, pending, entries).run(unjournaled)
            unjournaled = []
        raise GenerationError(f"items still missing after {MAX_ROUNDS} rounds; run generate again to resume")

    def _advance(self, count: int) -> None:
        self._done += count
        self.progress(self._done, self._total)

    def _body(self, item: PlannedItem, ids: dict[str, str]) -> dict:
        """Return the create body of an item, its parent frame given by Miro id (from `ids`)."""
        if item.parent_key is None:
            placement = Placement(None, item.x, item.y)
        else:
            frame = self._items[item.parent_key]
            x, y = relative_position(item.x, item.y, (frame.x, frame.y, frame.width, frame.height))
            placement = Placement(ids.get(item.parent_key), x, y)
        body = create_body(item, placement)
        if item.role == "kr_card" and item.entity in (self._assignees or {}):
            body["data"] = {**body["data"], "assigneeId": self._assignees[item.entity]}
        return body

    def _send_frame(self, board_id: str, bodies: list[dict]) -> list[dict | BaseException]:
        """Create one frame (frames are not bulk-created); return its outcome as a one-item list."""
        try:
            return [self.gateway.create_one(board_id, bodies[0])]
        except MiroError as error:
            return [error]

    def _adopt(self, pending: list[PlannedItem], entries, board: _Board) -> dict[str, str]:
        """Match items that may exist (sent, answer lost) against the board's items; record and return them."""
        ids = {key: entry.miro_item_id for key, entry in entries.items() if entry.state == CREATED}
        maybe = [item for item in pending if item.key in entries and entries[item.key].state == SENT]
        taken = set(ids.values())
        found = [item for item in self.gateway.iter_items(board.miro_id) if item["id"] not in taken]
        adopted = {}
        # Frames first: a child is matched under its frame's Miro id, which may be adopted just now.
        for items in ([i for i in maybe if i.parent_key is None], [i for i in maybe if i.parent_key is not None]):
            spots: dict[tuple, list[tuple[float, float, str]]] = defaultdict(list)  # (type, parent id) -> spots
            for item in items:
                if item.parent_key is None or item.parent_key in ids:
                    body = self._body(item, ids)  # the position as it was sent, which is what Miro keeps
                    spots[(item.type, (body.get("parent") or {}).get("id"))].append(
                        (body["position"]["x"], body["position"]["y"], item.key)
                    )
            for candidate in found:
                if candidate["id"] in taken:
                    continue
                key = self._claim(candidate, spots)
                if key is not None:
                    adopted[key] = (candidate["id"], synced_state(candidate), candidate.get("modifiedAt"))
                    ids[key] = candidate["id"]
                    taken.add(candidate["id"])
        with self.store.unit(self.tenant) as uow:
            uow.boards.record_created(board.row_id, adopted)
        return {key: value[0] for key, value in adopted.items()}

    def _claim(self, candidate: dict, spots: dict[tuple, list[tuple[float, float, str]]]) -> str | None:
        """Take the planned spot a listed item stands on (same type and parent, within POSITION_TOLERANCE) and
        return its key, or None."""
        group = spots.get((candidate["type"], (candidate.get("parent") or {}).get("id"))) or []
        position = candidate.get("position") or {}
        x, y = float(position.get("x", 0)), float(position.get("y", 0))
        near = [
            spot for spot in group if abs(spot[0] - x) <= POSITION_TOLERANCE and abs(spot[1] - y) <= POSITION_TOLERANCE
        ]
        if not near:
            return None
        # Items planned on one spot (ideas with equal scores) are told apart by their data when it matches.
        spot = next(
            (s for s in near if self._items[s[2]].data == candidate.get("data")),
            min(near, key=lambda s: abs(s[0] - x) + abs(s[1] - y)),
        )
        group.remove(spot)
        return spot[2]
