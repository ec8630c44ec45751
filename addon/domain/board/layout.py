"""Turn a cycle and a board template into an ordered board plan, and read meaning back from positions.

Coordinates are absolute board coordinates of item centres (Miro's convention); the plan's rectangle is
centred on the board origin. The generator converts children to frame-relative positions when sending.
An idea's quadrant is `model.quadrant_for(*matrix_scores(...))`; the quadrant areas agree with it everywhere
except within the 0.05 rounding of a midline, so sync should take the scores' quadrant.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

from addon.domain.board import card_text
from addon.domain.board.plan import (
    QUADRANT_TIE_ORDER,
    Area,
    Block,
    BoardPlan,
    Context,
    PlannedItem,
    Slot,
    ceil_div,
    checkin_count,
    frame_item,
    header_block,
    is_tracked,
    kr_card,
    make_slots,
    objectives_block,
    shape_item,
    text_item,
)
from addon.domain.board.roles import Role
from addon.domain.method.model import Cycle, KRStatus
from addon.domain.method.rules import Finding

__all__ = [
    "Area",
    "BoardPlan",
    "PlannedItem",
    "area_at",
    "footprint",
    "idea_placement",
    "matrix_scores",
    "plan_board",
    "position_for_scores",
]
BLOCK_ORDER = ("header", "objectives", "kanban", "matrices", "log", "retro")
# Miro's default sticky sizes, height / width: 199 x 228 square, 350 x 228 rectangle
# (https://developers.miro.com/docs/websdk-reference-stickynote).
STICKY_ASPECT = {"square": 228 / 199, "rectangle": 228 / 350}


def kanban_block(ctx: Context) -> Block:
    """Build the Kanban frame: one column per status, each a grid with a place for every key result the method
    allows (a row per objective, 5 x 5), under the column's heading."""
    settings, cards = ctx.template["kanban"], ctx.template["cards"]
    kw, kh, gap = cards["key_result"]["width"], cards["key_result"]["height"], cards["gap"]
    rows, per_row = ctx.capacity
    cpad, pad, head = settings["column_padding"], settings["padding"], settings["heading_height"]
    col_w = 2 * cpad + per_row * kw + (per_row - 1) * gap
    col_h = head + rows * (kh + gap) - gap + cpad
    columns = settings["columns"]
    width = 2 * pad + len(columns) * col_w + (len(columns) - 1) * settings["column_gap"]
    block = Block(width, 2 * pad + col_h)
    block.frames.append(
        frame_item(ctx, "frame:kanban", Role.KANBAN_FRAME, ctx.label("frame_kanban"), 0, 0, block.width, block.height)
    )
    by_status = {KRStatus(c["status"]): index for index, c in enumerate(columns)}
    for index, column in enumerate(columns):
        x0 = pad + index * (col_w + settings["column_gap"])
        key = f"kanban:column:{column['key']}"
        block.children.append(
            shape_item(
                ctx,
                key,
                Role.KANBAN_COLUMN,
                "frame:kanban",
                (x0, pad, col_w, col_h),
                card_text.html_lines([ctx.text(column["label"])], bold_first=True),
                column["colour"],
                font="heading",
                entity=column["status"],
            )
        )
        block.areas.append(Area(key, Role.KANBAN_COLUMN, "status", x0, pad, x0 + col_w, pad + col_h, column["status"]))
    for slot in ctx.kr_refs():
        if is_tracked(slot):
            # A status the template has no column for (e.g. a renamed board) lands in the first column.
            x0 = pad + by_status.get(slot.item.status, 0) * (col_w + settings["column_gap"])
            row, col = ctx.place(slot.ref)
            box = (x0 + cpad + col * (kw + gap), pad + head + row * (kh + gap), kw, kh)
            block.children.append(kr_card(ctx, slot, "frame:kanban", box))
    return block


def matrix_subjects(ctx: Context, matrices: str) -> list[tuple[Slot, list[Slot]]]:
    """Return each matrix's subject (a key result, or an objective) with the key results whose ideas it holds."""
    if matrices == "per_objective":
        return [(slot, slot.key_results) for slot in ctx.slots]
    return [(kr, [kr]) for kr in ctx.kr_refs()]


def matrix_place(ctx: Context, ref: str, matrices: str) -> int:
    """Return a matrix's place in the grid, fixed by its ref so a key result added later takes a free one."""
    objective, kr = ctx.place(ref)
    return objective if matrices == "per_objective" else objective * ctx.capacity[1] + kr


