"""The report's charts, drawn by matplotlib as inline SVG (no image files, no external requests)."""

from __future__ import annotations

import io
import re

from addon.services.report_text import board_label, text

STATUS_COLOURS = {  # the Kanban's column colours, so a chart reads like the board
    "draft": "#c8c8c8",
    "not_started": "#a6ccf5",
    "in_progress": "#fff9b1",
    "at_risk": "#ffcee0",
    "done": "#d5f692",
}
BAND_COLOUR = "#d5f692"
_XML_HEAD = re.compile(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)  # RDF about the file: nothing to show


def _svg(figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    # Text stays text (not glyph paths): the file stays small and the page's words remain searchable.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "okrboard"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _METADATA.sub("", _XML_HEAD.sub("", buffer.getvalue()))


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    figure.set_facecolor("white")
    return figure


def scores_against_bands(ax, report: dict) -> None:
    """One bar per key result with its score, over the band its objective's type expects (M10)."""
    lang = report["cycle"]["language"]
    rows = [(o, kr) for o in report["objectives"] for kr in o["key_results"]]
    bands = [(i, o["band"]) for i, (o, _) in enumerate(rows) if o["band"]]
    # One call per kind of mark, not one per key result: each artist costs a draw.
    ax.barh(
        [i for i, _ in bands],
        [max(b["high"] - b["low"], 0.012) for _, b in bands],
        left=[b["low"] - (0.006 if b["low"] == b["high"] else 0) for _, b in bands],
        height=0.9,
        color=BAND_COLOUR,
    )
    scores = [kr["score"] for _, kr in rows]
    bars = ax.barh(range(len(rows)), scores, height=0.5, color="#414bb2")
    ax.bar_label(bars, labels=[f"{s:.2f}" for s in scores], padding=2, fontsize=7)
    ax.set_yticks(range(len(rows)), [kr["ref"] for _, kr in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.set_xlabel(text("score", lang), fontsize=8)
    ax.set_title(text("chart_scores", lang), fontsize=9, loc="left", y=1.02)  # a fixed place: no layout pass per draw
    ax.spines[["top", "right"]].set_visible(False)


def scores_over_checkins(ax, report: dict) -> None:
    """One line per objective: its score at each recorded check-in."""
    summary = report["checkin_summary"]
    lang = report["cycle"]["language"]
    numbers = [row["checkin"] for row in summary]
    for objective in report["objectives"]:
        values = [row["objectives"].get(objective["ref"]) for row in summary]
        ax.plot(numbers, [float("nan") if v is None else v for v in values], marker="o", label=objective["ref"])
    ax.set_xticks(numbers, [f"{row['checkin']}\n{row['date']}" for row in summary], fontsize=7)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(text("score", lang), fontsize=8)
    ax.set_title(text("chart_history", lang), fontsize=9, loc="left", y=1.02)  # a fixed place: no layout pass per draw
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def kanban_per_checkin(ax, report: dict) -> None:
    """Stacked bars: how many key results each Kanban column held at each recorded check-in."""
    summary = report["checkin_summary"]
    lang = report["cycle"]["language"]
    numbers = [row["checkin"] for row in summary]
    bottoms = [0] * len(summary)
    for status, colour in STATUS_COLOURS.items():
        counts = [row["kanban"].get(status, 0) for row in summary]
        if not any(counts):
            continue
        label = board_label(f"status:{status}", lang)
        ax.bar(numbers, counts, bottom=bottoms, color=colour, edgecolor="#555555", lw=0.5, label=label)
        bottoms = [b + c for b, c in zip(bottoms, counts, strict=True)]
    ax.set_xticks(numbers, [str(n) for n in numbers], fontsize=7)
    ax.set_xlabel(text("checkins", lang), fontsize=8)
    ax.set_title(text("chart_kanban", lang), fontsize=9, loc="left", y=1.02)  # a fixed place: no layout pass per draw
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def charts_svg(report: dict) -> str:
    """Return the report's charts as one inline SVG: scores against bands, and (once there are check-ins)
    scores over the check-ins and the Kanban at each check-in.

    One figure drawn once: matplotlib's cost is mostly per figure and per draw, which keeps the HTML report of
    a 5 x 5 cycle within its second.
    """
    rows = sum(len(o["key_results"]) for o in report["objectives"])
    first = 0.22 * rows + 0.9
    history = bool(report["checkin_summary"])
    heights = [first, 2.6, 2.6] if history else [first]
    figure = _figure(8.5, sum(heights) + 0.6 * len(heights))
    grid = figure.add_gridspec(len(heights), 1, height_ratios=heights, hspace=0.45 if history else 0.2)
    figure.subplots_adjust(left=0.08, right=0.80, top=1 - 0.35 / sum(heights), bottom=0.5 / sum(heights))
    scores_against_bands(figure.add_subplot(grid[0]), report)
    if history:
        scores_over_checkins(figure.add_subplot(grid[1]), report)
        kanban_per_checkin(figure.add_subplot(grid[2]), report)
    return _svg(figure)
