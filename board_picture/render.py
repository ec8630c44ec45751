"""Draw a Miro board to SVG or PNG from its items, exactly as `GET /v2/boards/{id}/items` returns them.

Standalone on purpose (standard library, plus matplotlib imported inside the functions) so that the emulator's
board page and `okrboard board render` share it. Children of frames come with positions relative to the frame's
top-left corner (`relativeTo: parent_top_left`); the frame is in the same list and gives the absolute position.
Text is stripped of HTML, entities are decoded, then wrapped word by word inside its item as Miro does
(`board_picture.text`): sticky notes shrink their text to fit, everything else keeps its size and is cut with an
ellipsis where it runs out of its item. Items of type `connector` are drawn as arrows.
"""

from __future__ import annotations

import html
import io
import re

from board_picture import cap
from board_picture.text import LINE_HEIGHT, MAX_TEXT_CHARS, MIN_FONT_PX, clip, fit_text

# Miro's sticky note palette (named colours of StickyNoteStyle.fillColor).
STICKY_COLOURS = {
    "gray": "#e6e6e6",
    "light_yellow": "#fff9b1",
    "yellow": "#f5d128",
    "orange": "#ff9d48",
    "light_green": "#d5f692",
    "green": "#c9df56",
    "dark_green": "#93d275",
    "cyan": "#67c6c0",
    "light_pink": "#ffcee0",
    "pink": "#ea94bb",
    "violet": "#be88c7",
    "red": "#f24726",
    "light_blue": "#a6ccf5",
    "blue": "#2d9bf0",
    "dark_blue": "#414bb2",
    "black": "#1a1a1a",
}
DEFAULT_WIDTH_PX = 4000
MAX_HEIGHT_PX = 8000
DPI = 100
# Sizes Miro gives titles whatever their length (board units at 100% zoom): a frame's title, a card's title and
# description. Headings are sized by their level, never by how long they are.
FRAME_TITLE_UNITS = 40.0
CARD_TITLE_UNITS = 18.0
CARD_TEXT_UNITS = 14.0
# Raw text beyond this is never read: inline HTML (tags, entities) seldom takes more than this many characters for
# each one shown, and stripping a 50 MB text alone takes seconds.
MAX_RAW_CHARS = MAX_TEXT_CHARS * 8
__all__ = [
    "MAX_TEXT_CHARS",
    "MIN_FONT_PX",
    "draw_board",
    "fit_text",
    "plain",
    "render_board",
    "render_board_bytes",
]
_BREAKS = re.compile(r"<\s*(br\s*/?|/p|/li|/div)\s*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def plain(text: str | None) -> str:
    """Return Miro inline HTML as plain text: line breaks kept, tags stripped, entities decoded."""
    text = _TAGS.sub("", _BREAKS.sub("\n", text or ""))
    lines = (_SPACES.sub(" ", line).strip() for line in html.unescape(text).split("\n"))
    return "\n".join(line for line in lines if line)


def _hex(colour: str | None, default: str) -> str:
    """Return a matplotlib colour for Miro's `#rrggbb`, `#rrggbbaa` or a sticky colour name."""
    if not colour:
        return default
    if colour in STICKY_COLOURS:
        return STICKY_COLOURS[colour]
    if re.fullmatch(r"#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?", colour):
        return colour
    return default


def _is_dark(colour: str) -> bool:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue < 128


def _boxes(items: list[dict]) -> list[tuple[dict, float, float, float, float]]:
    """Return (item, centre x, centre y, width, height) in board coordinates for every positioned item."""
    by_id = {item.get("id"): item for item in items}
    boxes = []
    for item in items:
        position, geometry = item.get("position") or {}, item.get("geometry") or {}
        if "x" not in position or item.get("type") == "connector":
            continue
        x, y = float(position["x"]), float(position["y"])
        parent = by_id.get((item.get("parent") or {}).get("id"))
        if position.get("relativeTo") == "parent_top_left" and parent:
            px, py = float(parent["position"]["x"]), float(parent["position"]["y"])
            pw, ph = (float(parent["geometry"].get(k, 0)) for k in ("width", "height"))
            x, y = px - pw / 2 + x, py - ph / 2 + y
        width = float(geometry.get("width") or 100)
        height = float(geometry.get("height") or width * 0.3)
        boxes.append((item, x, y, width, height))
    return boxes


class _Painter:
    """Draws boxes and fitted text on a matplotlib axes whose data units are board units."""

    def __init__(self, ax, scale: float):
        self.ax, self.scale = ax, scale  # scale: pixels per board unit
        self.clipped = 0  # texts cut to MAX_TEXT_CHARS

    def rect(self, x, y, w, h, face, edge, *, width=1.0, alpha=1.0, z=1, rounded=False, style="solid"):
        from matplotlib.patches import FancyBboxPatch

        pad = min(w, h) * 0.06 if rounded else 0
        box = f"round,pad=0,rounding_size={pad:f}" if rounded else "square,pad=0"
        self.ax.add_patch(
            FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle=box,
                facecolor=face,
                edgecolor=edge,
                linewidth=width,
                alpha=alpha,
                zorder=z,
                linestyle=style,
            )
        )

    def shape(self, kind: str, x, y, w, h, face, edge, alpha, z=2):
        from matplotlib.patches import Ellipse, Polygon

        if kind == "circle":
            patch = Ellipse((x, y), w, h)
        elif kind in ("triangle", "rhombus", "hexagon"):
            points = {
                "triangle": [(0, -0.5), (0.5, 0.5), (-0.5, 0.5)],
                "rhombus": [(0, -0.5), (0.5, 0), (0, 0.5), (-0.5, 0)],
                "hexagon": [(-0.25, -0.5), (0.25, -0.5), (0.5, 0), (0.25, 0.5), (-0.25, 0.5), (-0.5, 0)],
            }[kind]
            patch = Polygon([(x + px * w, y + py * h) for px, py in points], closed=True)
        else:
            self.rect(x, y, w, h, face, edge, alpha=alpha, z=z, rounded=kind == "round_rectangle")
            return
        patch.set(facecolor=face, edgecolor=edge, alpha=alpha, zorder=z)
        self.ax.add_patch(patch)

    def text(
        self,
        text,
        x,
        y,
        w,
        h,
        *,
        max_px,
        colour="#1a1a1a",
        align="center",
        valign="center",
        bold=False,
        shrink=False,
        z=5,
    ):
        """Write `text` wrapped into the box of size w x h (board units) centred on x, y; only `shrink` (sticky
        notes) makes it smaller than max_px."""
        raw = text or ""
        text, cut = clip(plain(raw[:MAX_RAW_CHARS]))
        self.clipped += cut or len(raw) > MAX_RAW_CHARS
        if not text or w * self.scale < 4:
            return
        lines, size = fit_text(text, w * self.scale, h * self.scale, max_px, shrink=shrink, bold=bold)
        anchor_x = {"left": x - w / 2, "right": x + w / 2}.get(align, x)
        anchor_y = {"top": y - h / 2, "bottom": y + h / 2}.get(valign, y)
        self.ax.text(
            anchor_x,
            anchor_y,
            "\n".join(lines),
            fontsize=size * 72 / DPI,
            color=colour,
            ha=align,
            va=valign if valign != "middle" else "center",
            zorder=z,
            fontweight="bold" if bold else "normal",
            linespacing=LINE_HEIGHT,
            parse_math=False,
            clip_on=True,
        )