def matrix_places(ctx: Context, matrices: str) -> int:
    """Return how many matrix places the grid reserves (every objective, or every key result, the method allows)."""
    objectives, krs = ctx.capacity
    return objectives if matrices == "per_objective" else objectives * krs


def matrix_size(ctx: Context) -> tuple[float, float]:
    """Return one matrix frame's size: two by two quadrants and the margins that hold the axis titles."""
    m = ctx.template["matrix"]
    margin, quadrant = m["margin"], m["quadrant"]
    width = margin["left"] + 2 * quadrant["width"] + margin["right"]
    return width, margin["top"] + 2 * quadrant["height"] + margin["bottom"]


def matrices_size(ctx: Context, count: int, columns: int) -> tuple[float, float]:
    """Return the size of a grid of `count` matrices laid out in `columns` columns."""
    gap, (mw, mh) = ctx.template["matrix"]["gap"], matrix_size(ctx)
    rows = ceil_div(count, columns)
    return columns * mw + (columns - 1) * gap, rows * mh + (rows - 1) * gap


def idea_size(template: dict) -> tuple[float, float]:
    """Return the width and height of the app's idea stickies (Miro keeps a sticky's aspect ratio)."""
    sticky = template["stickies"]["idea"]
    return sticky["width"], sticky["width"] * STICKY_ASPECT[sticky["shape"]]


def scale_area(template: dict, ref: str, kind: str, x0: float, y0: float, x1: float, y1: float) -> Area:
    """Return the area that impact and effort 0..10 span inside a plot: a sticky centred on its edge stays off
    the quadrant labels (a label band at the top and bottom edge) and inside the plot."""
    band = template["matrix"]["label_band"]
    half_w, half_h = (size / 2 for size in idea_size(template))
    return Area(
        f"matrix:{ref}:plot", "matrix", kind, x0 + half_w, y0 + band + half_h, x1 - half_w, y1 - band - half_h, ref
    )


def position_for_scores(plot: Area, impact: float, effort: float) -> tuple[float, float]:
    """Return the point of a matrix plot area that stands for an impact and an effort (0..10)."""
    impact, effort = (max(0.0, min(10.0, v)) for v in (impact, effort))
    return plot.x0 + effort / 10 * (plot.x1 - plot.x0), plot.y1 - impact / 10 * (plot.y1 - plot.y0)


