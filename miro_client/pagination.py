"""Lazy iteration over Miro's two paging schemes.

Items and connectors page by an opaque `cursor`: ask again with the returned cursor until none comes
back (https://developers.miro.com/reference/get-items). Boards, tags and board members page by `offset`
with a `total` (https://developers.miro.com/reference/get-boards). Pages are fetched only when iteration
needs them, and a page that fails raises out of the generator, so a caller can tell a complete scan from a
partial one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .errors import MiroError

Page = dict[str, Any]
FetchPage = Callable[[dict[str, str]], Page]


def iter_cursor(fetch: FetchPage, params: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Yield every element of a cursor-paged list, one page at a time."""
    query = dict(params)
    seen: set[str] = set()
    while True:
        page = fetch(dict(query))
        yield from page.get("data") or []
        cursor = page.get("cursor")
        if not cursor:
            return
        if cursor in seen:
            # Looping would never end and stopping would pass a partial scan off as complete.
            raise MiroError(f"Miro returned the cursor {cursor!r} twice; the listing is incomplete")
        seen.add(cursor)
        query["cursor"] = cursor


def iter_offset(fetch: FetchPage, params: dict[str, str], limit: int) -> Iterator[dict[str, Any]]:
    """Yield every element of an offset-paged list, one page at a time."""
    offset = 0
    while True:
        page = fetch({**params, "limit": str(limit), "offset": str(offset)})
        data = page.get("data") or []
        yield from data
        offset += len(data)
        total = page.get("total")
        if not data:
            return
        if total is None:
            # Without a total, a short page is the last one.
            if len(data) < limit:
                return
        elif offset >= int(total):
            return