def _draw_item(paint: _Painter, item: dict, x, y, w, h) -> None:
    kind, data, style = item.get("type"), item.get("data") or {}, item.get("style") or {}
    scale = paint.scale
    if kind == "frame":
        fill = _hex(style.get("fillColor"), "#ffffff")
        paint.rect(x, y, w, h, fill if len(fill) == 7 else "#ffffff", "#8a8a8a", width=1.5, z=0.5)
        title_px = max(MIN_FONT_PX + 2, FRAME_TITLE_UNITS * scale)  # one size for every frame, on one line
        paint.text(
            data.get("title"),
            x,
            y - h / 2 - title_px / scale * 0.8,
            w,
            title_px * 1.3 / scale,
            max_px=title_px,
            align="left",
            bold=True,
            colour="#333333",
        )
    elif kind == "sticky_note":
        fill = _hex(style.get("fillColor"), STICKY_COLOURS["light_yellow"])
        paint.rect(x, y, w, h, fill, "#00000022", z=3)
        paint.text(
            data.get("content"),
            x,
            y,
            w * 0.88,
            h * 0.88,
            max_px=h * scale * 0.18,
            colour="#ffffff" if _is_dark(fill) else "#1a1a1a",
            align=style.get("textAlign", "center"),
            shrink=True,  # the one item whose text Miro sizes to fit
        )
    elif kind in ("card", "app_card"):
        theme = _hex(style.get("cardTheme") or style.get("fillColor"), "#2d9bf0")[:7]
        paint.rect(x, y, w, h, "#ffffff", "#c8c8c8", z=3, rounded=True)
        paint.rect(x, y - h / 2 + h * 0.04, w, h * 0.08, theme, theme, z=3.1)
        inner_w, top = w * 0.9, y - h / 2 + h * 0.1
        description = plain(data.get("description"))
        title_h = h * (0.58 if description else 0.85)
        title_px = max(MIN_FONT_PX, CARD_TITLE_UNITS * scale)
        paint.text(data.get("title"), x, top + title_h / 2, inner_w, title_h, max_px=title_px, align="left", bold=True)
        if description:
            text_px = max(MIN_FONT_PX, CARD_TEXT_UNITS * scale)
            paint.text(description, x, top + title_h + h * 0.14, inner_w, h * 0.28, max_px=text_px, align="left")
    elif kind == "shape":
        fill = _hex(style.get("fillColor"), "#ffffff")[:7]
        opacity = float(style.get("fillOpacity") or 1.0)
        paint.shape(
            data.get("shape", "rectangle"),
            x,
            y,
            w,
            h,
            fill,
            _hex(style.get("borderColor"), "#1a1a1a")[:7],
            max(opacity, 0.05),
        )
        # Miro draws a shape's text at its fontSize, aligned as textAlign / textAlignVertical say.
        font_px = float(style.get("fontSize") or 14) * scale
        max_px = max(font_px, MIN_FONT_PX)
        paint.text(
            data.get("content"),
            x,
            y,
            w * 0.9,
            h * 0.9,
            max_px=max_px,
            colour=_hex(style.get("color"), "#1a1a1a")[:7],
            align=style.get("textAlign", "center"),
            valign=style.get("textAlignVertical", "middle"),
        )
    elif kind == "text":
        font_px = float(style.get("fontSize") or 14) * scale
        # Miro gives a text the height its wrapped lines need: the box only limits the width. Text drawn larger
        # than Miro's size (the legible minimum) gets a box as much wider, so it breaks where Miro's does.
        size = max(font_px, MIN_FONT_PX)
        paint.text(
            data.get("content"),
            x - w / 2 + w * size / max(font_px, 0.1) / 2 if style.get("textAlign", "left") == "left" else x,
            y - h / 2 + 20 * size / scale,
            w * size / max(font_px, 0.1),
            40 * size / scale,
            max_px=size,
            colour=_hex(style.get("color"), "#1a1a1a")[:7],
            align=style.get("textAlign", "left"),
            valign="top",
        )