def matrix_items(ctx: Context, subject: Slot, krs: list[Slot], x0: float, y0: float, block: Block) -> None:
    """Add one impact-effort matrix: frame, four quadrants, axis titles, areas and the ideas already known."""
    m, margin = ctx.template["matrix"], ctx.template["matrix"]["margin"]
    (width, height), (half_w, half_h) = matrix_size(ctx), (m["quadrant"]["width"], m["quadrant"]["height"])
    ref, key = subject.ref, f"matrix:{subject.ref}"
    kind = "objective" if ref.startswith("O") else "kr"
    title = (
        subject.item.title
        if subject.item is not None
        else ctx.label(Role.PLACEHOLDER_OBJECTIVE if kind == "objective" else "placeholder_key_result", number=ref[1:])
    )
    block.frames.append(
        frame_item(
            ctx,
            key,
            Role.MATRIX_FRAME,
            ctx.label("frame_matrix", ref=ref, title=card_text.truncate(title, 60)),
            x0,
            y0,
            width,
            height,
            entity=ref,
        )
    )
    px0, py0 = x0 + margin["left"], y0 + margin["top"]
    plot = scale_area(ctx.template, ref, kind, px0, py0, px0 + 2 * half_w, py0 + 2 * half_h)
    block.areas += [Area(key, Role.MATRIX_FRAME, kind, x0, y0, x0 + width, y0 + height, ref), plot]
    quadrants = sorted(m["quadrants"], key=lambda q: QUADRANT_TIE_ORDER.index(q["key"]))
    for quadrant in quadrants:
        vertical, horizontal = quadrant["position"].split("_")
        qx0 = px0 + (half_w if horizontal == "right" else 0)
        qy0 = py0 + (half_h if vertical == "bottom" else 0)
        qkey = f"quadrant:{ref}:{quadrant['key']}"
        # Labels run along the matrix's outer edge (a band of `label_band`), so the quadrant's middle holds
        # six default-size stickies (3 x 2) without covering them.
        block.children.append(
            shape_item(
                ctx,
                qkey,
                Role.QUADRANT,
                key,
                (qx0, qy0, half_w, half_h),
                card_text.html_lines([ctx.text(quadrant["label"])]),
                quadrant["colour"],
                font="small",
                valign=vertical,
                entity=ref,
            )
        )
        block.areas.append(Area(qkey, Role.QUADRANT, quadrant["key"], qx0, qy0, qx0 + half_w, qy0 + half_h, ref))
    line = int(ctx.font("small")) * 1.4
    # Axis titles sit in the frame's margins, outside the plot: impact above it on the left, effort below it
    # on the right.
    for axis, ax0, ay0 in (
        ("impact", px0, y0 + (margin["top"] - line) / 2),
        ("effort", None, py0 + 2 * half_h + (margin["bottom"] - line) / 2),
    ):
        text = ctx.text(m["axes"][axis])
        text_w = len(text) * 0.6 * int(ctx.font("small")) + 20
        block.children.append(
            text_item(
                ctx,
                f"axis:{ref}:{axis}",
                Role.AXIS_LABEL,
                key,
                ax0 if ax0 is not None else px0 + 2 * half_w - text_w,
                ay0,
                text_w,
                card_text.html_lines([text]),
                font="small",
                entity=ref,
            )
        )
    sticky = ctx.template["stickies"]["idea"]
    for kr_slot in krs:
        for n, idea in enumerate(kr_slot.item.ideas if kr_slot.item is not None else [], start=1):
            x, y = position_for_scores(plot, idea.impact, idea.effort)
            colour = ctx.template["colours"]["idea_status"][str(idea.status)]
            block.children.append(
                PlannedItem(
                    f"idea:{kr_slot.ref}:{idea.id if idea.id is not None else n}",
                    "sticky_note",
                    Role.IDEA,
                    x,
                    y,
                    sticky["width"],
                    None,
                    {"content": card_text.html_lines([idea.text]), "shape": sticky["shape"]},
                    {"fillColor": colour},
                    key,
                    kr_slot.ref,
                )
            )


def matrices_block(ctx: Context, subjects: list[tuple[Slot, list[Slot]]], columns: int, matrices: str) -> Block:
    """Build the impact-effort matrices as a grid of reserved places, in board order, row by row."""
    gap, (mw, mh) = ctx.template["matrix"]["gap"], matrix_size(ctx)
    block = Block(*matrices_size(ctx, matrix_places(ctx, matrices), columns))
    for subject, krs in subjects:
        row, col = divmod(matrix_place(ctx, subject.ref, matrices), columns)
        matrix_items(ctx, subject, krs, col * (mw + gap), row * (mh + gap), block)
    return block


def log_block(ctx: Context) -> Block:
    """Build the check-in log: one row per key result, one column per check-in; recorded scores are filled."""
    s = ctx.template["log"]
    pad, head_w, cell_w, cell_h, head_h = (
        s["padding"],
        s["row_heading_width"],
        s["cell_width"],
        s["cell_height"],
        s["heading_height"],
    )
    krs, count = ctx.kr_refs(), checkin_count(ctx.cycle)
    objectives, per_objective = ctx.capacity  # a row reserved for every key result the method allows
    block = Block(2 * pad + head_w + count * cell_w, 2 * pad + head_h + objectives * per_objective * cell_h)
    parent, panel = "frame:log", ctx.template["colours"]["panel"]
    block.frames.append(
        frame_item(ctx, parent, Role.LOG_FRAME, ctx.label("frame_log"), 0, 0, block.width, block.height)
    )
    block.children.append(
        shape_item(
            ctx,
            "log:corner",
            Role.LOG_HEADER,
            parent,
            (pad, pad, head_w, head_h),
            card_text.html_lines([ctx.label("log_corner")], bold_first=True),
            panel,
            font="small",
            valign="middle",
        )
    )
    # A column shows its planned date until the check-in is recorded, then the day it was recorded on.
    dates = dict(enumerate(ctx.cycle.checkin_dates, start=1)) | {c.number: c.on for c in ctx.cycle.checkins}
    for n in range(1, count + 1):
        lines = [ctx.label("log_checkin", number=n)] + ([ctx.date(dates[n])] if n in dates else [])
        block.children.append(
            shape_item(
                ctx,
                f"log:checkin:{n}",
                Role.LOG_HEADER,
                parent,
                (pad + head_w + (n - 1) * cell_w, pad, cell_w, head_h),
                card_text.html_lines(lines, bold_first=True),
                panel,
                font="small",
                valign="middle",
                entity=f"checkin{n}",
            )
        )
    recorded = {(c.number, snap.ref): snap.score for c in ctx.cycle.checkins for snap in c.snapshots}
    for slot in krs:
        objective, kr = ctx.place(slot.ref)
        y0 = pad + head_h + (objective * per_objective + kr) * cell_h
        title = slot.item.title if slot.item is not None else ctx.label("placeholder_key_result")
        block.children.append(
            shape_item(
                ctx,
                f"log:row:{slot.ref}",
                Role.LOG_HEADER,
                parent,
                (pad, y0, head_w, cell_h),
                card_text.html_lines([card_text.truncate(f"{slot.ref} · {title}", 70)]),
                panel,
                font="small",
                align="left",
                valign="middle",
                entity=slot.ref,
            )
        )
        for n in range(1, count + 1):
            score = recorded.get((n, slot.ref))
            content = card_text.html_lines([card_text.format_score(score, ctx.language)]) if score is not None else ""
            block.children.append(
                shape_item(
                    ctx,
                    f"log:cell:{slot.ref}:{n}",
                    Role.LOG_CELL,
                    parent,
                    (pad + head_w + (n - 1) * cell_w, y0, cell_w, cell_h),
                    content,
                    band_colour(s, score),
                    font="small",
                    valign="middle",
                    entity=slot.ref,
                )
            )
    return block


