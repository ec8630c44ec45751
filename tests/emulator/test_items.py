"""Typed items: every type round-trips; validation from the spec and Miro's rules; frame-relative geometry."""

from __future__ import annotations

import pytest

from miro_emulator import EmulatorConfig
from miro_emulator.testing import EmulatorServer
from tests.emulator.emu_kit import Api, error, ok

CREATE = {
    "frames": {
        "data": {"title": "Kanban", "format": "custom", "type": "freeform"},
        "style": {"fillColor": "#fff9b1"},
        "geometry": {"width": 1200, "height": 800},
    },
    "cards": {
        "data": {
            "title": "Signed partners",
            "description": "<p>Target: 5</p>",
            "dueDate": "2027-03-15T00:00:00Z",
            "assigneeId": "3458764500000000102",
        },
        "style": {"cardTheme": "#ff9d48"},
    },
    "app_cards": {
        "data": {"title": "KR 1", "status": "connected", "fields": [{"value": "0.6", "fillColor": "#2d9bf0"}]},
        "style": {"fillColor": "#2d9bf0"},
    },
    "sticky_notes": {"data": {"content": "<p>idea</p>", "shape": "rectangle"}, "style": {"fillColor": "light_green"}},
    "shapes": {
        "data": {"content": "Done", "shape": "round_rectangle"},
        "style": {"fillColor": "#d5f692", "fontSize": "18", "borderWidth": "2"},
    },
    "texts": {"data": {"content": "Check-in 1"}, "style": {"fontSize": "24"}, "geometry": {"width": 300}},
}
TYPES = {
    "frames": "frame",
    "cards": "card",
    "app_cards": "app_card",
    "sticky_notes": "sticky_note",
    "shapes": "shape",
    "texts": "text",
}


@pytest.mark.parametrize("path", list(CREATE))
def test_each_item_type_creates_gets_patches_and_deletes(api, board_id, path):
    base = f"/v2/boards/{board_id}/{path}"
    item = ok(api.post(base, json={**CREATE[path], "position": {"x": 100, "y": -50}}), 201)
    assert item["type"] == TYPES[path] and isinstance(item["id"], str) and item["id"].isdigit()
    assert item["position"] == {"x": 100, "y": -50, "origin": "center", "relativeTo": "canvas_center"}
    assert item["createdBy"] == {"id": "3458764500000000101", "type": "user"}
    assert item["links"]["self"].endswith(f"{base}/{item['id']}")
    assert ok(api.get(f"{base}/{item['id']}")) == item
    moved = ok(api.patch(f"{base}/{item['id']}", json={"position": {"x": 5, "y": 6}}))
    assert (moved["position"]["x"], moved["position"]["y"]) == (5, 6)
    assert moved["modifiedAt"] > item["modifiedAt"]
    response = api.delete(f"{base}/{item['id']}")
    assert response.status_code == 204 and response.content == b""
    error(api.get(f"{base}/{item['id']}"), 404)


def test_typed_get_of_an_item_of_another_type_is_404(api, board_id):
    note = ok(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "x"}}), 201)
    error(api.get(f"/v2/boards/{board_id}/cards/{note['id']}"), 404)


def test_item_on_unknown_board_is_404(api):
    error(api.post("/v2/boards/uXjVnope000=/cards", json={"data": {"title": "x"}}), 404)


def test_defaults_are_filled_in(api, board_id):
    note = ok(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "x"}}), 201)
    assert note["data"]["shape"] == "square" and note["style"]["fillColor"] == "light_yellow"
    assert note["geometry"] == {"width": 199.0, "height": 228.0}
    card = ok(api.post(f"/v2/boards/{board_id}/cards", json={}), 201)
    assert card["style"]["cardTheme"] == "#2d9bf0" and card["geometry"]["rotation"] == 0


