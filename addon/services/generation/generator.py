"""Generate a cycle's workshop board: journaled, pipelined and concurrent, resumable after any failure.

Every planned item is journaled before it is sent (`sent`: from then on it may exist on the board) and gets its
Miro id once Miro confirms it (`created`). A round sends what is missing as one pipeline on a bounded pool:
frames one request each, and the children of every frame, packed in bulk calls of 20, as soon as that frame
exists. The next round first adopts items whose answer was lost, by listing the board and matching
(type, parent, position as sent), then sends the rest again. Running generation again resumes the same way.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from addon.adapters.board_layouts import load_layout
from addon.domain.board.layout import BoardPlan, plan_board
from addon.domain.board.roles import JournalState
from addon.domain.method.closing import ensure_open
from addon.domain.method.model import Cycle
from addon.domain.method.rules import check_cycle
from addon.services.generation import board as boards
from addon.services.generation.adoption import adopt
from addon.services.generation.job import BoardTarget, GenerationError, Job, Progress, assignees_among
from addon.services.generation.round import GenerationRound, journal_rows
from addon.services.ports import BoardError, BoardGateway, BoardInfo, Store
from addon.services.rollup_frame import plan_with_rollup

__all__ = ["BoardGenerator", "GenerationError", "GenerationSummary"]
MAX_ROUNDS = 8


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
    previous_board: str | None = None  # the board the cycle synced with before this run moved it to a new one


class BoardGenerator:
    """Runs one generation of a cycle's board against Miro through the board gateway."""

    def __init__(
        self,
        store: Store,
        tenant: str,
        gateway: BoardGateway,
        *,
        progress: Progress | None = None,
        on_wait: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.store, self.tenant, self.gateway = store, tenant, gateway
        self.progress = progress or (lambda done, total: None)
        self.on_wait = on_wait or (lambda message: None)  # what to tell the user about waits for Miro's credits
        self.clock = clock
        self.concurrency = max(1, gateway.concurrency)

    def run(
        self, cycle_ref: str, *, board: str | None = None, language: str | None = None, matrices: str = "per_kr"
    ) -> GenerationSummary:
        """Generate (or resume) the board of a cycle; `board` is None (the cycle's board, else a new one),
        "new", or a Miro board id."""
        started = self.clock()
        with self.store.unit(self.tenant) as uow:
            cycle = uow.cycles.find(cycle_ref)
            parent = uow.cycles.get(cycle.parent_id) if cycle.parent_id else None
        ensure_open(cycle)
        self.gateway.on_wait(self._waiting)
        try:
            with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="okr-generate") as pool:
                before = boards.previous_board(self.store, self.tenant, cycle)
                target, language = boards.known_board(self.store, self.tenant, self.gateway, cycle, board, language)
                # A new board is created while the plan is computed: the plan does not need the board.
                creating = pool.submit(boards.new_board, self.gateway, self.tenant, cycle) if target is None else None
                assignees = None
                try:
                    findings = check_cycle(cycle, parent=parent)
                    plan = plan_board(
                        cycle, load_layout(), language=language, parent=parent, findings=findings, matrices=matrices
                    )
                    plan = plan_with_rollup(self.store, self.tenant, cycle, plan, language)  # company boards
                finally:
                    if creating is not None:  # recorded even if planning failed, so no board is left behind
                        created, marker = creating.result()
                        target = boards.record_board(self.store, self.tenant, cycle, created, language, marker)
                        assignees = _creator_assignees(cycle, created)
                job = self._job(cycle, target, plan, assignees)
                with self.store.unit(self.tenant) as uow:
                    uow.boards.plan(target.row_id, journal_rows(i for i in plan.items if i.parent_key is None))
                summary = GenerationSummary(
                    board_id=target.miro_id, view_link=target.view_link, planned=len(plan.items)
                )
                if before is not None and before != target.miro_id:
                    summary.previous_board = before
                self._create_all(job, pool, plan, summary)
        except BoardError as error:
            advice = "run generate again to resume" if error.transient else "nothing more was sent"
            raise GenerationError(f"{error}; {advice}") from error
        finally:
            self.gateway.on_wait(None)
        summary.seconds = self.clock() - started
        summary.usage = self.gateway.usage()
        return summary

    def _job(self, cycle: Cycle, target: BoardTarget, plan: BoardPlan, assignees: dict | None) -> Job:
        items = {item.key: item for item in plan.items}
        job = Job(self.store, self.tenant, self.gateway, cycle, target, items, self.concurrency, self.progress)
        job.assignees = assignees
        return job

    def _create_all(self, job: Job, pool: ThreadPoolExecutor, plan: BoardPlan, summary: GenerationSummary) -> None:
        # Children are journaled while the first frames are on their way (none can go before its frame).
        unjournaled = [item for item in plan.items if item.parent_key is not None]
        for round_number in range(1, MAX_ROUNDS + 1):
            with self.store.unit(self.tenant) as uow:
                entries = uow.boards.entries(job.board.row_id)
            created = JournalState.CREATED
            pending = [item for item in plan.items if item.key not in entries or entries[item.key].state != created]
            if round_number == 1:
                summary.already_there = len(plan.items) - len(pending)
                job.done, job.total = summary.already_there, len(plan.items)
                job.progress(job.done, job.total)
                self._announce_credits(pending)
            if not pending:
                return
            summary.rounds += 1
            sent = JournalState.SENT
            maybe_there = {item.key for item in pending if item.key in entries and entries[item.key].state == sent}
            if maybe_there:
                try:
                    adopted = adopt(job, pending, entries)
                except BoardError:
                    # Without the board's items, sending a maybe-created item again could duplicate it: those
                    # wait for the next round; everything never sent goes now.
                    pending = [item for item in pending if item.key not in maybe_there]
                else:
                    summary.adopted += len(adopted)
                    job.advance(len(adopted))
                    entries |= {k: replace(entries[k], state=created, miro_item_id=v) for k, v in adopted.items()}
                    pending = [item for item in pending if item.key not in adopted]
            summary.created += GenerationRound(job, pool, pending, entries).run(unjournaled)
            unjournaled = []
        raise GenerationError(f"items still missing after {MAX_ROUNDS} rounds; run generate again to resume")

    def _announce_credits(self, pending: list) -> None:
        """Say up front when the items to send cost more credits than Miro leaves, and the expected wait."""
        frames = sum(1 for item in pending if item.parent_key is None)
        needed = self.gateway.credits_for(frames, len(pending) - frames)
        budget = self.gateway.credit_budget()
        left = budget.per_window if budget.remaining is None else budget.remaining
        if needed <= left:
            return
        windows = math.ceil((needed - left) / budget.per_window)
        first = budget.resets_in if budget.resets_in is not None else budget.window_seconds
        expected = first + (windows - 1) * budget.window_seconds
        self.on_wait(
            f"This board needs about {needed:,} credits and Miro allows {budget.per_window:,} a minute "
            f"({left:,} left now): expect about {_duration(expected)} of waiting for credits."
        )

    def _waiting(self, seconds: float) -> None:
        self.on_wait(f"Miro's credits for this minute are spent: waiting {_duration(seconds)} for them to come back.")


def _duration(seconds: float) -> str:
    """Say a wait the way a person would read it: '45 s', '2 min 5 s'."""
    seconds = max(1, round(seconds))
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _creator_assignees(cycle: Cycle, created: BoardInfo) -> dict[str, str] | None:
    """A board just created has one member, its creator, named in Miro's answer: no member list needed."""
    if not created.creator_id:
        return None  # e.g. a board found after a lost answer, listed without it: look members up
    return assignees_among(cycle, {created.creator_id: created.creator_name})
