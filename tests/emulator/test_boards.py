"""Boards and board members: shapes, paging, copy, delete, roles and access."""

from __future__ import annotations

import re

from tests.emulator.emu_kit import error, ok

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_created_board_has_miros_fields_and_status_201(api):
    board = ok(api.post("/v2/boards", json={"name": "GTM Q1", "description": "company"}), 201)
    assert re.fullmatch(r"uXjV[A-Za-z0-9_-]{7}=", board["id"])
    assert board["type"] == "board" and board["name"] == "GTM Q1" and board["description"] == "company"
    assert ISO_Z.match(board["createdAt"]) and ISO_Z.match(board["modifiedAt"])
    assert board["owner"]["name"] == "Ana Alvarez" and board["owner"]["type"] == "user"
    assert board["currentUserMembership"]["role"] == "owner"
    assert board["team"]["type"] == "team" and isinstance(board["team"]["id"], str)
    assert board["policy"]["sharingPolicy"]["access"] == "private"
    assert board["links"]["self"].endswith(f"/v2/boards/{board['id']}")


def test_board_without_body_is_untitled(api):
    assert ok(api.post("/v2/boards"), 201)["name"] == "Untitled"


def test_board_name_longer_than_60_characters_is_rejected(api):
    body = error(api.post("/v2/boards", json={"name": "x" * 61}))
    assert body["context"]["fields"][0]["field"] == "name"


def test_board_policy_with_unknown_enum_value_is_rejected(api):
    error(api.post("/v2/boards", json={"policy": {"sharingPolicy": {"access": "everyone"}}}))


def test_get_board_returns_last_opened(api, board_id):
    board = ok(api.get(f"/v2/boards/{board_id}"))
    assert board["id"] == board_id and "lastOpenedAt" in board


def test_boards_list_pages_by_offset(api):
    for n in range(7):
        ok(api.post("/v2/boards", json={"name": f"Board {n}"}), 201)
    first = ok(api.get("/v2/boards", params={"limit": 3, "sort": "alphabetically"}))
    assert first["total"] == 7 and first["size"] == 3 and first["offset"] == 0 and first["limit"] == 3
    assert [b["name"] for b in first["data"]] == ["Board 0", "Board 1", "Board 2"]
    assert "next" in first["links"] and "prev" not in first["links"]
    last = ok(api.get("/v2/boards", params={"limit": 3, "offset": 6, "sort": "alphabetically"}))
    assert [b["name"] for b in last["data"]] == ["Board 6"] and "next" not in last["links"]


def test_boards_list_limit_outside_1_to_50_is_rejected(api):
    error(api.get("/v2/boards", params={"limit": 51}))
    error(api.get("/v2/boards", params={"limit": 0}))


def test_boards_list_filters_by_query_and_team(api, emu):
    ok(api.post("/v2/boards", json={"name": "Alpha plan"}), 201)
    ok(api.post("/v2/boards", json={"name": "Beta plan", "teamId": "3458764500000000012"}), 201)
    assert [b["name"] for b in ok(api.get("/v2/boards", params={"query": "alpha"}))["data"]] == ["Alpha plan"]
    team = ok(api.get("/v2/boards", params={"team_id": "3458764500000000012"}))["data"]
    assert [b["name"] for b in team] == ["Beta plan"]


def test_board_in_a_team_the_user_is_not_in_is_refused(api):
    ben = api.as_user("ben")
    error(ben.post("/v2/boards", json={"teamId": "3458764500000000012"}), 403)


def test_update_board_renames_it(api, board_id):
    assert ok(api.patch(f"/v2/boards/{board_id}", json={"name": "Renamed"}))["name"] == "Renamed"


def test_delete_board_answers_204_with_no_body_then_404(api, board_id):
    response = api.delete(f"/v2/boards/{board_id}")
    assert response.status_code == 204 and response.content == b""
    error(api.get(f"/v2/boards/{board_id}"), 404)


def test_copy_board_copies_items_with_new_ids_and_frame_relative_children(api, board_id, frame):
    card = ok(
        api.post(
            f"/v2/boards/{board_id}/cards",
            json={"data": {"title": "KR"}, "position": {"x": 10, "y": 20}, "parent": {"id": frame["id"]}},
        ),
        201,
    )
    copy = ok(api.put("/v2/boards", params={"copy_from": board_id}, json={"name": "Copy"}), 201)
    assert copy["id"] != board_id and copy["name"] == "Copy"
    items = ok(api.get(f"/v2/boards/{copy['id']}/items"))["data"]
    assert len(items) == 2 and {i["id"] for i in items}.isdisjoint({card["id"], frame["id"]})
    child = next(i for i in items if i["type"] == "card")
    new_frame = next(i for i in items if i["type"] == "frame")
    assert child["parent"]["id"] == new_frame["id"]
    assert (child["position"]["x"], child["position"]["y"], child["position"]["relativeTo"]) == (
        10,
        20,
        "parent_top_left",
    )