def test_sticky_note_with_width_and_height_is_rejected(api, board_id):
    body = error(
        api.post(
            f"/v2/boards/{board_id}/sticky_notes",
            json={"data": {"content": "x"}, "geometry": {"width": 200, "height": 200}},
        )
    )
    assert body["code"] == "invalidParameters" and body["context"]["fields"][0]["field"] == "geometry"


def test_sticky_note_width_sets_height_by_its_shape(api, board_id):
    note = ok(
        api.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "x"}, "geometry": {"width": 398}}),
        201,
    )
    assert note["geometry"] == {"width": 398.0, "height": 456.0}
    note = ok(api.patch(f"/v2/boards/{board_id}/sticky_notes/{note['id']}", json={"geometry": {"height": 114}}))
    assert note["geometry"] == {"width": 99.5, "height": 114.0}


def test_sticky_note_with_rotation_is_rejected(api, board_id):
    error(
        api.post(
            f"/v2/boards/{board_id}/sticky_notes",
            json={"data": {"content": "x"}, "geometry": {"width": 200, "rotation": 10}},
        )
    )


def test_sticky_note_with_unknown_shape_is_rejected(api, board_id):
    body = error(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "x", "shape": "blob"}}))
    assert body["context"]["fields"][0]["field"] == "data.shape"


def test_sticky_note_with_hex_fill_colour_is_rejected(api, board_id):
    error(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"style": {"fillColor": "#ffff00"}}))


def test_text_narrower_than_1_7_times_its_font_size_is_rejected(api, board_id):
    body = error(
        api.post(
            f"/v2/boards/{board_id}/texts",
            json={"data": {"content": "x"}, "style": {"fontSize": "20"}, "geometry": {"width": 33}},
        )
    )
    assert body["context"]["fields"][0]["field"] == "geometry.width"
    ok(
        api.post(
            f"/v2/boards/{board_id}/texts",
            json={"data": {"content": "x"}, "style": {"fontSize": "20"}, "geometry": {"width": 34}},
        ),
        201,
    )


def test_text_font_growth_on_patch_is_checked_against_its_width(api, board_id):
    text = ok(api.post(f"/v2/boards/{board_id}/texts", json={"data": {"content": "x"}, "geometry": {"width": 40}}), 201)
    error(api.patch(f"/v2/boards/{board_id}/texts/{text['id']}", json={"style": {"fontSize": "30"}}))


def test_text_without_content_is_rejected_as_missing_required_field(api, board_id):
    body = error(api.post(f"/v2/boards/{board_id}/texts", json={"data": {}}))
    assert body["context"]["fields"][0]["field"] == "data.content"
    error(api.post(f"/v2/boards/{board_id}/texts", json={}))


def test_text_with_height_is_rejected(api, board_id):
    error(api.post(f"/v2/boards/{board_id}/texts", json={"data": {"content": "x"}, "geometry": {"height": 40}}))


def test_numeric_style_given_as_json_number_is_rejected(api, board_id):
    body = error(api.post(f"/v2/boards/{board_id}/shapes", json={"style": {"fontSize": 14}}))
    assert body["context"]["fields"][0]["field"] == "style.fontSize"


def test_numeric_style_as_json_number_is_accepted_in_lenient_mode(clock):
    with EmulatorServer(EmulatorConfig(clock=clock, lenient_numbers=True)) as server:
        api = Api(server)
        board = ok(api.post("/v2/boards"), 201)["id"]
        shape = ok(api.post(f"/v2/boards/{board}/shapes", json={"style": {"fontSize": 14, "fillOpacity": 0.5}}), 201)
        assert shape["style"]["fontSize"] == "14" and shape["style"]["fillOpacity"] == "0.5"


@pytest.mark.parametrize(
    "style",
    [
        {"fontSize": "9"},
        {"fontSize": "300"},
        {"fontSize": "big"},
        {"borderWidth": "25"},
        {"fillOpacity": "1.5"},
        {"borderStyle": "wavy"},
    ],
)
def test_shape_style_outside_the_spec_bounds_is_rejected(api, board_id, style):
    error(api.post(f"/v2/boards/{board_id}/shapes", json={"style": style}))