def _draw_connector(ax, connector: dict, centres: dict) -> None:
    from matplotlib.patches import FancyArrowPatch

    start = centres.get((connector.get("startItem") or {}).get("id"))
    end = centres.get((connector.get("endItem") or {}).get("id"))
    if start and end:
        ax.add_patch(
            FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color="#555555", linewidth=1.0, zorder=2.5)
        )


def render_board_bytes(
    items: list[dict], fmt: str = "svg", title: str | None = None, width_px: int = DEFAULT_WIDTH_PX
) -> bytes:
    """Return the board drawn as SVG or PNG bytes."""
    return draw_board(items, fmt, title, width_px)[0]


def _heading(title: str | None, drawn: int, left_out: int) -> str:
    """The picture's heading: its title, and on a partial picture how many items it shows."""
    most = f"at most {cap.MAX_ITEMS:,}"
    note = f"Partial picture: {drawn:,} items drawn, {left_out:,} left out ({most})" if left_out else ""
    return " · ".join(part for part in (plain(title), note) if part)


def draw_board(
    items: list[dict],
    fmt: str = "svg",
    title: str | None = None,
    width_px: int = DEFAULT_WIDTH_PX,
    *,
    left_out: int = 0,
) -> tuple[bytes, int]:
    """Return the board drawn as SVG or PNG bytes, and how many texts were cut to MAX_TEXT_CHARS; at most
    cap.MAX_ITEMS items are drawn (`left_out`: how many the caller did not even pass, for the heading)."""
    import matplotlib
    from matplotlib.figure import Figure

    capped = cap.within_cap(items)
    items, heading = capped.items, _heading(title, len(capped.items), left_out + capped.left_out)
    boxes = _boxes(items)
    if boxes:
        left = min(x - w / 2 for _, x, _, w, _ in boxes)
        right = max(x + w / 2 for _, x, _, w, _ in boxes)
        top = min(y - h / 2 for _, _, y, _, h in boxes)
        bottom = max(y + h / 2 for _, _, y, _, h in boxes)
    else:
        left, right, top, bottom = -500.0, 500.0, -300.0, 300.0
    margin = max(right - left, bottom - top) * 0.01 + 20
    left, right, top, bottom = left - margin, right + margin, top - margin, bottom + margin
    width_px = min(width_px, int(width_px * MAX_HEIGHT_PX / max(1, width_px * (bottom - top) / (right - left))))
    top -= 60 * (right - left) / width_px  # room for the titles of frames at the top edge
    scale = width_px / (right - left)
    title_px = 60 if heading else 0
    height_px = (bottom - top) * scale + title_px
    figure = Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI, facecolor="#f7f7f5")
    ax = figure.add_axes((0, 0, 1, 1 - title_px / height_px))
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)  # board y grows downwards
    ax.set_axis_off()
    if heading:
        figure.text(
            0.01,
            1 - (title_px / 2) / height_px,
            heading,
            fontsize=32 * 72 / DPI,
            va="center",
            fontweight="bold",
            color="#222222",
            parse_math=False,
        )
    paint = _Painter(ax, scale)
    for item, x, y, w, h in boxes:
        _draw_item(paint, item, x, y, w, h)
    if not boxes:
        paint.text("(empty board)", 0, 0, 800, 200, max_px=40, colour="#888888")
    centres = {item.get("id"): (x, y) for item, x, y, _, _ in boxes}
    for item in items:
        if item.get("type") == "connector":
            _draw_connector(ax, item, centres)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format=fmt, dpi=DPI, facecolor=figure.get_facecolor())
    return buffer.getvalue(), paint.clipped


def render_board(items: list[dict], out_path: str, *, title: str | None = None, left_out: int = 0) -> int:
    """Write the board picture to `out_path`, as SVG or PNG by its extension; return how many texts were cut."""
    fmt = "png" if str(out_path).lower().endswith(".png") else "svg"
    picture, clipped = draw_board(items, fmt=fmt, title=title, left_out=left_out)
    with open(out_path, "wb") as handle:
        handle.write(picture)
    return clipped
