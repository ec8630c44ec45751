"""The items of a board plan and the builders of its blocks (header, objectives, Kanban, matrices, log, retro).

Builders work in block coordinates (the block's top-left is 0, 0); `layout.plan_board` moves each block to
its place on the board. Every size, colour and label comes from the template dict.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date

from addon.domain.board import card_text
from addon.domain.board.roles import Role
from addon.domain.method.model import CHECKINS_PER_CYCLE, Cycle, KeyResult, KRStatus, Level, Objective
from addon.domain.method.rules import Finding
from addon.domain.method.scoring import SCORE_BANDS, kr_score

# Later areas win ties in `area_at`; this order makes a point on a quadrant edge count as high impact and
# high effort, like `model.quadrant_for`.
QUADRANT_TIE_ORDER = ("fill_in", "money_pit", "quick_win", "big_bet")


@dataclass(frozen=True)
class PlannedItem:
    """One Miro item to create: absolute centre, size, and the Miro request `data` and `style`."""

    key: str
    type: str
    role: str
    x: float
    y: float
    width: float
    height: float | None
    data: dict
    style: dict
    parent_key: str | None = None
    entity: str | None = None


@dataclass(frozen=True)
class Area:
    """An absolute rectangle that gives a position meaning (a Kanban column, a quadrant, a frame...)."""

    key: str
    role: str
    kind: str
    x0: float
    y0: float
    x1: float
    y1: float
    meaning: str

    def contains(self, x: float, y: float) -> bool:
        """Return whether a point lies in the rectangle, edges included."""
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    @property
    def size(self) -> float:
        """The rectangle's area, used to find the innermost of nested areas."""
        return (self.x1 - self.x0) * (self.y1 - self.y0)


@dataclass
class BoardPlan:
    """An ordered plan of a board: frames first, then their children, plus the areas that carry meaning."""

    items: list[PlannedItem]
    areas: list[Area]
    width: float
    height: float

    def item(self, key: str) -> PlannedItem:
        """Return the planned item with a key (KeyError when absent)."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def area(self, key: str) -> Area:
        """Return the area with a key (KeyError when absent)."""
        for area in self.areas:
            if area.key == key:
                return area
        raise KeyError(key)

    def by_role(self, role: str) -> list[PlannedItem]:
        """Return the planned items of one role, in plan order."""
        return [i for i in self.items if i.role == role]


@dataclass
class Block:
    """A group of frames, their children and areas, in coordinates relative to the block's top-left."""

    width: float
    height: float
    frames: list[PlannedItem] = field(default_factory=list)
    children: list[PlannedItem] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)

    def shifted(self, dx: float, dy: float) -> Block:
        """Return the block moved by dx, dy."""
        return Block(
            self.width,
            self.height,
            [replace(i, x=i.x + dx, y=i.y + dy) for i in self.frames],
            [replace(i, x=i.x + dx, y=i.y + dy) for i in self.children],
            [replace(a, x0=a.x0 + dx, y0=a.y0 + dy, x1=a.x1 + dx, y1=a.y1 + dy) for a in self.areas],
        )


@dataclass
class Slot:
    """An objective or key result on the board: a real one, or a placeholder (item None) in workshop mode."""

    ref: str
    item: Objective | KeyResult | None
    objective: Objective | None = None
    key_results: list[Slot] = field(default_factory=list)


_PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


@dataclass
class Context:
    """What every builder needs: the cycle, the template and the language to write in."""

    cycle: Cycle
    template: dict
    language: str
    parent: Cycle | None
    findings: tuple[Finding, ...]
    slots: list[Slot]

    def text(self, label: dict, **values) -> str:
        """Return a label in the board's language with its {placeholders} filled (raw text, not HTML)."""
        if self.language not in label:
            raise ValueError(f"The template has no '{self.language}' text for label {label}.")
        return _PLACEHOLDER_RE.sub(lambda m: str(values.get(m.group(1), m.group(0))), label[self.language])

    def label(self, path: str, /, **values) -> str:
        """Return a label of the template's `labels` section by its dotted path."""
        node = self.template["labels"]
        for part in path.split("."):
            node = node[part]
        return self.text(node, **values)

    def date(self, day: date) -> str:
        """Write a date in the board's language, e.g. 4 Jan 2027 / 4 janv. 2027."""
        month = self.template["labels"]["months"][self.language][day.month - 1]
        return self.label("date", day=day.day, month=month, year=day.year)

    def font(self, name: str) -> str:
        """Return a template font size as Miro wants it (a string)."""
        return str(self.template["fonts"][name])

    @property
    def capacity(self) -> tuple[int, int]:
        """Return the places reserved from the start: objectives, and key results per objective (5 x 5 by the
        method), so a key result or objective added mid-cycle gets a place no other item has."""
        settings = self.template["objectives"]
        objectives = max(settings["reserved_objectives"], len(self.slots))
        return objectives, max([settings["kr_slots"]] + [self.place(k.ref)[1] + 1 for k in self.kr_refs()])

    def place(self, ref: str) -> tuple[int, int]:
        """Return the (objective, key result) place of a ref, counted from 0: KR2.3 -> (1, 2), O4 -> (3, 0)."""
        numbers = [int(n) for n in ref.lstrip("OKR").split(".")]
        return numbers[0] - 1, (numbers[1] - 1 if len(numbers) > 1 else 0)

    def kr_refs(self) -> list[Slot]:
        """Return every key-result slot in board order."""
        return [kr for objective in self.slots for kr in objective.key_results]


