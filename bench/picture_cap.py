"""How long a board picture takes per item, and so what the item cap (board_picture/cap.py) buys.

    python bench/picture_cap.py [--runs 3] [--sizes 1000,5000] [--no-write]

Boards of N sticky notes in a grid (short texts, as teams write them) drawn to SVG and PNG by the renderer
`okrboard board render` and the emulator's board page share; medians of the runs, both formats side by side in
each run. The picture of a 200,000-item listing is timed through the cap (5,000 items kept, the rest counted).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from report import median, publish  # noqa: E402 - bench/ is not a package

from board_picture import cap  # noqa: E402
from board_picture.render import draw_board  # noqa: E402


def stickies(count: int) -> list[dict]:
    """A board of `count` sticky notes, 100 to a row."""
    return [
        {
            "id": str(n),
            "type": "sticky_note",
            "data": {"content": f"<p>Idea {n}: ask partners</p>"},
            "position": {"x": (n % 100) * 250.0, "y": (n // 100) * 250.0},
            "geometry": {"width": 199},
        }
        for n in range(count)
    ]


def seconds(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--huge", type=int, default=200_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    times: dict[tuple[int, str], list[float]] = {(n, fmt): [] for n in sizes for fmt in ("svg", "png")}
    huge, capped_s = stickies(args.huge), []
    load_before = os.getloadavg()[0]
    for _ in range(args.runs):
        for n in sizes:
            board = stickies(n)
            for fmt in ("svg", "png"):
                times[(n, fmt)].append(seconds(lambda board=board, fmt=fmt: draw_board(board, fmt)))
        capped_s.append(seconds(lambda: draw_board(huge, "png")))
    rows = [
        f"| {n:,} | {median(times[(n, 'svg')]):.2f} | {median(times[(n, 'png')]):.2f} | "
        f"{median(times[(n, 'svg')] + times[(n, 'png')]) / n * 1000:.2f} |"
        for n in sizes
    ]
    per_item = median([t / n for (n, _fmt), runs in times.items() for t in runs])
    lines = [
        "## Board pictures and their item cap",
        "",
        f"Command: `.venv/bin/python bench/picture_cap.py --runs {args.runs} --sizes {args.sizes}`. Boards of N "
        f"sticky notes drawn by `board_picture` (what `okrboard board render` and the emulator's board page use); "
        f"medians of {args.runs} runs, SVG and PNG side by side in each run. Load average before: {load_before:.1f} "
        "(shared machine).",
        "",
        "| items | SVG s | PNG s | ms per item (median of both formats) |",
        "|---:|---:|---:|---:|",
        *rows,
        "",
        f"- A {args.huge:,}-item board through the cap ({cap.MAX_ITEMS:,} drawn, the rest counted): "
        f"{median(capped_s):.1f} s (PNG, median). Drawn whole at {per_item * 1000:.2f} ms an item it would take "
        f"about {per_item * args.huge / 60:.0f} min, and its listing {args.huge // 50:,} requests of 50 items; "
        f"`board render` lists {cap.MAX_ITEMS + 1:,} items ({(cap.MAX_ITEMS + 1 + 49) // 50} requests) and asks "
        "Miro for the total once.",
    ]
    publish("picture_cap", "\n".join(lines), write=not args.no_write)


if __name__ == "__main__":
    main()
