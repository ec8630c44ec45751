"""One generation round: pending items sent on a bounded pool, frames first, children as soon as their frame exists."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

from addon.adapters.board_journal import CREATED
from addon.domain.board.layout import PlannedItem
from addon.domain.method.model import OkrError
from miro_client import MiroCreateOutcomeUnknown
from miro_client.errors import MiroAPIError, MiroTransportError, RateLimited, ServerError

if TYPE_CHECKING:
    from addon.services.generation.generator import BoardGenerator, _Board

BULK_SIZE = 20
RECORD_BATCH = 40  # confirmed items written to the journal per transaction: few commits, a short last one


class GenerationError(OkrError):
    """Generation stopped; the journal keeps what was done, and running it again resumes."""


class _Round:
    """One pass over the pending items on a bounded pool: frames, and children as soon as their frame exists.

    Full chunks of ready children go first (they finish the board), then frames; a partial chunk goes only when
    nothing in flight can add to it, so a clean run makes exactly ceil(children / 20) bulk calls.

    Journal: every item of the round is marked sent before the first request that could carry it (frames
    before any request, children while the first frames are in flight). Marking early only means a resume
    lists the board before sending, so the round needs no transaction per request; confirmations are
    recorded in batches (a crash before a batch is written is what adoption repairs).
    """

    def __init__(
        self, generator: BoardGenerator, pool: ThreadPoolExecutor, board: _Board, pending: list[PlannedItem], entries
    ):
        self.generator, self.pool, self.board = generator, pool, board
        self.ids = {key: entry.miro_item_id for key, entry in entries.items() if entry.state == CREATED}
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
        generator = self.generator
        with generator.store.unit(generator.tenant) as uow:
            uow.boards.mark_sent(self.board.row_id, [frame.key for frame in self.frames])
        if generator._assignees is None:
            if any(item.role == "kr_card" for items in self.waiting.values() for item in items):
                self.in_flight[self.pool.submit(generator._member_assignees, self.board.miro_id)] = ("members", [])
            else:
                generator._assignees = {}
        self._dispatch()
        with generator.store.unit(generator.tenant) as uow:
            uow.boards.plan(self.board.row_id, _journal_rows(unjournaled))
            uow.boards.mark_sent(self.board.row_id, [item.key for items in self.waiting.values() for item in items])
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
        generator = self.generator
        while not self.refused and len(self.in_flight) < generator.concurrency:
            if len(self.ready) >= BULK_SIZE or (self.ready and not self._more_coming()):
                kind, items, send = "chunk", self.ready[:BULK_SIZE], generator.gateway.create_chunk
                del self.ready[:BULK_SIZE]
            elif self.frames:
                kind, items, send = "frame", [self.frames.pop(0)], generator._send_frame
            else:
                return
            bodies = [generator._body(item, self.ids) for item in items]
            self.in_flight[self.pool.submit(send, self.board.miro_id, bodies)] = (kind, items)

    def _release(self, frame_keys) -> None:
        """Make the children of frames that now exist ready to go."""
        for key in frame_keys:
            for item in self.waiting.pop(key, []):
                waits = item.role == "kr_card" and self.generator._assignees is None
                (self.held if waits else self.ready).append(item)

    def _collect(self, done) -> None:
        """Take in finished requests: confirmed items, children of new frames, refusals."""
        for future in done:
            kind, items = self.in_flight.pop(future)
            if kind == "members":
                self.generator._assignees = future.result()
                self.ready += self.held
                self.held = []
                continue
            created = []
            for item, outcome in zip(items, future.result(), strict=True):
                if isinstance(outcome, dict):
                    self.unrecorded[item.key] = (outcome["id"], synced_state(outcome), outcome.get("modifiedAt"))
                    self.ids[item.key] = outcome["id"]
                    created.append(item.key)
                elif not _worth_another_round(outcome):
                    self.refused.append(outcome)
            self._release(key for key in created if key in self.waiting)
            self.created += len(created)
            self.generator._advance(len(created))
        if len(self.unrecorded) >= RECORD_BATCH:
            self._dispatch()  # the slots are refilled before the transaction, which is then off the critical path
            self._record()

    def _record(self) -> None:
        """Write the confirmed Miro ids to the journal in one transaction."""
        if self.unrecorded:
            with self.generator.store.unit(self.generator.tenant) as uow:
                uow.boards.record_created(self.board.row_id, self.unrecorded)
            self.unrecorded = {}


def _journal_rows(items) -> list[tuple[str, str, str | None]]:
    return [(item.key, item.role, item.entity) for item in items]


def _worth_another_round(error: BaseException) -> bool:
    """Transient failures (unknown outcome, 5xx, 429, network) are retried in the next round."""
    if isinstance(error, MiroAPIError):
        return isinstance(error, RateLimited | ServerError)
    return isinstance(error, MiroCreateOutcomeUnknown | MiroTransportError)


def synced_state(item: dict) -> dict:
    """Return the parts of a Miro item that sync compares against later (its base state)."""
    return {
        "data": item.get("data") or {},
        "position": item.get("position") or {},
        "parent": (item.get("parent") or {}).get("id"),
    }