def test_copy_board_without_copy_from_is_rejected(api):
    error(api.put("/v2/boards", json={}))


def test_share_board_gives_roles_and_reports_unknown_emails(api, board_id):
    result = ok(
        api.post(
            f"/v2/boards/{board_id}/members",
            json={"emails": ["ben@example.com", "nobody@nowhere.org"], "role": "editor"},
        ),
        201,
    )
    assert result["successful"] == [3458764500000000102]
    assert result["failed"][0]["email"] == "nobody@nowhere.org"
    members = ok(api.get(f"/v2/boards/{board_id}/members"))["data"]
    assert {(m["name"], m["role"]) for m in members} == {("Ana Alvarez", "owner"), ("Ben Brandt", "editor")}
    ben = ok(api.get(f"/v2/boards/{board_id}/members/3458764500000000102"))
    assert ben["type"] == "board_member" and ben["links"]["self"].endswith("/members/3458764500000000102")


def test_member_role_can_change_and_member_can_be_removed(api, board_id):
    ok(api.post(f"/v2/boards/{board_id}/members", json={"emails": ["ben@example.com"]}), 201)
    path = f"/v2/boards/{board_id}/members/3458764500000000102"
    assert ok(api.patch(path, json={"role": "viewer"}))["role"] == "viewer"
    assert api.delete(path).status_code == 204
    error(api.get(path), 404)


def test_board_owner_cannot_be_removed(api, board_id):
    error(api.delete(f"/v2/boards/{board_id}/members/3458764500000000101"))


def test_viewer_can_read_but_not_write(api, board_id):
    ok(api.post(f"/v2/boards/{board_id}/members", json={"emails": ["ben@example.com"], "role": "viewer"}), 201)
    ben = api.as_user("ben")
    ok(ben.get(f"/v2/boards/{board_id}/items"))
    body = error(ben.post(f"/v2/boards/{board_id}/sticky_notes", json={"data": {"content": "hi"}}), 403)
    assert body["code"] == "forbiddenAccess"
    error(ben.patch(f"/v2/boards/{board_id}", json={"name": "mine"}), 403)
    error(ben.delete(f"/v2/boards/{board_id}"), 403)


def test_commenter_cannot_edit_items(api, board_id):
    ok(api.post(f"/v2/boards/{board_id}/members", json={"emails": ["ben@example.com"], "role": "commenter"}), 201)
    error(api.as_user("ben").post(f"/v2/boards/{board_id}/cards", json={"data": {"title": "x"}}), 403)


def test_editor_can_write_but_not_delete_the_board(api, board_id):
    ok(api.post(f"/v2/boards/{board_id}/members", json={"emails": ["ben@example.com"], "role": "editor"}), 201)
    ben = api.as_user("ben")
    ok(ben.post(f"/v2/boards/{board_id}/cards", json={"data": {"title": "x"}}), 201)
    error(ben.delete(f"/v2/boards/{board_id}"), 403)


def test_non_member_of_another_team_gets_404_and_teammate_gets_403(api, board_id):
    error(api.as_user("dev").get(f"/v2/boards/{board_id}"), 404)  # Dev is in the Product team only
    error(api.as_user("ben").get(f"/v2/boards/{board_id}"), 403)  # Ben is in the board's team, board is private
    assert board_id not in {b["id"] for b in ok(api.as_user("ben").get("/v2/boards"))["data"]}


def test_team_access_edit_lets_teammates_edit_without_membership(api, board_id):
    ok(api.patch(f"/v2/boards/{board_id}", json={"policy": {"sharingPolicy": {"teamAccess": "edit"}}}))
    ben = api.as_user("ben")
    board = ok(ben.get(f"/v2/boards/{board_id}"))
    assert board["currentUserMembership"]["role"] == "editor"
    ok(ben.post(f"/v2/boards/{board_id}/texts", json={"data": {"content": "hello"}}), 201)


def test_editor_cannot_make_coowners(api, board_id):
    ok(api.post(f"/v2/boards/{board_id}/members", json={"emails": ["ben@example.com"], "role": "editor"}), 201)
    error(
        api.as_user("ben").post(
            f"/v2/boards/{board_id}/members", json={"emails": ["chloe@example.com"], "role": "coowner"}
        ),
        403,
    )


def test_seeded_directory_has_users_in_two_teams(emu):
    users = list(emu.state.users.values())
    assert len(users) >= 4 and len(emu.state.teams) >= 2
    assert {team for user in users for team in user.team_ids} == set(emu.state.teams)
