"""One generation round: pending items sent on a bounded pool, frames first, children as soon as their frame exists."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from addon.domain.board.layout import PlannedItem
from addon.domain.board.roles import JournalState, stands_for_key_result
from addon.domain.sync.context import JournalEntry
from addon.services.generation.job import BULK_SIZE, GenerationError, Job
from addon.services.ports import BoardError

RECORD_BATCH = 40  # confirmed items written to the journal per transaction: few commits, a short last one


class GenerationRound:
    """One pass over the pending items on a bounded pool: frames, and children as soon as their frame exists.

    Full chunks of ready children go first (they finish the board), then frames; a partial chunk goes only when
    nothing in flight can add to it, so a clean run makes exactly ceil(children / 20) bulk calls.

    Journal: every item of the round is marked sent before the first request that could carry it (frames
    before any request, children while the first frames are in flight). Marking early only means a resume
    lists the board before sending, so the round needs no transaction per request; confirmations are
    recorded in batches (a crash before a batch is written is what adoption repairs).
    """

    def __init__(
        self, job: Job, pool: ThreadPoolExecutor, pending: list[PlannedItem], entries: dict[str, JournalEntry]
    ):
        self.job, self.pool = job, pool
        self.ids = {key: entry.miro_item_id for key, entry in entries.items() if entry.state == JournalState.CREATED}
        self.waiting: dict[str, list[PlannedItem]] = defaultdict(list)  # frame key -> children without it yet
        for item in pending:
            if item.parent_key is not None:
                self.waiting[item.parent_key].append(item)
        # Frames with the most children first, so full chunks are ready early.
        self.frames = sorted((i for i in pending if i.parent_key is None), key=lambda f: -len(self.waiting[f.key]))
        self.ready: list[PlannedItem] = []  # parent known, go in bulk chunks
        self.held: list[PlannedItem] = []  # key-result cards waiting for the member list (their assignees)
        self.in_flight: dict[Future, tuple[str, list[PlannedItem]]] = {}
        self.unrecorded: dict[str, tuple[str, dict, str | None]] = {}
        self.refused: list[BaseException] = []
        self.created = 0

    def run(self, unjournaled: list[PlannedItem]) -> int:
        """Send everything that can be sent this round; return how many items Miro confirmed."""
        job, board = self.job, self.job.board
        with job.store.unit(job.tenant) as uow:
            uow.boards.mark_sent(board.row_id, [frame.key for frame in self.frames])
        if job.assignees is None:
            if any(stands_for_key_result(item.role) for items in self.waiting.values() for item in items):
                self.in_flight[self.pool.submit(job.member_assignees)] = ("members", [])
            else:
                job.assignees = {}
        self._dispatch()
        with job.store.unit(job.tenant) as uow:
            uow.boards.plan(board.row_id, journal_rows(unjournaled))
            uow.boards.mark_sent(board.row_id, [item.key for items in self.waiting.values() for item in items])
        self._release([key for key in self.waiting if key in self.ids])
        try:
            while True:
                self._dispatch()
                if not self.in_flight:
                    break
                done, _ = wait(self.in_flight, return_when=FIRST_COMPLETED)
                self._collect(done)
        finally:
            self._record()
        if self.refused:
            raise GenerationError(f"Miro refused an item: {self.refused[0]}")
        return self.created

    def _more_coming(self) -> bool:
        return bool(self.frames) or any(kind != "chunk" for kind, _ in self.in_flight.values())

    def _dispatch(self) -> None:
        """Fill the free slots of the pool."""
        job = self.job
        while not self.refused and len(self.in_flight) < job.concurrency:
            if len(self.ready) >= BULK_SIZE or (self.ready and not self._more_coming()):
                kind, items, send = "chunk", self.ready[:BULK_SIZE], job.send_chunk
                del self.ready[:BULK_SIZE]
            elif self.frames:
                kind, items, send = "frame", [self.frames.pop(0)], job.send_frame
            else:
                return
            self.in_flight[self.pool.submit(send, [job.new_item(item, self.ids) for item in items])] = (kind, items)

    def _release(self, frame_keys) -> None:
        """Make the children of frames that now exist ready to go."""
        for key in frame_keys:
            for item in self.waiting.pop(key, []):
                waits = stands_for_key_result(item.role) and self.job.assignees is None
                (self.held if waits else self.ready).append(item)

    def _collect(self, done) -> None:
        """Take in finished requests: confirmed items, children of new frames, refusals."""
        for future in done:
            kind, items = self.in_flight.pop(future)
            if kind == "members":
                self.job.assignees = future.result()
                self.ready += self.held
                self.held = []
                continue
            created = []
            for item, outcome in zip(items, future.result(), strict=True):
                if isinstance(outcome, BoardError):
                    if not outcome.transient:
                        self.refused.append(outcome)
                    continue
                self.unrecorded[item.key] = (outcome.id, outcome.base_state(), outcome.modified_at)
                self.ids[item.key] = outcome.id
                created.append(item.key)
            self._release(key for key in created if key in self.waiting)
            self.created += len(created)
            self.job.advance(len(created))
        if len(self.unrecorded) >= RECORD_BATCH:
            self._dispatch()  # the slots are refilled before the transaction, which is then off the critical path
            self._record()

    def _record(self) -> None:
        """Write the confirmed Miro ids to the journal in one transaction."""
        if self.unrecorded:
            with self.job.store.unit(self.job.tenant) as uow:
                uow.boards.record_created(self.job.board.row_id, self.unrecorded)
            self.unrecorded = {}


def journal_rows(items) -> list[tuple[str, str, str | None]]:
    """Return the journal rows (key, role, entity) of planned items."""
    return [(item.key, item.role, item.entity) for item in items]