def test_shape_with_unknown_shape_name_is_rejected_but_flowchart_names_pass(api, board_id):
    error(api.post(f"/v2/boards/{board_id}/shapes", json={"data": {"shape": "blob"}}))
    ok(api.post(f"/v2/boards/{board_id}/shapes", json={"data": {"shape": "flow_chart_decision"}}), 201)


def test_wrong_types_are_rejected(api, board_id):
    error(api.post(f"/v2/boards/{board_id}/cards", json={"data": {"title": 5}}))
    error(api.post(f"/v2/boards/{board_id}/cards", json={"position": {"x": "10"}}))
    error(api.post(f"/v2/boards/{board_id}/cards", json=["not", "an", "object"]))


def test_unknown_fields_are_rejected(api, board_id):
    body = error(api.post(f"/v2/boards/{board_id}/cards", json={"data": {"titel": "typo"}}))
    assert body["context"]["fields"][0]["field"] == "data.titel"


def test_invalid_json_body_is_rejected(api, board_id):
    error(api.post(f"/v2/boards/{board_id}/cards", data="{nope", headers={"Content-Type": "application/json"}))


def test_card_with_bad_due_date_or_unknown_assignee_is_rejected(api, board_id):
    error(api.post(f"/v2/boards/{board_id}/cards", json={"data": {"dueDate": "next tuesday"}}))
    error(api.post(f"/v2/boards/{board_id}/cards", json={"data": {"assigneeId": "42"}}))


def test_card_theme_must_be_a_hex_colour(api, board_id):
    error(api.post(f"/v2/boards/{board_id}/cards", json={"style": {"cardTheme": "blue"}}))


def test_frame_given_a_parent_is_rejected(api, board_id, frame):
    error(api.post(f"/v2/boards/{board_id}/frames", json={"data": {}, "parent": {"id": frame["id"]}}))
    other = ok(api.post(f"/v2/boards/{board_id}/frames", json={"data": {}}), 201)
    error(api.patch(f"/v2/boards/{board_id}/items/{other['id']}", json={"parent": {"id": frame["id"]}}))


def test_frame_only_accepts_custom_freeform(api, board_id):
    error(api.post(f"/v2/boards/{board_id}/frames", json={"data": {"format": "a4"}}))


def test_parent_must_be_an_existing_frame(api, board_id):
    note = ok(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "x"}}), 201)
    error(api.post(f"/v2/boards/{board_id}/cards", json={"parent": {"id": note["id"]}}))
    error(api.post(f"/v2/boards/{board_id}/cards", json={"parent": {"id": "3458764699999999999"}}))


def test_child_of_a_frame_is_positioned_from_the_frames_top_left(api, board_id, frame):
    # frame centre (1000, 500), 800 x 600 -> top-left corner (600, 200)
    card = ok(
        api.post(
            f"/v2/boards/{board_id}/cards",
            json={"data": {"title": "KR"}, "position": {"x": 100, "y": 50}, "parent": {"id": frame["id"]}},
        ),
        201,
    )
    assert card["position"] == {"x": 100, "y": 50, "origin": "center", "relativeTo": "parent_top_left"}
    assert card["parent"]["id"] == frame["id"]
    listed = ok(api.get(f"/v2/boards/{board_id}/items", params={"type": "card"}))["data"][0]
    assert listed["position"]["relativeTo"] == "parent_top_left" and listed["parent"]["id"] == frame["id"]
    patched = ok(api.patch(f"/v2/boards/{board_id}/cards/{card['id']}", json={"position": {"x": 300}}))
    assert (patched["position"]["x"], patched["position"]["y"]) == (300, 50)