def make_slots(cycle: Cycle, template: dict) -> list[Slot]:
    """Return objective slots with their key-result slots, adding placeholders for an empty workshop board."""
    settings = template["objectives"]
    slots = []
    objectives: list[Objective | None] = list(cycle.objectives) or [None] * settings["placeholder_objectives"]
    for o, objective in enumerate(objectives, start=1):
        krs: list[tuple[int, KeyResult | None]] = objective.numbered() if objective else []
        krs = krs or [(k, None) for k in range(1, settings["placeholder_key_results"] + 1)]
        slots.append(Slot(f"O{o}", objective, objective, [Slot(f"KR{o}.{k}", kr, objective) for k, kr in krs]))
    return slots


def _centre(x0: float, y0: float, width: float, height: float) -> tuple[float, float]:
    return x0 + width / 2, y0 + height / 2


def frame_item(
    ctx: Context,
    key: str,
    role: str,
    title: str,
    x0: float,
    y0: float,
    width: float,
    height: float,
    entity: str | None = None,
) -> PlannedItem:
    """Return a frame; its title is escaped like all text the app writes to Miro."""
    x, y = _centre(x0, y0, width, height)
    return PlannedItem(
        key,
        "frame",
        role,
        x,
        y,
        width,
        height,
        {"title": card_text.escape_text(title), "format": "custom", "type": "freeform"},
        {"fillColor": ctx.template["colours"]["frame"]},
        None,
        entity,
    )


def shape_item(
    ctx: Context,
    key: str,
    role: str,
    parent: str,
    box: tuple[float, float, float, float],
    content: str,
    fill: str,
    *,
    font: str = "body",
    align: str = "center",
    valign: str = "top",
    entity: str | None = None,
) -> PlannedItem:
    """Return a rectangle shape with HTML content, placed by its top-left box (x0, y0, width, height)."""
    x0, y0, width, height = box
    x, y = _centre(x0, y0, width, height)
    colours = ctx.template["colours"]
    style = {
        "fillColor": fill,
        "fontSize": ctx.font(font),
        "borderWidth": "1.0",
        "borderColor": colours["border"],
        "color": colours["text"],
        "textAlign": align,
        "textAlignVertical": valign,
    }
    return PlannedItem(
        key, "shape", role, x, y, width, height, {"content": content, "shape": "rectangle"}, style, parent, entity
    )


def text_item(
    ctx: Context,
    key: str,
    role: str,
    parent: str,
    x0: float,
    y0: float,
    width: float,
    content: str,
    *,
    font: str = "body",
    entity: str | None = None,
    line_height: float | None = None,
) -> PlannedItem:
    """Return a text item (width only; Miro computes its height), centred on its first line's box."""
    size = int(ctx.font(font))
    width = max(width, 1.7 * size)  # Miro refuses texts narrower than 1.7 x their font size
    y = y0 + (line_height or size * 1.4) / 2
    style = {"fontSize": str(size), "textAlign": "left", "color": ctx.template["colours"]["text"]}
    return PlannedItem(key, "text", role, x0 + width / 2, y, width, None, {"content": content}, style, parent, entity)


def card_item(
    key: str,
    role: str,
    parent: str,
    box: tuple[float, float, float, float],
    title: str,
    description: str,
    theme: str,
    *,
    due: date | None = None,
    entity: str | None = None,
) -> PlannedItem:
    """Return a card; `title` and `description` are already escaped HTML."""
    x0, y0, width, height = box
    x, y = _centre(x0, y0, width, height)
    data = {"title": title, "description": description}
    if due is not None:
        data["dueDate"] = card_text.format_due_date(due)
    return PlannedItem(key, "card", role, x, y, width, height, data, {"cardTheme": theme}, parent, entity)


def objective_colour(ctx: Context, objective: Objective | None) -> str:
    """Return the card colour of an objective's type (grey for placeholders)."""
    colours = ctx.template["colours"]
    if objective is None:
        return colours["placeholder"]
    return colours["objective_types"][str(objective.type) if objective.type else "unset"]


