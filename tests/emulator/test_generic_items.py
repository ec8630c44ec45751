"""Generic items: cursor paging, filters, move, delete (and its dangerous twin with ?tag_id=), bulk create."""

from __future__ import annotations

import threading

import pytest
import requests

from tests.emulator.emu_kit import error, ok


def _stickies(api, board_id, count, **extra):
    for start in range(0, count, 20):
        batch = [
            {"type": "sticky_note", "data": {"content": f"note {n}"}, **extra}
            for n in range(start, min(count, start + 20))
        ]
        ok(api.post(f"/v2/boards/{board_id}/items/bulk", json=batch), 201)


def test_items_list_pages_with_a_cursor_until_no_cursor_is_returned(api, board_id):
    _stickies(api, board_id, 123)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 50, **({"cursor": cursor} if cursor else {})}
        page = ok(api.get(f"/v2/boards/{board_id}/items", params=params))
        pages += 1
        assert page["total"] == 123 and page["limit"] == 50 and page["size"] == len(page["data"])
        seen += [item["data"]["content"] for item in page["data"]]
        cursor = page.get("cursor")
        if not cursor:
            assert "next" not in page["links"]
            break
        assert "cursor=" in page["links"]["next"]
    assert pages == 3 and seen == [f"note {n}" for n in range(123)]


def test_items_list_default_page_is_10(api, board_id):
    _stickies(api, board_id, 12)
    page = ok(api.get(f"/v2/boards/{board_id}/items"))
    assert page["size"] == 10 and page["limit"] == 10 and "cursor" in page


@pytest.mark.parametrize("limit", ["9", "51", "0", "ten"])
def test_items_limit_outside_10_to_50_is_rejected(api, board_id, limit):
    body = error(api.get(f"/v2/boards/{board_id}/items", params={"limit": limit}))
    assert body["context"]["fields"][0]["field"] == "limit"


def test_items_list_with_unknown_type_or_bad_cursor_is_rejected(api, board_id):
    error(api.get(f"/v2/boards/{board_id}/items", params={"type": "sticky"}))
    error(api.get(f"/v2/boards/{board_id}/items", params={"cursor": "not base64!"}))


def test_items_list_filters_by_type_and_parent(api, board_id, frame):
    ok(api.post(f"/v2/boards/{board_id}/cards", json={"parent": {"id": frame["id"]}}), 201)
    ok(api.post(f"/v2/boards/{board_id}/cards", json={}), 201)
    ok(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"parent": {"id": frame["id"]}}), 201)
    cards = ok(api.get(f"/v2/boards/{board_id}/items", params={"type": "card"}))["data"]
    assert [c["type"] for c in cards] == ["card", "card"]
    children = ok(api.get(f"/v2/boards/{board_id}/items", params={"parent_item_id": frame["id"]}))["data"]
    assert {c["type"] for c in children} == {"card", "sticky_note"}
    assert all(c["parent"]["id"] == frame["id"] for c in children)
    both = ok(api.get(f"/v2/boards/{board_id}/items", params={"parent_item_id": frame["id"], "type": "card"}))
    assert both["total"] == 1
    error(api.get(f"/v2/boards/{board_id}/items", params={"parent_item_id": "3458764699999999999"}), 404)


def test_items_list_for_a_type_the_emulator_never_creates_is_empty(api, board_id):
    assert ok(api.get(f"/v2/boards/{board_id}/items", params={"type": "image"}))["data"] == []


def test_generic_get_and_move(api, board_id):
    note = ok(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "x"}}), 201)
    item = ok(api.get(f"/v2/boards/{board_id}/items/{note['id']}"))
    assert item["type"] == "sticky_note" and item["data"]["content"] == "x"
    moved = ok(api.patch(f"/v2/boards/{board_id}/items/{note['id']}", json={"position": {"x": 42, "y": -7}}))
    assert (moved["position"]["x"], moved["position"]["y"]) == (42, -7)


