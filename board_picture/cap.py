"""The most items one picture draws, and which ones it keeps when a board has more.

Drawing takes 1.5 to 3 ms an item (matplotlib, SVG or PNG; `bench/picture_cap.py`, docs/benchmarks.md), and
listing takes one request per 50 items (Miro's largest page, https://developers.miro.com/reference/get-items): a
200,000-item board would take some seven minutes to draw and 4,000 requests to list. A generated OKR board has
under 200 items, so 5,000 leaves room for any board a team works on and keeps a picture under ten seconds; beyond
it the picture is partial, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_ITEMS = 5_000


@dataclass(frozen=True)
class Capped:
    """The items a picture draws, and how many of the given ones it leaves out."""

    items: list[dict]
    left_out: int


def within_cap(items: list[dict], cap: int | None = None) -> Capped:
    """Keep at most `cap` items (default MAX_ITEMS): frames first (their children are placed relative to them),
    then the others in the order listed; a child whose frame is not kept is left out too, as it cannot be placed."""
    cap = MAX_ITEMS if cap is None else cap
    if len(items) <= cap:
        return Capped(items, 0)
    frames = [item for item in items if item.get("type") == "frame"][:cap]
    kept_ids = {item.get("id") for item in frames}
    others = []
    for item in items:
        if len(frames) + len(others) >= cap:
            break
        parent = (item.get("parent") or {}).get("id")
        if item.get("type") != "frame" and (parent is None or parent in kept_ids):
            others.append(item)
    kept = frames + others
    return Capped(kept, len(items) - len(kept))