def test_moving_an_item_into_a_frame_keeps_its_place_on_the_board(api, board_id, frame):
    note = ok(
        api.post(
            f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "x"}, "position": {"x": 700, "y": 300}}
        ),
        201,
    )
    moved = ok(api.patch(f"/v2/boards/{board_id}/items/{note['id']}", json={"parent": {"id": frame["id"]}}))
    assert moved["position"] == {"x": 100, "y": 100, "origin": "center", "relativeTo": "parent_top_left"}
    assert moved["parent"]["id"] == frame["id"]


def test_moving_into_a_frame_with_a_position_reads_it_from_the_frames_corner(api, board_id, frame):
    note = ok(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "x"}}), 201)
    moved = ok(
        api.patch(
            f"/v2/boards/{board_id}/sticky_notes/{note['id']}",
            json={"parent": {"id": frame["id"]}, "position": {"x": 10, "y": 20}},
        )
    )
    assert (moved["position"]["x"], moved["position"]["y"], moved["position"]["relativeTo"]) == (
        10,
        20,
        "parent_top_left",
    )


def test_moving_an_item_out_of_its_frame_converts_to_board_coordinates(api, board_id, frame):
    card = ok(
        api.post(f"/v2/boards/{board_id}/cards", json={"position": {"x": 100, "y": 50}, "parent": {"id": frame["id"]}}),
        201,
    )
    out = ok(api.patch(f"/v2/boards/{board_id}/items/{card['id']}", json={"parent": None}))
    assert out["position"] == {"x": 700, "y": 250, "origin": "center", "relativeTo": "canvas_center"}
    assert "parent" not in out


def test_moving_a_frame_moves_its_children(api, board_id, frame):
    card = ok(
        api.post(f"/v2/boards/{board_id}/cards", json={"position": {"x": 100, "y": 50}, "parent": {"id": frame["id"]}}),
        201,
    )
    ok(api.patch(f"/v2/boards/{board_id}/frames/{frame['id']}", json={"position": {"x": 0, "y": 0}}))
    card = ok(api.get(f"/v2/boards/{board_id}/items/{card['id']}"))
    assert (card["position"]["x"], card["position"]["y"]) == (100, 50)  # still relative to the moved frame
    out = ok(api.patch(f"/v2/boards/{board_id}/items/{card['id']}", json={"parent": None}))
    assert (out["position"]["x"], out["position"]["y"]) == (-300, -250)


def test_deleting_a_frame_deletes_its_children(api, board_id, frame):
    card = ok(api.post(f"/v2/boards/{board_id}/cards", json={"parent": {"id": frame["id"]}}), 201)
    assert api.delete(f"/v2/boards/{board_id}/frames/{frame['id']}").status_code == 204
    error(api.get(f"/v2/boards/{board_id}/items/{card['id']}"), 404)


def test_app_card_is_owned_only_by_the_app_that_created_it(api, emu, board_id):
    card = ok(api.post(f"/v2/boards/{board_id}/app_cards", json={"data": {"title": "mine"}}), 201)
    assert card["data"]["owned"] is True and card["data"]["status"] == "disconnected"
    other_app = emu.state.issue_token("3458764500000000101", "9999", ["boards:read", "boards:write"]).access_token
    other = Api(emu, other_app)
    assert ok(other.get(f"/v2/boards/{board_id}/app_cards/{card['id']}"))["data"]["owned"] is False
    error(other.patch(f"/v2/boards/{board_id}/app_cards/{card['id']}", json={"data": {"title": "theirs"}}), 403)


def test_patch_merges_data_and_style(api, board_id):
    card = ok(api.post(f"/v2/boards/{board_id}/cards", json=CREATE["cards"]), 201)
    patched = ok(api.patch(f"/v2/boards/{board_id}/cards/{card['id']}", json={"data": {"title": "New"}}))
    assert patched["data"]["title"] == "New" and patched["data"]["description"] == "<p>Target: 5</p>"
    assert patched["style"]["cardTheme"] == "#ff9d48"
