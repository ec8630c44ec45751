"""Tags (unique titles, at most 8 per item, cards and sticky notes only) and connectors (no frames, no loops)."""

from __future__ import annotations

import pytest

from tests.emulator.emu_kit import error, ok


@pytest.fixture
def card(api, board_id):
    return ok(api.post(f"/v2/boards/{board_id}/cards", json={"data": {"title": "KR"}}), 201)


def test_tag_lifecycle(api, board_id, card):
    tag = ok(api.post(f"/v2/boards/{board_id}/tags", json={"title": "At risk", "fillColor": "yellow"}), 201)
    assert tag["type"] == "tag" and tag["fillColor"] == "yellow" and tag["links"]["self"].endswith(tag["id"])
    assert ok(api.get(f"/v2/boards/{board_id}/tags/{tag['id']}"))["title"] == "At risk"
    assert ok(api.patch(f"/v2/boards/{board_id}/tags/{tag['id']}", json={"title": "Risky"}))["title"] == "Risky"
    listed = ok(api.get(f"/v2/boards/{board_id}/tags"))
    assert listed["total"] == 1 and listed["data"][0]["id"] == tag["id"]
    attach = api.post(f"/v2/boards/{board_id}/items/{card['id']}", params={"tag_id": tag["id"]})
    assert attach.status_code == 204 and attach.content == b""
    assert ok(api.get(f"/v2/boards/{board_id}/items/{card['id']}/tags"))["tags"][0]["title"] == "Risky"
    tagged = ok(api.get(f"/v2/boards/{board_id}/items", params={"tag_id": tag["id"]}))
    assert tagged["total"] == 1 and tagged["offset"] == 0 and tagged["data"][0]["id"] == card["id"]
    assert api.delete(f"/v2/boards/{board_id}/tags/{tag['id']}").status_code == 204
    assert ok(api.get(f"/v2/boards/{board_id}/items/{card['id']}/tags"))["tags"] == []
    error(api.get(f"/v2/boards/{board_id}/tags/{tag['id']}"), 404)


def test_duplicate_tag_title_is_rejected_case_sensitively(api, board_id):
    ok(api.post(f"/v2/boards/{board_id}/tags", json={"title": "Done"}), 201)
    error(api.post(f"/v2/boards/{board_id}/tags", json={"title": "Done"}))
    ok(api.post(f"/v2/boards/{board_id}/tags", json={"title": "done"}), 201)
    other = ok(api.post(f"/v2/boards/{board_id}/tags", json={"title": "Other"}), 201)
    error(api.patch(f"/v2/boards/{board_id}/tags/{other['id']}", json={"title": "Done"}))


def test_tag_title_over_120_characters_or_unknown_colour_is_rejected(api, board_id):
    error(api.post(f"/v2/boards/{board_id}/tags", json={"title": "x" * 121}))
    error(api.post(f"/v2/boards/{board_id}/tags", json={"title": "x", "fillColor": "pink"}))
    error(api.post(f"/v2/boards/{board_id}/tags", json={"fillColor": "red"}))


def test_more_than_8_tags_on_an_item_is_rejected(api, board_id, card):
    for n in range(9):
        tag = ok(api.post(f"/v2/boards/{board_id}/tags", json={"title": f"t{n}"}), 201)
        response = api.post(f"/v2/boards/{board_id}/items/{card['id']}", params={"tag_id": tag["id"]})
        if n < 8:
            assert response.status_code == 204
        else:
            error(response)
    assert len(ok(api.get(f"/v2/boards/{board_id}/items/{card['id']}/tags"))["tags"]) == 8


def test_tags_attach_only_to_cards_and_sticky_notes(api, board_id):
    shape = ok(api.post(f"/v2/boards/{board_id}/shapes", json={}), 201)
    tag = ok(api.post(f"/v2/boards/{board_id}/tags", json={"title": "t"}), 201)
    error(api.post(f"/v2/boards/{board_id}/items/{shape['id']}", params={"tag_id": tag["id"]}))


def test_attach_needs_an_existing_tag(api, board_id, card):
    error(api.post(f"/v2/boards/{board_id}/items/{card['id']}", params={"tag_id": "3458764699999999999"}), 404)
    error(api.post(f"/v2/boards/{board_id}/items/{card['id']}"))


