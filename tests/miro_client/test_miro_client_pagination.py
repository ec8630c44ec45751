"""Both of Miro's paging schemes, fetched lazily: cursor (items, connectors) and offset (boards, tags, members)."""

from __future__ import annotations

import threading

import pytest
from responses import matchers

from miro_client import MiroError, NotFound
from tests.miro_client.miro_testkit import API, BOARD, BOARD_PATH

ITEMS_URL = API + BOARD_PATH + "/items"


def _items(start: int, count: int) -> list[dict]:
    return [{"id": str(n), "type": "sticky_note"} for n in range(start, start + count)]


def test_items_are_listed_page_by_page_following_the_cursor(miro, client, spec):
    miro.get(
        ITEMS_URL,
        json={"data": _items(0, 50), "cursor": "c1", "total": 120, "limit": 50},
        match=[matchers.query_param_matcher({"limit": "50"})],
    )
    miro.get(
        ITEMS_URL,
        json={"data": _items(50, 50), "cursor": "c2", "total": 120, "limit": 50},
        match=[matchers.query_param_matcher({"limit": "50", "cursor": "c1"})],
    )
    miro.get(
        ITEMS_URL,
        json={"data": _items(100, 20), "total": 120, "limit": 50},
        match=[matchers.query_param_matcher({"limit": "50", "cursor": "c2"})],
    )

    ids = [item["id"] for item in client.iter_items(BOARD)]

    assert ids == [str(n) for n in range(120)]
    for call in miro.calls:
        spec(call.request, "get-items")
    assert client.stats.snapshot()["credits"] == 3 * 100


def test_cursor_listing_fetches_a_page_only_when_iteration_needs_it(miro, client):
    miro.get(
        ITEMS_URL, json={"data": _items(0, 2), "cursor": "c1"}, match=[matchers.query_param_matcher({"limit": "50"})]
    )
    miro.get(
        ITEMS_URL, json={"data": _items(2, 1)}, match=[matchers.query_param_matcher({"limit": "50", "cursor": "c1"})]
    )

    items = client.iter_items(BOARD)
    assert len(miro.calls) == 0
    assert next(items)["id"] == "0"
    assert len(miro.calls) == 1
    assert [item["id"] for item in items] == ["1", "2"]
    assert len(miro.calls) == 2


def test_a_missing_total_does_not_end_a_cursor_listing_early(miro, client):
    # The official Python helper stops when `total` is falsy; only the cursor decides here.
    miro.get(
        ITEMS_URL,
        json={"data": _items(0, 1), "cursor": "c1", "total": 0},
        match=[matchers.query_param_matcher({"limit": "50"})],
    )
    miro.get(
        ITEMS_URL, json={"data": _items(1, 1)}, match=[matchers.query_param_matcher({"limit": "50", "cursor": "c1"})]
    )
    assert len(list(client.iter_items(BOARD))) == 2


def test_a_repeated_cursor_raises_instead_of_passing_off_a_partial_scan(miro, client):
    miro.get(
        ITEMS_URL, json={"data": _items(0, 1), "cursor": "same"}, match=[matchers.query_param_matcher({"limit": "50"})]
    )
    miro.get(
        ITEMS_URL,
        json={"data": _items(1, 1), "cursor": "same"},
        match=[matchers.query_param_matcher({"limit": "50", "cursor": "same"})],
    )
    with pytest.raises(MiroError, match="twice"):
        list(client.iter_items(BOARD))


def test_a_failing_page_raises_out_of_the_listing(miro, client):
    miro.get(
        ITEMS_URL, json={"data": _items(0, 1), "cursor": "c1"}, match=[matchers.query_param_matcher({"limit": "50"})]
    )
    miro.get(
        ITEMS_URL,
        status=404,
        json={"status": 404, "code": "notFound", "message": "Board not found"},
        match=[matchers.query_param_matcher({"limit": "50", "cursor": "c1"})],
    )
    seen = []
    with pytest.raises(NotFound):
        for item in client.iter_items(BOARD):
            seen.append(item["id"])
    assert seen == ["0"]