def test_delete_item_and_delete_with_tag_id_do_different_things(api, board_id):
    note = ok(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "x"}}), 201)
    tag = ok(api.post(f"/v2/boards/{board_id}/tags", json={"title": "t"}), 201)
    assert api.post(f"/v2/boards/{board_id}/items/{note['id']}", params={"tag_id": tag["id"]}).status_code == 204
    detach = api.delete(f"/v2/boards/{board_id}/items/{note['id']}", params={"tag_id": tag["id"]})
    assert detach.status_code == 204 and detach.content == b""
    ok(api.get(f"/v2/boards/{board_id}/items/{note['id']}"))  # still there
    assert api.delete(f"/v2/boards/{board_id}/items/{note['id']}").status_code == 204
    error(api.get(f"/v2/boards/{board_id}/items/{note['id']}"), 404)


def test_bulk_create_returns_items_in_request_order(api, board_id, frame):
    batch = [
        {"type": "card", "data": {"title": "KR"}, "position": {"x": 10, "y": 10}, "parent": {"id": frame["id"]}},
        {"type": "sticky_note", "data": {"content": "idea"}, "style": {"fillColor": "pink"}},
        {"type": "shape", "data": {"shape": "circle"}, "style": {"fillColor": "#ff0000"}},
        {"type": "text", "data": {"content": "label"}},
        {"type": "app_card", "data": {"title": "app"}},
        {"type": "frame", "data": {"title": "Another frame"}},
    ]
    result = ok(api.post(f"/v2/boards/{board_id}/items/bulk", json=batch), 201)
    assert result["type"] == "bulk-list"
    assert [i["type"] for i in result["data"]] == [b["type"] for b in batch]
    assert result["data"][0]["position"]["relativeTo"] == "parent_top_left"
    assert all(i["links"]["self"] for i in result["data"])


@pytest.mark.parametrize("count", [0, 21])
def test_bulk_outside_1_to_20_items_is_rejected(api, board_id, count):
    error(
        api.post(f"/v2/boards/{board_id}/items/bulk", json=[{"type": "sticky_note", "data": {"content": "x"}}] * count)
    )


def test_bulk_with_one_bad_item_creates_nothing(api, board_id):
    batch = [{"type": "sticky_note", "data": {"content": f"ok {n}"}} for n in range(5)]
    batch.insert(3, {"type": "sticky_note", "data": {"content": "bad"}, "geometry": {"width": 10, "height": 10}})
    batch.append({"type": "card", "data": {"title": 7}})
    body = error(api.post(f"/v2/boards/{board_id}/items/bulk", json=batch))
    assert [f["field"] for f in body["context"]["fields"]] == ["3.geometry", "6.data.title"]
    assert ok(api.get(f"/v2/boards/{board_id}/items"))["total"] == 0


def test_bulk_item_of_unknown_type_or_not_an_array_is_rejected(api, board_id):
    body = error(api.post(f"/v2/boards/{board_id}/items/bulk", json=[{"type": "widget"}]))
    assert body["context"]["fields"][0]["field"] == "0.type"
    error(api.post(f"/v2/boards/{board_id}/items/bulk", json={"type": "sticky_note"}))


def test_bulk_frame_with_a_parent_is_rejected(api, board_id, frame):
    error(
        api.post(
            f"/v2/boards/{board_id}/items/bulk", json=[{"type": "frame", "data": {}, "parent": {"id": frame["id"]}}]
        )
    )


def test_concurrent_bulk_creates_lose_nothing(emu, api, board_id):
    errors = []

    def worker(n):
        session = requests.Session()
        session.headers.update(emu.headers())
        batch = [{"type": "card", "data": {"title": f"{n}-{k}"}} for k in range(20)]
        response = session.post(f"{emu.base_url}/v2/boards/{board_id}/items/bulk", json=batch, timeout=10)
        if response.status_code != 201:
            errors.append(response.text)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = [i.id for i in emu.state.boards[board_id].items.values()]
    assert len(ids) == len(set(ids)) == 200
