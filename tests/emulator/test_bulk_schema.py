"""Bulk create reads the spec's bulk schema: its `data`, `style` and `geometry` are not tied to the item's `type`
(a oneOf of every type's schemas, no discriminator), so a field of another item type is accepted when the object
matches one of those schemas, and is dropped; a field no schema declares is still refused."""

from __future__ import annotations

import pytest

from tests.emulator.emu_kit import error, ok


def _bulk(api, board_id, *items):
    return api.post(f"/v2/boards/{board_id}/items/bulk", json=list(items))


def test_text_with_the_shape_field_of_shape_data_is_created_without_it(api, board_id):
    item = {"type": "text", "data": {"content": "label", "shape": "rectangle"}, "geometry": {"width": 200}}
    created = ok(_bulk(api, board_id, item), 201)["data"][0]
    assert created["type"] == "text" and created["data"] == {"content": "label"}
    stored = ok(api.get(f"/v2/boards/{board_id}/texts/{created['id']}"))
    assert "shape" not in stored["data"]


def test_text_with_shape_style_fields_and_a_height_is_created_without_them(api, board_id):
    item = {
        "type": "text",
        "data": {"content": "label"},
        "style": {"fontSize": "14", "borderColor": "#1a1a1a"},
        "geometry": {"width": 200, "height": 50},
    }
    created = ok(_bulk(api, board_id, item), 201)["data"][0]
    assert "borderColor" not in created["style"] and created["style"]["fontSize"] == "14"
    assert created["geometry"]["width"] == 200


def test_sticky_note_keeps_its_own_shape_field(api, board_id):
    item = {"type": "sticky_note", "data": {"content": "idea", "shape": "rectangle"}}
    assert ok(_bulk(api, board_id, item), 201)["data"][0]["data"]["shape"] == "rectangle"


@pytest.mark.parametrize(
    "data,field,words",
    [
        ({"content": "x", "fillcolour": "#fff"}, "0.data.fillcolour", "not recognised"),
        ({"content": "x", "shape": "blob"}, "0.data.shape", "invalid value 'blob'"),
        ({"content": "x", "shape": "rectangle", "url": "https://example.com/a.png"}, "0.data.", "not recognised"),
    ],
)
def test_text_with_a_field_no_bulk_schema_allows_is_refused(api, emu, board_id, data, field, words):
    answer = error(_bulk(api, board_id, {"type": "text", "data": data}))
    fields = answer["context"]["fields"]
    assert fields[0]["field"].startswith(field) and words in fields[0]["message"], fields
    assert emu.state.boards[board_id].items == {}


def test_text_without_content_is_refused_even_with_a_shape_field(api, board_id):
    answer = error(_bulk(api, board_id, {"type": "text", "data": {"shape": "rectangle"}}))
    assert answer["context"]["fields"][0]["field"] == "0.data.content"


def test_the_typed_text_endpoint_still_refuses_a_shape_field(api, board_id):
    answer = error(api.post(f"/v2/boards/{board_id}/texts", json={"data": {"content": "x", "shape": "rectangle"}}))
    assert answer["context"]["fields"][0]["field"] == "data.shape"
