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
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return _METADATA.sub("", _XML_HEAD.sub("", buffer.getvalue()))


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    figure.set_facecolor("white")
    return figure


def scores_against_bands(report: dict) -> str:
    """One bar per key result with its score, over the band its objective's type expects (M10)."""
    lang = report["cycle"]["language"]
    rows = [(o, kr) for o in report["objectives"] for kr in o["key_results"]]
    figure = _figure(8, 0.3 * len(rows) + 0.8)
    ax = figure.add_subplot()
    for index, (objective, kr) in enumerate(rows):
        band = objective["band"]
        if band:
            ax.fill_betweenx([index - 0.45, index + 0.45], band["low"], band["high"], color=BAND_COLOUR, lw=0)
            if band["low"] == band["high"]:
                ax.plot([band["low"]] * 2, [index - 0.45, index + 0.45], color="#5a8f29", lw=3)
        ax.barh(index, kr["score"], height=0.5, color="#414bb2")
        ax.text(min(kr["score"], 0.93) + 0.01, index, f"{kr['score']:.2f}", va="center", fontsize=7)
    ax.set_yticks(range(len(rows)), [kr["ref"] for _, kr in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.set_xlabel(text("score", lang), fontsize=8)
    ax.set_title(text("chart_scores", lang), fontsize=9, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def scores_over_checkins(report: dict) -> str | None:
    """One line per objective: its score at each recorded check-in (None before the first check-in)."""
    summary = report["checkin_summary"]
    if not summary:
        return None
    lang = report["cycle"]["language"]
    figure = _figure(8, 3)
    ax = figure.add_subplot()
    numbers = [row["checkin"] for row in summary]
    for objective in report["objectives"]:
        values = [row["objectives"].get(objective["ref"]) for row in summary]
        ax.plot(numbers, [float("nan") if v is None else v for v in values], marker="o", label=objective["ref"])
    ax.set_xticks(numbers, [f"{row['checkin']}\n{row['date']}" for row in summary], fontsize=7)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(text("score", lang), fontsize=8)
    ax.set_title(text("chart_history", lang), fontsize=9, loc="left")
    ax.legend(fontsize=7, loc="upper left", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def kanban_per_checkin(report: dict) -> str | None:
    """Stacked bars: how many key results each Kanban column held at each recorded check-in."""
    summary = report["checkin_summary"]
    if not summary:
        return None
    lang = report["cycle"]["language"]
    figure = _figure(8, 3)
    ax = figure.add_subplot()
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
    ax.set_title(text("chart_kanban", lang), fontsize=9, loc="left")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(figure)