def band_colour(settings: dict, score: float | None) -> str:
    """Return a log cell's colour: the first score band the score reaches, or the empty colour."""
    if score is not None:
        for band in settings["score_colours"]:
            if score >= band["min"]:
                return band["colour"]
    return settings["empty_colour"]


def retro_block(ctx: Context) -> Block:
    """Build the retrospective frame with its sections (what worked, did not, learned, carry over)."""
    s = ctx.template["retro"]
    pad, gap, cols = s["padding"], s["gap"], s["columns"]
    sw, sh = s["section"]["width"], s["section"]["height"]
    rows = ceil_div(len(s["sections"]), cols)
    block = Block(2 * pad + cols * sw + (cols - 1) * gap, 2 * pad + rows * sh + (rows - 1) * gap)
    block.frames.append(
        frame_item(ctx, "frame:retro", Role.RETRO_FRAME, ctx.label("frame_retro"), 0, 0, block.width, block.height)
    )
    for index, section in enumerate(s["sections"]):
        row, col = divmod(index, cols)
        x0, y0 = pad + col * (sw + gap), pad + row * (sh + gap)
        key = f"retro:{section['key']}"
        lines = [ctx.text(section["label"]), ctx.text(section["prompt"])]
        block.children.append(
            shape_item(
                ctx,
                key,
                Role.RETRO_SECTION,
                "frame:retro",
                (x0, y0, sw, sh),
                card_text.html_lines(lines, bold_first=True),
                section["colour"],
                font="heading",
                entity=section["key"],
            )
        )
        block.areas.append(Area(key, Role.RETRO_SECTION, "retro", x0, y0, x0 + sw, y0 + sh, section["key"]))
    return block


def arrange(
    sizes: dict[str, tuple[float, float]], template: dict
) -> tuple[dict[str, tuple[float, float]], float, float]:
    """Place blocks row by row as the template's arrangement says; return top-left offsets and board size."""
    gap, offsets, y, width = template["board"]["gap"], {}, 0.0, 0.0
    for row in template["board"]["arrangement"]:
        x, height = 0.0, 0.0
        for name in row:
            offsets[name] = (x, y)
            x += sizes[name][0] + gap
            height = max(height, sizes[name][1])
        width = max(width, x - gap)
        y += height + gap
    return offsets, width, y - gap