def test_connectors_follow_the_cursor_too(miro, client, spec):
    url = API + BOARD_PATH + "/connectors"
    miro.get(url, json={"data": [{"id": "c-1"}], "cursor": "n"}, match=[matchers.query_param_matcher({"limit": "50"})])
    miro.get(url, json={"data": [{"id": "c-2"}]}, match=[matchers.query_param_matcher({"limit": "50", "cursor": "n"})])
    assert [c["id"] for c in client.iter_connectors(BOARD)] == ["c-1", "c-2"]
    spec(miro.calls[1].request, "get-connectors")


@pytest.mark.parametrize("limit", [9, 51])
def test_items_limit_outside_miros_range_is_refused_before_any_request(client, limit):
    with pytest.raises(ValueError, match="between 10 and 50"):
        client.iter_items(BOARD, limit=limit)


def test_boards_are_listed_by_offset_until_the_total_is_reached(miro, client, spec):
    url = API + "/v2/boards"
    boards = [{"id": f"b{n}"} for n in range(5)]
    miro.get(
        url,
        json={"data": boards[:2], "total": 5, "offset": 0, "limit": 2},
        match=[matchers.query_param_matcher({"limit": "2", "offset": "0"})],
    )
    miro.get(
        url,
        json={"data": boards[2:4], "total": 5, "offset": 2, "limit": 2},
        match=[matchers.query_param_matcher({"limit": "2", "offset": "2"})],
    )
    miro.get(
        url,
        json={"data": boards[4:], "total": 5, "offset": 4, "limit": 2},
        match=[matchers.query_param_matcher({"limit": "2", "offset": "4"})],
    )

    assert list(client.iter_boards(limit=2)) == boards
    for call in miro.calls:
        spec(call.request, "get-boards")


def test_offset_listing_without_total_stops_at_a_short_page(miro, client):
    url = API + BOARD_PATH + "/tags"
    miro.get(
        url,
        json={"data": [{"id": "1"}, {"id": "2"}]},
        match=[matchers.query_param_matcher({"limit": "2", "offset": "0"})],
    )
    miro.get(url, json={"data": [{"id": "3"}]}, match=[matchers.query_param_matcher({"limit": "2", "offset": "2"})])
    assert [tag["id"] for tag in client.iter_tags(BOARD, limit=2)] == ["1", "2", "3"]


def test_offset_listing_stops_on_an_empty_page(miro, client):
    url = API + BOARD_PATH + "/members"
    miro.get(url, json={"data": [], "total": 3}, match=[matchers.query_param_matcher({"limit": "50", "offset": "0"})])
    assert list(client.iter_board_members(BOARD)) == []


def test_a_listing_may_be_consumed_in_another_thread(miro, client):
    miro.get(ITEMS_URL, json={"data": _items(0, 3)}, match=[matchers.query_param_matcher({"limit": "50"})])
    items = client.iter_items(BOARD)
    seen: list[str] = []
    worker = threading.Thread(target=lambda: seen.extend(item["id"] for item in items))
    worker.start()
    worker.join(5)
    assert seen == ["0", "1", "2"]


def test_frame_children_with_a_type_drop_items_of_another_parent(miro, client):
    # Field report: Miro can ignore parent_item_id when `type` is also given.
    data = [
        {"id": "1", "type": "card", "parent": {"id": "F"}},
        {"id": "2", "type": "card", "parent": {"id": "other"}},
        {"id": "3", "type": "card"},
    ]
    miro.get(
        ITEMS_URL,
        json={"data": data},
        match=[matchers.query_param_matcher({"limit": "50", "type": "card", "parent_item_id": "F"})],
    )
    assert [item["id"] for item in client.iter_items(BOARD, type="card", parent_item_id="F")] == ["1", "3"]