@pytest.fixture
def pair(api, board_id):
    first = ok(api.post(f"/v2/boards/{board_id}/sticky_notes", json={"position": {"x": 0, "y": 0}}), 201)
    second = ok(api.post(f"/v2/boards/{board_id}/shapes", json={"position": {"x": 500, "y": 0}}), 201)
    return first["id"], second["id"]


def test_connector_create_answers_200_with_defaults(api, board_id, pair):
    connector = ok(
        api.post(
            f"/v2/boards/{board_id}/connectors",
            json={"startItem": {"id": pair[0]}, "endItem": {"id": pair[1], "snapTo": "top"}},
        )
    )
    assert connector["type"] == "connector" and connector["shape"] == "curved"
    assert connector["startItem"]["position"] == {"x": "100.0%", "y": "50.0%"}  # auto: faces the end item
    assert connector["endItem"]["position"] == {"x": "50.0%", "y": "0.0%"}
    assert connector["style"]["endStrokeCap"] == "stealth" and connector["isSupported"] is True


def test_connector_to_a_frame_is_rejected(api, board_id, pair, frame):
    body = error(
        api.post(
            f"/v2/boards/{board_id}/connectors", json={"startItem": {"id": pair[0]}, "endItem": {"id": frame["id"]}}
        )
    )
    assert body["context"]["fields"][0]["field"] == "endItem.id"


def test_connector_to_the_same_item_is_rejected(api, board_id, pair):
    body = {"startItem": {"id": pair[0]}, "endItem": {"id": pair[0]}}
    error(api.post(f"/v2/boards/{board_id}/connectors", json=body))


@pytest.mark.parametrize(
    "end",
    [
        {"position": {"x": "50%", "y": "0%"}, "snapTo": "top"},
        {"position": {"x": "150%", "y": "0%"}},
        {"position": {"x": "0.5", "y": "0%"}},
        {"snapTo": "middle"},
    ],
)
def test_connector_end_must_have_a_percentage_position_or_snap_not_both(api, board_id, pair, end):
    error(
        api.post(
            f"/v2/boards/{board_id}/connectors", json={"startItem": {"id": pair[0]}, "endItem": {"id": pair[1], **end}}
        )
    )


def test_connector_needs_both_ends(api, board_id, pair):
    error(api.post(f"/v2/boards/{board_id}/connectors", json={"startItem": {"id": pair[0]}}))
    error(api.post(f"/v2/boards/{board_id}/connectors", json={"startItem": {"id": pair[0]}, "endItem": {}}))


def test_connectors_list_get_update_delete(api, board_id, pair):
    made = [
        ok(
            api.post(
                f"/v2/boards/{board_id}/connectors",
                json={"startItem": {"id": pair[0]}, "endItem": {"id": pair[1]}, "captions": [{"content": f"c{n}"}]},
            )
        )
        for n in range(12)
    ]
    first = ok(api.get(f"/v2/boards/{board_id}/connectors"))
    assert first["size"] == 10 and first["total"] == 12 and "cursor" in first
    rest = ok(api.get(f"/v2/boards/{board_id}/connectors", params={"cursor": first["cursor"]}))
    assert [c["id"] for c in first["data"] + rest["data"]] == [c["id"] for c in made] and "cursor" not in rest
    error(api.get(f"/v2/boards/{board_id}/connectors", params={"limit": 5}))
    one = made[0]["id"]
    updated = ok(
        api.patch(
            f"/v2/boards/{board_id}/connectors/{one}", json={"shape": "elbowed", "style": {"strokeColor": "#ff0000"}}
        )
    )
    assert updated["shape"] == "elbowed" and updated["style"]["strokeColor"] == "#ff0000"
    error(api.patch(f"/v2/boards/{board_id}/connectors/{one}", json={"endItem": {"id": pair[0]}}))
    assert api.delete(f"/v2/boards/{board_id}/connectors/{one}").status_code == 204
    error(api.get(f"/v2/boards/{board_id}/connectors/{one}"), 404)


def test_deleting_an_item_deletes_its_connectors(api, board_id, pair):
    ok(api.post(f"/v2/boards/{board_id}/connectors", json={"startItem": {"id": pair[0]}, "endItem": {"id": pair[1]}}))
    assert api.delete(f"/v2/boards/{board_id}/items/{pair[1]}").status_code == 204
    assert ok(api.get(f"/v2/boards/{board_id}/connectors"))["total"] == 0