def header_block(ctx: Context) -> Block:
    """Build the header frame: cycle name, level and dates, check-ins, scoring guide and open findings."""
    settings, cycle = ctx.template["header"], ctx.cycle
    width, height, pad = settings["width"], settings["height"], settings["padding"]
    inner = width - 2 * pad
    block = Block(width, height)
    block.frames.append(frame_item(ctx, "frame:header", Role.HEADER, ctx.label("frame_header"), 0, 0, width, height))
    parent = "frame:header"
    title_chars = int(inner / (0.6 * int(ctx.font("title"))))
    block.children.append(
        text_item(
            ctx,
            "header:title",
            Role.TITLE,
            parent,
            pad,
            pad,
            inner,
            card_text.html_lines([card_text.truncate(cycle.name, title_chars)]),
            font="title",
            line_height=settings["title_height"],
        )
    )
    level = ctx.label("level_team", team=cycle.team or "") if cycle.level is Level.TEAM else ctx.label("level_company")
    meta = [f"{level} · {ctx.label('period', start=ctx.date(cycle.start), end=ctx.date(cycle.end))}"]
    if ctx.parent is not None:
        meta.append(ctx.label("parent_cycle", name=ctx.parent.name))
    y = pad + settings["title_height"]
    block.children.append(
        shape_item(
            ctx,
            "header:meta",
            Role.LABEL,
            parent,
            (pad, y, inner, settings["meta_height"]),
            card_text.html_lines([" · ".join(meta)]),
            ctx.template["colours"]["frame"],
            align="left",
            valign="middle",
        )
    )
    y += settings["meta_height"] + pad / 2
    half = (inner - pad / 2) / 2
    dates = cycle.checkin_dates or []
    checkins = [ctx.label("checkins_heading")] + [
        ctx.label("checkin_line", number=n, date=ctx.date(d)) for n, d in enumerate(dates, start=1)
    ]
    panel = ctx.template["colours"]["panel"]
    block.children.append(
        shape_item(
            ctx,
            "header:checkins",
            Role.LABEL,
            parent,
            (pad, y, half, settings["block_height"]),
            card_text.html_lines(checkins, bold_first=True),
            panel,
            align="left",
        )
    )
    block.children.append(
        shape_item(
            ctx,
            "header:scoring",
            Role.LABEL,
            parent,
            (pad + half + pad / 2, y, half, settings["block_height"]),
            card_text.html_lines(scoring_lines(ctx), bold_first=True),
            panel,
            align="left",
        )
    )
    y += settings["block_height"] + pad / 2
    block.children.append(
        shape_item(
            ctx,
            "header:findings",
            Role.LABEL,
            parent,
            (pad, y, inner, height - pad - y),
            card_text.html_lines(finding_lines(ctx), bold_first=True),
            panel,
            align="left",
        )
    )
    return block


def scoring_lines(ctx: Context) -> list[str]:
    """Return the scoring guide: the 0..1 scale and the band each objective type is expected to land in."""
    lines = [ctx.label("scoring_heading"), ctx.label("scoring_scale")]
    for objective_type, (low, high) in SCORE_BANDS.items():
        band = card_text.format_score(low, ctx.language)[:-1]  # one decimal reads better: 0.5, not 0.50
        if high != low:
            band += f" – {card_text.format_score(high, ctx.language)[:-1]}"
        lines.append(ctx.label("scoring_band", type=ctx.label(f"types.{objective_type}"), band=band))
    return lines


def finding_lines(ctx: Context) -> list[str]:
    """Return the open findings, each rule message in the board's language."""
    findings = list(ctx.findings)
    limit = ctx.template["header"]["max_findings"]
    if not findings:
        return [ctx.label("findings_heading", count=0), ctx.label("findings_none")]
    lines = [ctx.label("findings_heading", count=len(findings))]
    for finding in findings[:limit]:
        text = finding.text(ctx.language)
        subject = finding.rule if finding.ref == "cycle" else f"{finding.rule} {finding.ref}"
        lines.append(
            ctx.label("finding_line", severity=ctx.label(f"severity.{finding.severity}"), subject=subject, text=text)
        )
    if len(findings) > limit:
        lines.append(ctx.label("findings_more", count=len(findings) - limit))
    return lines


def objective_frame_size(ctx: Context) -> tuple[float, float]:
    """Return the size shared by every objective frame (room for the objective card and its key-result cards)."""
    settings, cards = ctx.template["objectives"], ctx.template["cards"]
    slots = ctx.capacity[1]
    width = 2 * settings["padding"] + max(cards["objective"]["width"], cards["key_result"]["width"])
    height = (
        2 * settings["padding"] + cards["objective"]["height"] + slots * (cards["key_result"]["height"] + cards["gap"])
    )
    return width, height


