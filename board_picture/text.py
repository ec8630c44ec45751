"""Measure and wrap text the way Miro lays it out: whole words per line at the item's font size.

Miro wraps a sticky note's, card's, shape's or text's words inside the item. Only sticky notes size their text to
fit: their style has no font size (StickyNoteStyle in Miro's OpenAPI spec,
https://developers.miro.com/reference/create-sticky-note-item), while shapes and texts keep the `fontSize` they
were given (ShapeStyle, TextStyle), and card and frame titles keep Miro's; what does not fit is cut off (drawn
here with an ellipsis). Widths are measured
with the font the picture is drawn in (matplotlib's DejaVu Sans), so a wrapped line never runs out of its box.
"""

from __future__ import annotations

from functools import lru_cache

MIN_FONT_PX = 8.0  # below this, text is not legible in a picture: truncate instead of shrinking further
# The most characters of one item's text that are laid out: about a page, more than a 200 x 200 sticky shows at
# MIN_FONT_PX (some 600). A sticky's layout time grows with its text (2,000 characters of distinct words take 0.4 s,
# 5,000 take 1.4 s), so the rest is cut before layout, and the cut is shown with an ellipsis.
MAX_TEXT_CHARS = 2_000
LINE_HEIGHT = 1.25
_REFERENCE_PX = 100.0


@lru_cache(maxsize=2)
def _font(bold: bool):
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(
        font_manager.FontProperties(family=["sans-serif"], weight="bold" if bold else "normal")
    )
    font = FT2Font(path)
    font.set_size(_REFERENCE_PX, 72)  # 72 dpi: points are pixels
    return font


@lru_cache(maxsize=65536)
def _reference_width(text: str, bold: bool) -> float:
    font = _font(bold)
    font.set_text(text, 0.0)
    return font.get_width_height()[0] / 64


def clip(text: str) -> tuple[str, bool]:
    """Return the text cut to MAX_TEXT_CHARS (with '…') and whether it was cut."""
    if len(text) <= MAX_TEXT_CHARS:
        return text, False
    return text[: MAX_TEXT_CHARS - 1].rstrip() + "…", True


def text_width(text: str, size_px: float, *, bold: bool = False) -> float:
    """Return the width in pixels of one line of text at a font size."""
    return _reference_width(text, bold) * size_px / _REFERENCE_PX if text else 0.0


def wrap(text: str, width_px: float, size_px: float, *, bold: bool = False) -> list[str]:
    """Break text into lines no wider than width_px: whole words, a word too long for a line broken inside."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size_px, bold=bold) <= width_px:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while text_width(word, size_px, bold=bold) > width_px and len(word) > 1:
                cut = _longest_prefix(word, width_px, size_px, bold)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _longest_prefix(word: str, width_px: float, size_px: float, bold: bool) -> int:
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(word[:middle], size_px, bold=bold) <= width_px:
            low = middle
        else:
            high = middle - 1
    return low


def fit_text(
    text: str, width_px: float, height_px: float, max_px: float, *, shrink: bool = True, bold: bool = False
) -> tuple[list[str], float]:
    """Return (lines, font size in px) for a box: wrapped at max_px; with `shrink` (sticky notes) the size goes
    down until the text fits; what still does not fit is cut with '…' (never below MIN_FONT_PX)."""
    size = max(MIN_FONT_PX, max_px)
    if shrink:
        size = max(MIN_FONT_PX, min(max_px, height_px / LINE_HEIGHT))
    words = len(text.split())
    while True:
        lines = wrap(text, width_px, size, bold=bold)
        room = max(1, int(height_px / (LINE_HEIGHT * size) + 1e-9))
        # a sticky shrinks until its words fit whole, as Miro's do; elsewhere a long word is broken
        whole = not shrink or size <= MIN_FONT_PX or sum(len(line.split()) for line in lines) == words
        if len(lines) <= room and whole:
            return lines, size
        if not shrink or size <= MIN_FONT_PX:
            kept = lines[:room]
            last = kept[-1]
            while last and text_width(last + "…", size, bold=bold) > width_px:
                last = last[:-1].rstrip()
            kept[-1] = last + "…"
            return kept, size
        size = max(MIN_FONT_PX, size * 0.92)