def plan_board(
    cycle: Cycle,
    template: dict,
    *,
    language: str = "en",
    parent: Cycle | None = None,
    matrices: Literal["per_kr", "per_objective"] = "per_kr",
    findings: Iterable[Finding] = (),
) -> BoardPlan:
    """Return the ordered plan of a cycle's workshop board (frames first, then their children)."""
    if language not in template["languages"]:
        raise ValueError(f"The board template has no language '{language}'; it has {', '.join(template['languages'])}.")
    if matrices not in ("per_kr", "per_objective"):
        raise ValueError(f"matrices must be 'per_kr' or 'per_objective', not {matrices!r}.")
    ctx = Context(cycle, template, language, parent, tuple(findings), make_slots(cycle, template))
    blocks = {
        "header": header_block(ctx),
        "objectives": objectives_block(ctx),
        "kanban": kanban_block(ctx),
        "log": log_block(ctx),
        "retro": retro_block(ctx),
    }
    # One row of matrices per objective, like the Kanban's rows; a matrix per objective is arranged for the
    # template's aspect ratio.
    columns = (
        ctx.capacity[1] if matrices == "per_kr" else best_matrix_columns(ctx, blocks, matrix_places(ctx, matrices))
    )
    blocks["matrices"] = matrices_block(ctx, matrix_subjects(ctx, matrices), columns, matrices)
    offsets, width, height = arrange({n: (b.width, b.height) for n, b in blocks.items()}, template)
    placed = [blocks[n].shifted(offsets[n][0] - width / 2, offsets[n][1] - height / 2) for n in BLOCK_ORDER]
    frames = [f for block in placed for f in block.frames]
    order = {f.key: index for index, f in enumerate(frames)}
    # Children follow their frames in the frames' order; sorted() is stable, so builders' order (shapes
    # before the cards on top of them) is kept within a frame.
    children = sorted((c for block in placed for c in block.children), key=lambda c: order[c.parent_key])
    return BoardPlan(frames + children, [a for block in placed for a in block.areas], width, height)


def best_matrix_columns(ctx: Context, blocks: dict[str, Block], count: int) -> int:
    """Return the matrix grid's column count that brings the board closest to the template's aspect ratio."""
    target = ctx.template["board"]["target_aspect"]
    sizes = {n: (b.width, b.height) for n, b in blocks.items()}
    best, best_columns = math.inf, count
    for columns in range(count, 0, -1):  # widest first, so ties keep fewer rows
        _, width, height = arrange({**sizes, "matrices": matrices_size(ctx, count, columns)}, ctx.template)
        miss = abs(math.log(width / height / target))
        if miss < best - 1e-9:
            best, best_columns = miss, columns
    return best_columns


def _areas(plan_or_areas: BoardPlan | Iterable[Area]) -> Iterable[Area]:
    return plan_or_areas.areas if isinstance(plan_or_areas, BoardPlan) else plan_or_areas


def area_at(plan_or_areas: BoardPlan | Iterable[Area], x: float, y: float, role: str | None = None) -> Area | None:
    """Return the innermost area holding a point (edges included; of equal areas the later one), or None."""
    best = None
    for area in _areas(plan_or_areas):
        if (role is None or area.role == role) and area.contains(x, y) and (best is None or area.size <= best.size):
            best = area
    return best


def matrix_scores(area: Area, x: float, y: float) -> tuple[float, float]:
    """Return (impact, effort) 0..10 of a point in a matrix plot area: effort grows right, impact up."""
    effort = (x - area.x0) / (area.x1 - area.x0) * 10
    impact = (area.y1 - y) / (area.y1 - area.y0) * 10
    return tuple(round(max(0.0, min(10.0, v)), 1) + 0.0 for v in (impact, effort))


def idea_placement(plan_or_areas: BoardPlan | Iterable[Area], x: float, y: float) -> tuple[str, float, float] | None:
    """Return (matrix ref, impact, effort) of a point inside a matrix frame, or None outside every matrix."""
    areas = list(_areas(plan_or_areas))
    frame = area_at(areas, x, y, role=Role.MATRIX_FRAME)
    if frame is None:
        return None
    plot = next(a for a in areas if a.key == f"{frame.key}:plot")
    return (frame.meaning, *matrix_scores(plot, x, y))


def footprint(item: PlannedItem) -> tuple[float, float, float, float]:
    """Return an item's (x0, y0, x1, y1), estimating the height Miro gives texts and sticky notes."""
    height = item.height
    if height is None and item.type == "sticky_note":
        height = item.width * STICKY_ASPECT[item.data.get("shape", "square")]
    elif height is None:
        size = float(item.style.get("fontSize", 14))
        per_line = max(1, int(item.width / (0.6 * size)))
        lines = card_text.plain_text(item.data.get("content", "")).split("\n") or [""]
        height = sum(max(1, math.ceil(len(line) / per_line)) for line in lines) * size * 1.4
    return item.x - item.width / 2, item.y - height / 2, item.x + item.width / 2, item.y + height / 2
