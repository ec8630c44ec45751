"""Bulk item creation (https://developers.miro.com/reference/create-items).

Miro takes 1..20 items per call, creates all of them or none, and charges level 2 per item. Larger lists are
split into chunks of 20 that are sent concurrently by a bounded thread pool; results keep the request order.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Any

from ..endpoints import OPERATIONS
from ..errors import MiroBulkCreateError, MiroCreateOutcomeUnknown, MiroError
from ..ratelimit import LEVEL_CREDITS
from ..types import Item, ItemCreate
from . import OperationsBase

BULK_CHUNK_SIZE = 20

Chunk = tuple[int, int]


class BulkMixin(OperationsBase):
    """Bulk create."""

    max_workers: int = 4

    def create_items_bulk(self, board_id: str, items: Sequence[ItemCreate]) -> list[Item]:
        """Create items in chunks of 20 (each all-or-nothing); return them in request order.

        Raises MiroBulkCreateError when a chunk fails; it keeps the items that were created.
        """
        items = list(items)
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not item.get("type"):
                raise ValueError(f"items[{index}] must be a dict with a 'type'")
        chunks = [(start, min(start + BULK_CHUNK_SIZE, len(items))) for start in range(0, len(items), BULK_CHUNK_SIZE)]
        results: list[Item | None] = [None] * len(items)
        failures: list[tuple[int, int, MiroError]] = []
        unsent: list[Chunk] = []
        workers = max(1, min(self.max_workers, len(chunks)))
        if workers == 1:
            self._bulk_in_order(board_id, items, chunks, results, failures, unsent)
        else:
            self._bulk_concurrently(board_id, items, chunks, workers, results, failures, unsent)
        if failures or unsent:
            failures.sort(key=lambda failure: failure[0])
            raise MiroBulkCreateError(results=results, failures=failures, unsent=sorted(unsent))
        return [item for item in results if item is not None]

    def _bulk_chunk(self, board_id: str, chunk: list[Any]) -> list[Item]:
        """Send one chunk and check Miro returned one item per item sent."""
        response = self._call("create-items", json=chunk, credits=LEVEL_CREDITS[2] * len(chunk), board_id=board_id)
        created = list((response or {}).get("data") or [])
        if len(created) != len(chunk):
            # Items were created but cannot be matched to the request by position.
            cause = MiroError(f"Miro returned {len(created)} items for a chunk of {len(chunk)}")
            path = OPERATIONS["create-items"].format_path(board_id=board_id)
            raise MiroCreateOutcomeUnknown(method="POST", path=path, body=chunk, cause=cause)
        return created

    def _bulk_in_order(self, board_id, items, chunks, results, failures, unsent) -> None:
        for position, (start, stop) in enumerate(chunks):
            try:
                results[start:stop] = self._bulk_chunk(board_id, items[start:stop])
            except MiroError as error:
                failures.append((start, stop, error))
                unsent.extend(chunks[position + 1 :])
                return

    def _bulk_concurrently(self, board_id, items, chunks, workers, results, failures, unsent) -> None:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="miro-bulk") as pool:
            futures: dict[Future, Chunk] = {
                pool.submit(self._bulk_chunk, board_id, items[start:stop]): (start, stop) for start, stop in chunks
            }
            done, pending = wait(futures, return_when=FIRST_EXCEPTION)
            if pending:
                # After a failure, chunks that have not started stay unsent so the caller decides what to do.
                for future in pending:
                    if future.cancel():
                        unsent.append(futures[future])
                done, _ = wait(futures)
        for future in done:
            if future.cancelled():
                continue
            start, stop = futures[future]
            error = future.exception()
            if error is None:
                results[start:stop] = future.result()
            elif isinstance(error, MiroError):
                failures.append((start, stop, error))
            else:
                raise error