def objective_card(ctx: Context, slot: Slot, parent: str, box) -> PlannedItem:
    """Return an objective's card (title, type, owner, alignment), or a placeholder to overwrite."""
    objective = slot.item
    number = int(slot.ref[1:])
    if objective is None:
        title = card_text.format_card_title(slot.ref, ctx.label(Role.PLACEHOLDER_OBJECTIVE, number=number))
        description = card_text.html_lines([ctx.label("placeholder_objective_hint")])
        return card_item(
            f"objective:{slot.ref}",
            Role.PLACEHOLDER_OBJECTIVE,
            parent,
            box,
            title,
            description,
            objective_colour(ctx, None),
            entity=slot.ref,
        )
    lines = [
        ctx.label(f"types.{objective.type or 'unset'}"),
        ctx.label("owner", owner=objective.owner) if objective.owner else ctx.label("owner_missing"),
    ]
    if ctx.cycle.level is Level.TEAM:
        lines.append(alignment_line(ctx, objective))
    if objective.learning_goal:
        lines.append(ctx.label("learning_goal", text=objective.learning_goal))
    return card_item(
        f"objective:{slot.ref}",
        Role.OBJECTIVE_CARD,
        parent,
        box,
        card_text.format_card_title(slot.ref, objective.title),
        card_text.html_lines(lines),
        objective_colour(ctx, objective),
        entity=slot.ref,
    )


def alignment_line(ctx: Context, objective: Objective) -> str:
    """Return the line that names the company objective a team objective is aligned to."""
    ref = objective.aligned_to
    if not ref:
        return ctx.label("not_aligned")
    titles = {f"O{n}": o.title for n, o in enumerate(ctx.parent.objectives, start=1)} if ctx.parent else {}
    return ctx.label("aligned_to", ref=ref, title=titles.get(ref, "?"))


def kr_card(ctx: Context, slot: Slot, parent: str, box) -> PlannedItem:
    """Return a key result's card (title, target / current / score line, due date), or a placeholder."""
    kr = slot.item
    if kr is None:
        title = card_text.format_card_title(slot.ref, ctx.label("placeholder_key_result"))
        return card_item(
            f"card:{slot.ref}",
            Role.PLACEHOLDER_KR,
            parent,
            box,
            title,
            card_text.format_placeholder_description(ctx.language),
            objective_colour(ctx, None),
            entity=slot.ref,
        )
    return card_item(
        f"card:{slot.ref}",
        Role.KR_CARD,
        parent,
        box,
        card_text.format_card_title(slot.ref, kr.title),
        card_text.format_kr_description(kr, kr_score(kr), language=ctx.language),
        objective_colour(ctx, slot.objective),
        due=kr.due,
        entity=slot.ref,
    )


def is_tracked(slot: Slot) -> bool:
    """Return whether a key result's card lives in the Kanban (any status but draft) rather than its frame."""
    return slot.item is not None and slot.item.status is not KRStatus.DRAFT


def objectives_block(ctx: Context) -> Block:
    """Build one frame per objective: its card on top, then its draft key-result cards."""
    settings, cards = ctx.template["objectives"], ctx.template["cards"]
    frame_w, frame_h = objective_frame_size(ctx)
    count = ctx.capacity[0]  # room for every objective the method allows, so a new one lands on free board
    block = Block(count * frame_w + (count - 1) * settings["gap"], frame_h)
    pad, gap = settings["padding"], cards["gap"]
    for index, slot in enumerate(ctx.slots):
        x0 = index * (frame_w + settings["gap"])
        key = f"frame:{slot.ref}"
        block.frames.append(
            frame_item(
                ctx,
                key,
                Role.OBJECTIVE_FRAME,
                ctx.label("frame_objective", ref=slot.ref),
                x0,
                0,
                frame_w,
                frame_h,
                entity=slot.ref,
            )
        )
        block.areas.append(Area(key, Role.OBJECTIVE_FRAME, "objective", x0, 0, x0 + frame_w, frame_h, slot.ref))
        ow, oh = cards["objective"]["width"], cards["objective"]["height"]
        block.children.append(objective_card(ctx, slot, key, (x0 + (frame_w - ow) / 2, pad, ow, oh)))
        kw, kh = cards["key_result"]["width"], cards["key_result"]["height"]
        for kr_slot in slot.key_results:
            k = ctx.place(kr_slot.ref)[1]  # a removed key result's place stays empty
            if not is_tracked(kr_slot):
                box = (x0 + (frame_w - kw) / 2, pad + oh + gap + k * (kh + gap), kw, kh)
                block.children.append(kr_card(ctx, kr_slot, key, box))
    return block


def checkin_count(cycle: Cycle) -> int:
    """Return how many check-in columns the log has (the cycle's dates, six by default)."""
    return len(cycle.checkin_dates) or CHECKINS_PER_CYCLE


def ceil_div(a: int, b: int) -> int:
    """Return a / b rounded up."""
    return max(0, math.ceil(a / b))
