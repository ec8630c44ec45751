"""The board renderer shared by the emulator's board page and `okrboard board render`."""

from __future__ import annotations

import io
import time

import pytest

from board_picture import render as board_picture
from board_picture.render import MIN_FONT_PX, fit_text, plain, render_board, render_board_bytes
from board_picture.text import text_width


def _item(item_id, kind, x, y, w, h, parent=None, **fields):
    item = {
        "id": item_id,
        "type": kind,
        "position": {
            "x": x,
            "y": y,
            "origin": "center",
            "relativeTo": "parent_top_left" if parent else "canvas_center",
        },
        "geometry": {"width": w, "height": h},
        "data": fields.pop("data", {}),
        "style": fields.pop("style", {}),
    }
    if parent:
        item["parent"] = {"id": parent}
    return item


def big_board() -> list[dict]:
    """About 300 items over 15,000 x 6,000 board units: 15 frames of 19 children, like a generated OKR board."""
    items, next_id = [], 1
    kinds = ("card", "sticky_note", "shape", "text")
    for f in range(15):
        frame_id = str(next_id)
        next_id += 1
        items.append(
            _item(
                frame_id,
                "frame",
                -6000 + (f % 5) * 3000,
                -2000 + (f // 5) * 2000,
                2800,
                1800,
                data={"title": f"O{f + 1}: Become the go-to tool &amp; more"},
            )
        )
        for k in range(19):
            kind = kinds[k % 4]
            data = {
                "card": {
                    "title": f"<p>KR {k}: Signed design partners</p>",
                    "description": "<p>Target: 10,000 · Current: 6,500</p>",
                },
                "sticky_note": {"content": "<p>Idea: a webinar with partners</p>"},
                "shape": {"content": "In progress", "shape": "circle"},
                "text": {"content": "Check-in 3: 0.4"},
            }[kind]
            size = {"card": (320, 94), "sticky_note": (199, 228), "shape": (400, 200), "text": (400, 34)}[kind]
            items.append(
                _item(
                    str(next_id),
                    kind,
                    200 + (k % 5) * 520,
                    250 + (k // 5) * 420,
                    *size,
                    parent=frame_id,
                    data=data,
                    style={"fillColor": "light_green", "fontSize": "24"},
                )
            )
            next_id += 1
    return items


def test_plain_strips_tags_and_decodes_entities():
    assert plain("<p>Target: 10,000 &amp; more</p><p>Score:&nbsp;0.65</p>") == "Target: 10,000 & more\nScore:\xa00.65"
    assert plain(None) == ""


def test_fit_text_shrinks_then_truncates_at_a_legible_size():
    lines, size = fit_text("short", 400, 100, max_px=40)
    assert lines == ["short"] and size == 40
    lines, size = fit_text("word " * 200, 100, 30, max_px=20)
    assert size == MIN_FONT_PX and lines[-1].endswith("…") and len(lines) == 3


def test_frame_children_are_placed_from_the_frame_corner():
    boxes = board_picture._boxes(
        [
            _item("f", "frame", 1000, 500, 800, 600),
            _item("c", "card", 100, 50, 320, 94, parent="f"),
        ]
    )
    assert [(item["id"], x, y) for item, x, y, _, _ in boxes] == [("f", 1000, 500), ("c", 700, 250)]


def test_svg_and_png_are_written_by_extension(tmp_path):
    items = [
        _item("f", "frame", 0, 0, 800, 600, data={"title": "Kanban"}),
        _item(
            "s",
            "sticky_note",
            100,
            100,
            199,
            228,
            parent="f",
            data={"content": "idea"},
            style={"fillColor": "dark_blue"},
        ),
        {"id": "k", "type": "connector", "startItem": {"id": "f"}, "endItem": {"id": "s"}},
    ]
    render_board(items, str(tmp_path / "b.svg"), title="Board")
    render_board(items, str(tmp_path / "b.png"))
    assert b"Kanban" in (tmp_path / "b.svg").read_bytes()
    assert (tmp_path / "b.png").read_bytes().startswith(b"\x89PNG")


def test_empty_board_renders():
    assert render_board_bytes([], fmt="svg").startswith(b"<?xml")


def test_a_300_item_board_renders_4000_px_wide_with_legible_text(monkeypatch):
    sizes: list[float] = []
    original = board_picture.fit_text

    def spy(*args, **kwargs):
        lines, size = original(*args, **kwargs)
        sizes.append(size)
        return lines, size

    monkeypatch.setattr(board_picture, "fit_text", spy)
    items = big_board()
    assert len(items) == 300
    started = time.perf_counter()
    png = render_board_bytes(items, fmt="png", title="GTM Q1 2027")
    assert time.perf_counter() - started < 30
    image = pytest.importorskip("PIL.Image").open(io.BytesIO(png))
    assert image.size[0] == 4000 and 1000 < image.size[1] < 3000
    assert len(sizes) >= 300 and min(sizes) >= MIN_FONT_PX


def test_wrapped_lines_never_run_out_of_their_box():
    for text in ["Co-host a webinar with a partner", "Paris ambitieux : si les moyens le permettent", "x" * 80]:
        for width in (60, 120, 300):
            lines, size = fit_text(text, width, 400, max_px=14, shrink=False)
            assert all(text_width(line, size) <= width for line in lines), (text, width)


def test_a_sticky_note_shrinks_its_text_until_every_word_is_whole():
    lines, size = fit_text("Build a custom integration for onboarding", 60, 70, max_px=16, shrink=True)
    assert size < 16
    assert sorted(" ".join(lines).split()) == sorted("Build a custom integration for onboarding".split())


def test_shapes_and_titles_keep_their_size_and_cut_what_does_not_fit():
    short, short_size = fit_text("Done", 200, 20, max_px=12, shrink=False)
    long, long_size = fit_text("Paris ambitieux : si les moyens le permettent " * 6, 200, 20, max_px=12, shrink=False)
    assert short_size == long_size == 12 and short == ["Done"]
    assert len(long) == 1 and long[0].endswith("…") and text_width(long[0], 12) <= 200


def test_frame_and_card_titles_are_drawn_at_one_size_whatever_their_length(monkeypatch):
    seen = []
    original = board_picture.fit_text

    def spy(text, *args, **kwargs):
        lines, size = original(text, *args, **kwargs)
        seen.append((text, size))
        return lines, size

    monkeypatch.setattr(board_picture, "fit_text", spy)
    items = [
        _item("f1", "frame", 0, 0, 3000, 2000, data={"title": "Log"}),
        _item("f2", "frame", 4000, 0, 800, 600, data={"title": "Ideas for KR1.1: Signed design partners in DACH"}),
        _item("c1", "card", 200, 200, 300, 140, parent="f1", data={"title": "KR1.1 · Demos"}),
        _item("c2", "card", 600, 200, 300, 140, parent="f1", data={"title": "KR1.2 · Qualified demos booked by"}),
    ]
    render_board_bytes(items, fmt="svg")
    sizes = dict(seen)
    assert sizes["Log"] == sizes["Ideas for KR1.1: Signed design partners in DACH"]
    assert sizes["KR1.1 · Demos"] == sizes["KR1.2 · Qualified demos booked by"]


def test_a_text_longer_than_the_limit_is_cut_before_layout_and_counted():
    from board_picture.render import MAX_RAW_CHARS, draw_board
    from board_picture.text import MAX_TEXT_CHARS, clip

    distinct = " ".join(f"idea{n}" for n in range(200_000))  # distinct words: no width is measured twice
    huge_html = "<p>" + "<b>x</b> " * (MAX_RAW_CHARS // 4) + "</p>"
    items = [
        {"id": "1", "type": "sticky_note", "data": {"content": distinct}, "position": {"x": 0, "y": 0}},
        {"id": "2", "type": "shape", "data": {"content": huge_html}, "position": {"x": 300, "y": 0}},
        {"id": "3", "type": "sticky_note", "data": {"content": "short"}, "position": {"x": 600, "y": 0}},
    ]
    for item in items:
        item["geometry"] = {"width": 200, "height": 200}
    svg, clipped = draw_board(items, "svg")
    assert clipped == 2
    assert b"idea0" in svg and b"idea199999" not in svg and b"short" in svg
    cut, was_cut = clip(distinct)
    assert was_cut and len(cut) <= MAX_TEXT_CHARS and cut.endswith("…")
    assert clip("x" * MAX_TEXT_CHARS) == ("x" * MAX_TEXT_CHARS, False)
