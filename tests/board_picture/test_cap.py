"""A picture draws at most MAX_ITEMS items: frames first, then the items listed first; it says when it is partial."""

from board_picture import cap
from board_picture.render import draw_board


def sticky(item_id, parent=None):
    item = {"id": item_id, "type": "sticky_note", "data": {"content": f"<p>note {item_id}</p>"},
            "position": {"x": 0.0, "y": 0.0}, "geometry": {"width": 199}}  # fmt: skip
    if parent:
        item["parent"] = {"id": parent}
        item["position"]["relativeTo"] = "parent_top_left"
    return item


def frame(item_id):
    return {"id": item_id, "type": "frame", "data": {"title": item_id}, "position": {"x": 0.0, "y": 0.0},
            "geometry": {"width": 800, "height": 600}}  # fmt: skip


def test_a_board_within_the_cap_is_drawn_whole():
    items = [sticky(str(n)) for n in range(5)]
    assert cap.within_cap(items, 5) == cap.Capped(items, 0)


def test_frames_come_first_and_a_child_of_a_frame_left_out_is_left_out_too():
    items = [sticky("a"), sticky("b"), frame("F1"), sticky("c", parent="F1"), frame("F2"), sticky("d", parent="F9")]
    capped = cap.within_cap(items, 4)
    assert [item["id"] for item in capped.items] == ["F1", "F2", "a", "b"] and capped.left_out == 2
    capped = cap.within_cap(items, 5)
    assert [item["id"] for item in capped.items] == ["F1", "F2", "a", "b", "c"]  # d's frame F9 is not listed
    assert capped.left_out == 1


def test_a_picture_past_the_cap_draws_the_cap_and_says_how_many_it_left_out(monkeypatch):
    monkeypatch.setattr(cap, "MAX_ITEMS", 3)
    svg, _clipped = draw_board([sticky(str(n)) for n in range(10)], "svg", title="Big board", left_out=90)
    text = svg.decode()
    assert "note 0" in text and "note 2" in text and "note 3" not in text
    assert "Big board · Partial picture: 3 items drawn, 97 left out (at most 3)" in text
