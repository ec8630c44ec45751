"""Every public operation sends the request Miro's spec describes and returns what Miro answered."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from responses import matchers

from miro_client import MiroClient
from tests.miro_client.miro_testkit import API, BOARD, BOARD_PATH

ITEM = "3458764517517819000"
FRAME = "3458764517517819111"
TAG = "3458764517517852417"
MEMBER = "3458764517517800001"

BOARD_JSON = {"id": BOARD, "type": "board", "name": "GTM Q1 2027", "viewLink": "https://miro.com/app/board/x"}
TOKEN_CONTEXT = {
    "type": "oauth",
    "team": {"type": "team", "name": "GTM", "id": "3074457350804038700"},
    "user": {"type": "user", "name": "Ana", "id": "3074457350804038701"},
    "createdBy": {"type": "user", "name": "Ana", "id": "3074457350804038701"},
    "scopes": ["boards:read", "boards:write"],
}
TAG_JSON = {"id": TAG, "type": "tag", "title": "at risk", "fillColor": "red"}
MEMBER_JSON = {"id": MEMBER, "name": "Ben", "role": "editor", "type": "board_member"}


def item_json(item_type: str, item_id: str = ITEM, **extra: Any) -> dict:
    return {"id": item_id, "type": item_type, "data": {}, "position": {"x": 0, "y": 0}, **extra}


def offset_page(data: list) -> dict:
    return {"data": data, "total": len(data), "size": len(data), "offset": 0, "limit": 50}


@dataclass
class Case:
    """One public method, the request it must send and the answer Miro gives."""

    method: str
    call: Callable[[MiroClient], Any]
    operation_id: str
    http: str
    path: str
    query: dict[str, str] | None = None
    body: Any = None
    status: int = 200
    reply: Any = None
    expect: Any = field(default=None)

    def __str__(self) -> str:  # pytest id
        return self.method


CARD_DATA = {
    "title": "Signed design partners",
    "description": "Target: 5 · Current: 0",
    "dueDate": "2027-03-15T00:00:00Z",
}
SHAPE_STYLE = {"fillColor": "#d5f692", "fontSize": "14", "borderWidth": "2.0", "textAlign": "center"}
POSITION = {"x": 120.0, "y": 80.0}

CASES = [
    Case(
        "get_token_context",
        lambda c: c.get_token_context(),
        "token-info",
        "GET",
        "/v1/oauth-token",
        reply=TOKEN_CONTEXT,
        expect=TOKEN_CONTEXT,
    ),
    Case(
        "create_board",
        lambda c: c.create_board(
            name="GTM Q1 2027", description="OKR workshop", policy={"sharingPolicy": {"access": "private"}}
        ),
        "create-board",
        "POST",
        "/v2/boards",
        body={"name": "GTM Q1 2027", "description": "OKR workshop", "policy": {"sharingPolicy": {"access": "private"}}},
        status=201,
        reply=BOARD_JSON,
        expect=BOARD_JSON,
    ),
    Case(
        "get_board",
        lambda c: c.get_board(BOARD),
        "get-specific-board",
        "GET",
        BOARD_PATH,
        reply=BOARD_JSON,
        expect=BOARD_JSON,
    ),
    Case(
        "iter_boards",
        lambda c: list(c.iter_boards(team_id="3074457350804038700", sort="last_created")),
        "get-boards",
        "GET",
        "/v2/boards",
        query={"team_id": "3074457350804038700", "sort": "last_created", "limit": "50", "offset": "0"},
        reply=offset_page([BOARD_JSON]),
        expect=[BOARD_JSON],
    ),
    Case(
        "update_board",
        lambda c: c.update_board(BOARD, name="GTM Q2 2027"),
        "update-board",
        "PATCH",
        BOARD_PATH,
        body={"name": "GTM Q2 2027"},
        reply=BOARD_JSON,
        expect=BOARD_JSON,
    ),
    Case(
        "copy_board",
        lambda c: c.copy_board(BOARD, name="GTM Q2 2027"),
        "copy-board",
        "PUT",
        "/v2/boards",
        query={"copy_from": BOARD},
        body={"name": "GTM Q2 2027"},
        status=201,
        reply=BOARD_JSON,
        expect=BOARD_JSON,
    ),
    Case("delete_board", lambda c: c.delete_board(BOARD), "delete-board", "DELETE", BOARD_PATH, status=204),
    Case(
        "share_board",
        lambda c: c.share_board(BOARD, emails=["ben@example.com"], role="editor"),
        "share-board",
        "POST",
        BOARD_PATH + "/members",
        body={"emails": ["ben@example.com"], "role": "editor"},
        status=201,
        reply={"successful": [1], "failed": []},
        expect={"successful": [1], "failed": []},
    ),
    Case(
        "iter_board_members",
        lambda c: list(c.iter_board_members(BOARD)),
        "get-board-members",
        "GET",
        BOARD_PATH + "/members",
        query={"limit": "50", "offset": "0"},
        reply=offset_page([MEMBER_JSON]),
        expect=[MEMBER_JSON],
    ),
    Case(
        "get_board_member",
        lambda c: c.get_board_member(BOARD, MEMBER),
        "get-specific-board-member",
        "GET",
        f"{BOARD_PATH}/members/{MEMBER}",
        reply=MEMBER_JSON,
        expect=MEMBER_JSON,
    ),
    # Typed items
    Case(
        "create_frame",
        lambda c: c.create_frame(
            BOARD,
            data={"title": "O1", "format": "custom", "type": "freeform"},
            style={"fillColor": "#f5f6f8"},
            position=POSITION,
            geometry={"width": 1600, "height": 900},
        ),
        "create-frame-item",
        "POST",
        BOARD_PATH + "/frames",
        body={
            "data": {"title": "O1", "format": "custom", "type": "freeform"},
            "style": {"fillColor": "#f5f6f8"},
            "position": POSITION,
            "geometry": {"width": 1600, "height": 900},
        },
        status=201,
        reply=item_json("frame"),
        expect=item_json("frame"),
    ),
    Case(
        "create_card",
        lambda c: c.create_card(
            BOARD,
            data=CARD_DATA,
            style={"cardTheme": "#2d9bf0"},
            position=POSITION,
            geometry={"width": 320, "height": 120, "rotation": 0},
            parent_id=FRAME,
        ),
        "create-card-item",
        "POST",
        BOARD_PATH + "/cards",
        body={
            "data": CARD_DATA,
            "style": {"cardTheme": "#2d9bf0"},
            "position": POSITION,
            "geometry": {"width": 320, "height": 120, "rotation": 0},
            "parent": {"id": FRAME},
        },
        status=201,
        reply=item_json("card"),
        expect=item_json("card"),
    ),
    Case(
        "create_app_card",
        lambda c: c.create_app_card(
            BOARD,
            data={"title": "KR1", "status": "connected", "fields": [{"value": "0.65", "tooltip": "Score"}]},
            style={"fillColor": "#2d9bf0"},
            parent_id=FRAME,
        ),
        "create-app-card-item",
        "POST",
        BOARD_PATH + "/app_cards",
        body={
            "data": {"title": "KR1", "status": "connected", "fields": [{"value": "0.65", "tooltip": "Score"}]},
            "style": {"fillColor": "#2d9bf0"},
            "parent": {"id": FRAME},
        },
        status=201,
        reply=item_json("app_card"),
        expect=item_json("app_card"),
    ),
    Case(
        "create_sticky_note",
        lambda c: c.create_sticky_note(
            BOARD,
            data={"content": "Idea", "shape": "square"},
            style={"fillColor": "light_yellow", "textAlign": "center"},
            position=POSITION,
            geometry={"width": 199},
        ),
        "create-sticky-note-item",
        "POST",
        BOARD_PATH + "/sticky_notes",
        body={
            "data": {"content": "Idea", "shape": "square"},
            "style": {"fillColor": "light_yellow", "textAlign": "center"},
            "position": POSITION,
            "geometry": {"width": 199},
        },
        status=201,
        reply=item_json("sticky_note"),
        expect=item_json("sticky_note"),
    ),
    Case(
        "create_shape",
        lambda c: c.create_shape(
            BOARD,
            data={"content": "Quick wins", "shape": "rectangle"},
            style=SHAPE_STYLE,
            position=POSITION,
            geometry={"width": 400, "height": 300},
            parent_id=FRAME,
        ),
        "create-shape-item",
        "POST",
        BOARD_PATH + "/shapes",
        body={
            "data": {"content": "Quick wins", "shape": "rectangle"},
            "style": SHAPE_STYLE,
            "position": POSITION,
            "geometry": {"width": 400, "height": 300},
            "parent": {"id": FRAME},
        },
        status=201,
        reply=item_json("shape"),
        expect=item_json("shape"),
    ),
    Case(
        "create_text",
        lambda c: c.create_text(
            BOARD,
            data={"content": "<p>Impact ↑</p>"},
            style={"fontSize": "24", "textAlign": "left"},
            geometry={"width": 300},
        ),
        "create-text-item",
        "POST",
        BOARD_PATH + "/texts",
        body={
            "data": {"content": "<p>Impact ↑</p>"},
            "style": {"fontSize": "24", "textAlign": "left"},
            "geometry": {"width": 300},
        },
        status=201,
        reply=item_json("text"),
        expect=item_json("text"),
    ),
    Case(
        "update_frame",
        lambda c: c.update_frame(BOARD, ITEM, data={"title": "O1 renamed"}),
        "update-frame-item",
        "PATCH",
        f"{BOARD_PATH}/frames/{ITEM}",
        body={"data": {"title": "O1 renamed"}},
        reply=item_json("frame"),
        expect=item_json("frame"),
    ),
    Case(
        "update_card",
        lambda c: c.update_card(BOARD, ITEM, data={"description": "Score: 0.7"}, parent_id=FRAME),
        "update-card-item",
        "PATCH",
        f"{BOARD_PATH}/cards/{ITEM}",
        body={"data": {"description": "Score: 0.7"}, "parent": {"id": FRAME}},
        reply=item_json("card"),
        expect=item_json("card"),
    ),
    Case(
        "update_app_card",
        lambda c: c.update_app_card(BOARD, ITEM, data={"status": "disabled"}),
        "update-app-card-item",
        "PATCH",
        f"{BOARD_PATH}/app_cards/{ITEM}",
        body={"data": {"status": "disabled"}},
        reply=item_json("app_card"),
        expect=item_json("app_card"),
    ),
    Case(
        "update_sticky_note",
        lambda c: c.update_sticky_note(BOARD, ITEM, style={"fillColor": "green"}, position=POSITION),
        "update-sticky-note-item",
        "PATCH",
        f"{BOARD_PATH}/sticky_notes/{ITEM}",
        body={"style": {"fillColor": "green"}, "position": POSITION},
        reply=item_json("sticky_note"),
        expect=item_json("sticky_note"),
    ),
    Case(
        "update_shape",
        lambda c: c.update_shape(BOARD, ITEM, style={"fontSize": "18"}, geometry={"width": 500}),
        "update-shape-item",
        "PATCH",
        f"{BOARD_PATH}/shapes/{ITEM}",
        body={"style": {"fontSize": "18"}, "geometry": {"width": 500}},
        reply=item_json("shape"),
        expect=item_json("shape"),
    ),
    Case(
        "update_text",
        lambda c: c.update_text(BOARD, ITEM, data={"content": "Effort →"}),
        "update-text-item",
        "PATCH",
        f"{BOARD_PATH}/texts/{ITEM}",
        body={"data": {"content": "Effort →"}},
        reply=item_json("text"),
        expect=item_json("text"),
    ),
    Case(
        "get_frame",
        lambda c: c.get_frame(BOARD, ITEM),
        "get-frame-item",
        "GET",
        f"{BOARD_PATH}/frames/{ITEM}",
        reply=item_json("frame"),
        expect=item_json("frame"),
    ),
    Case(
        "get_card",
        lambda c: c.get_card(BOARD, ITEM),
        "get-card-item",
        "GET",
        f"{BOARD_PATH}/cards/{ITEM}",
        reply=item_json("card"),
        expect=item_json("card"),
    ),
    Case(
        "get_app_card",
        lambda c: c.get_app_card(BOARD, ITEM),
        "get-app-card-item",
        "GET",
        f"{BOARD_PATH}/app_cards/{ITEM}",
        reply=item_json("app_card"),
        expect=item_json("app_card"),
    ),
    Case(
        "get_sticky_note",
        lambda c: c.get_sticky_note(BOARD, ITEM),
        "get-sticky-note-item",
        "GET",
        f"{BOARD_PATH}/sticky_notes/{ITEM}",
        reply=item_json("sticky_note"),
        expect=item_json("sticky_note"),
    ),
    Case(
        "get_shape",
        lambda c: c.get_shape(BOARD, ITEM),
        "get-shape-item",
        "GET",
        f"{BOARD_PATH}/shapes/{ITEM}",
        reply=item_json("shape"),
        expect=item_json("shape"),
    ),
    Case(
        "get_text",
        lambda c: c.get_text(BOARD, ITEM),
        "get-text-item",
        "GET",
        f"{BOARD_PATH}/texts/{ITEM}",
        reply=item_json("text"),
        expect=item_json("text"),
    ),
    # Generic items
    Case(
        "get_item",
        lambda c: c.get_item(BOARD, ITEM),
        "get-specific-item",
        "GET",
        f"{BOARD_PATH}/items/{ITEM}",
        reply=item_json("card"),
        expect=item_json("card"),
    ),
    Case(
        "iter_items",
        lambda c: list(c.iter_items(BOARD, type="card")),
        "get-items",
        "GET",
        BOARD_PATH + "/items",
        query={"limit": "50", "type": "card"},
        reply={"data": [item_json("card")], "total": 1, "size": 1, "limit": 50},
        expect=[item_json("card")],
    ),
    Case(
        "count_items",
        lambda c: c.count_items(BOARD),
        "get-items",
        "GET",
        BOARD_PATH + "/items",
        query={"limit": "10"},
        reply={"data": [item_json("card")] * 10, "total": 200_000, "size": 10, "limit": 10, "cursor": "c2"},
        expect=200_000,
    ),
    Case(
        "update_item",
        lambda c: c.update_item(BOARD, ITEM, position=POSITION, parent_id=FRAME),
        "update-item-position-or-parent",
        "PATCH",
        f"{BOARD_PATH}/items/{ITEM}",
        body={"position": POSITION, "parent": {"id": FRAME}},
        reply=item_json("card"),
        expect=item_json("card"),
    ),
    Case(
        "delete_item",
        lambda c: c.delete_item(BOARD, ITEM),
        "delete-item",
        "DELETE",
        f"{BOARD_PATH}/items/{ITEM}",
        status=204,
    ),
    Case(
        "create_items_bulk",
        lambda c: c.create_items_bulk(
            BOARD,
            [
                {"type": "sticky_note", "data": {"content": "Idea"}, "position": POSITION, "parent": {"id": FRAME}},
                {"type": "card", "data": {"title": "KR"}, "geometry": {"width": 320}},
                {"type": "shape", "data": {"shape": "rectangle"}, "style": {"fillOpacity": "0.5"}},
            ],
        ),
        "create-items",
        "POST",
        BOARD_PATH + "/items/bulk",
        body=[
            {"type": "sticky_note", "data": {"content": "Idea"}, "position": POSITION, "parent": {"id": FRAME}},
            {"type": "card", "data": {"title": "KR"}, "geometry": {"width": 320}},
            {"type": "shape", "data": {"shape": "rectangle"}, "style": {"fillOpacity": "0.5"}},
        ],
        status=201,
        reply={
            "type": "bulk-list",
            "data": [item_json("sticky_note", "1"), item_json("card", "2"), item_json("shape", "3")],
        },
        expect=[item_json("sticky_note", "1"), item_json("card", "2"), item_json("shape", "3")],
    ),
    # Connectors
    Case(
        "create_connector",
        lambda c: c.create_connector(
            BOARD,
            start_item="1",
            end_item={"id": "2", "snapTo": "left"},
            shape="elbowed",
            captions=[{"content": "feeds"}],
            style={"strokeWidth": "2.0"},
        ),
        "create-connector",
        "POST",
        BOARD_PATH + "/connectors",
        body={
            "startItem": {"id": "1"},
            "endItem": {"id": "2", "snapTo": "left"},
            "shape": "elbowed",
            "captions": [{"content": "feeds"}],
            "style": {"strokeWidth": "2.0"},
        },
        reply={"id": "9", "type": "connector"},
        expect={"id": "9", "type": "connector"},
    ),
    Case(
        "iter_connectors",
        lambda c: list(c.iter_connectors(BOARD)),
        "get-connectors",
        "GET",
        BOARD_PATH + "/connectors",
        query={"limit": "50"},
        reply={"data": [{"id": "9"}], "limit": 50},
        expect=[{"id": "9"}],
    ),
    Case(
        "get_connector",
        lambda c: c.get_connector(BOARD, "9"),
        "get-connector",
        "GET",
        BOARD_PATH + "/connectors/9",
        reply={"id": "9"},
        expect={"id": "9"},
    ),
    Case(
        "update_connector",
        lambda c: c.update_connector(BOARD, "9", shape="straight"),
        "update-connector",
        "PATCH",
        BOARD_PATH + "/connectors/9",
        body={"shape": "straight"},
        reply={"id": "9"},
        expect={"id": "9"},
    ),
    Case(
        "delete_connector",
        lambda c: c.delete_connector(BOARD, "9"),
        "delete-connector",
        "DELETE",
        BOARD_PATH + "/connectors/9",
        status=204,
    ),
    # Tags
    Case(
        "create_tag",
        lambda c: c.create_tag(BOARD, title="at risk", fill_color="red"),
        "create-tag",
        "POST",
        BOARD_PATH + "/tags",
        body={"title": "at risk", "fillColor": "red"},
        status=201,
        reply=TAG_JSON,
        expect=TAG_JSON,
    ),
    Case(
        "iter_tags",
        lambda c: list(c.iter_tags(BOARD)),
        "get-tags-from-board",
        "GET",
        BOARD_PATH + "/tags",
        query={"limit": "50", "offset": "0"},
        reply=offset_page([TAG_JSON]),
        expect=[TAG_JSON],
    ),
    Case(
        "get_tag",
        lambda c: c.get_tag(BOARD, TAG),
        "get-tag",
        "GET",
        f"{BOARD_PATH}/tags/{TAG}",
        reply=TAG_JSON,
        expect=TAG_JSON,
    ),
    Case(
        "update_tag",
        lambda c: c.update_tag(BOARD, TAG, fill_color="green"),
        "update-tag",
        "PATCH",
        f"{BOARD_PATH}/tags/{TAG}",
        body={"fillColor": "green"},
        reply=TAG_JSON,
        expect=TAG_JSON,
    ),
    Case(
        "delete_tag", lambda c: c.delete_tag(BOARD, TAG), "delete-tag", "DELETE", f"{BOARD_PATH}/tags/{TAG}", status=204
    ),
    Case(
        "attach_tag",
        lambda c: c.attach_tag(BOARD, ITEM, TAG),
        "attach-tag-to-item",
        "POST",
        f"{BOARD_PATH}/items/{ITEM}",
        query={"tag_id": TAG},
        status=204,
    ),
    Case(
        "detach_tag",
        lambda c: c.detach_tag(BOARD, ITEM, TAG),
        "remove-tag-from-item",
        "DELETE",
        f"{BOARD_PATH}/items/{ITEM}",
        query={"tag_id": TAG},
        status=204,
    ),
    Case(
        "get_item_tags",
        lambda c: c.get_item_tags(BOARD, ITEM),
        "get-tags-from-item",
        "GET",
        f"{BOARD_PATH}/items/{ITEM}/tags",
        reply={"tags": [TAG_JSON]},
        expect=[TAG_JSON],
    ),
    Case(
        "iter_items_by_tag",
        lambda c: list(c.iter_items_by_tag(BOARD, TAG)),
        "get-items-by-tag",
        "GET",
        BOARD_PATH + "/items",
        query={"tag_id": TAG, "limit": "50", "offset": "0"},
        reply=offset_page([item_json("card")]),
        expect=[item_json("card")],
    ),
]

NOT_OPERATIONS = {"close"}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_operation_sends_a_request_valid_against_miros_spec(case, miro, client, spec):
    matches = [matchers.query_param_matcher(case.query or {})]
    if case.body is not None:
        matches.append(matchers.json_params_matcher(case.body))
    miro.add(case.http, API + case.path, json=case.reply, status=case.status, match=matches)

    result = case.call(client)

    assert result == case.expect
    assert len(miro.calls) == 1
    spec(miro.calls[0].request, case.operation_id)
    assert client.stats.snapshot()["operations"] == {
        case.operation_id: {"requests": 1, "credits": _credits(case), "retries": 0, "failures": 0}
    }


def _credits(case: Case) -> int:
    from miro_client import LEVEL_CREDITS, OPERATIONS

    if case.operation_id == "create-items":
        return LEVEL_CREDITS[2] * len(case.body)
    return LEVEL_CREDITS[OPERATIONS[case.operation_id].level]


def test_every_public_operation_has_a_spec_validated_case():
    public = {
        name
        for name, member in inspect.getmembers(MiroClient, predicate=inspect.isfunction)
        if not name.startswith("_")
    }
    assert public - NOT_OPERATIONS == {case.method for case in CASES}


def test_every_operation_in_the_table_is_exercised():
    from miro_client import OPERATIONS

    typed_deletes = {
        op for op in OPERATIONS if op.startswith("delete-") and op.endswith("-item") and op != "delete-item"
    }
    exercised = {case.operation_id for case in CASES} | {"get-items-within-frame"}
    # Typed deletes exist in the table for credit accounting; delete_item covers every type.
    assert set(OPERATIONS) - exercised == typed_deletes


def test_frame_children_are_listed_with_parent_item_id(miro, client, spec):
    reply = {"data": [item_json("card", parent={"id": FRAME})], "limit": 50}
    miro.get(
        API + BOARD_PATH + "/items",
        json=reply,
        match=[matchers.query_param_matcher({"limit": "50", "parent_item_id": FRAME})],
    )

    items = list(client.iter_items(BOARD, parent_item_id=FRAME))

    assert [item["id"] for item in items] == [ITEM]
    spec(miro.calls[0].request, "get-items-within-frame")
    assert "get-items-within-frame" in client.stats.snapshot()["operations"]


def test_board_ids_are_url_encoded_in_paths(miro, client):
    miro.get(API + "/v2/boards/a%2Fb%3D", json=BOARD_JSON)
    assert client.get_board("a/b=") == BOARD_JSON


def test_detach_tag_refuses_an_empty_tag_id_instead_of_deleting_the_item(client):
    with pytest.raises(ValueError, match="tag_id"):
        client.detach_tag(BOARD, ITEM, "")


def test_base_url_may_carry_a_path_prefix(miro, make_client):
    miro.get("http://127.0.0.1:8765/miro/v2/boards/b1", json={"id": "b1"})
    emulator = make_client(base_url="http://127.0.0.1:8765/miro/")
    assert emulator.get_board("b1") == {"id": "b1"}
