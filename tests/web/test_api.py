"""The JSON API: session or panel id token, CSRF on cookie writes, marshmallow refusals by field, OpenAPI."""

from __future__ import annotations

import time

import pytest
from openapi_spec_validator import validate

from addon.web.id_token import mint
from tests.web.kit import ANA, DEV, GROWTH_TEAM, PRODUCT_TEAM, csrf_token, import_plan, sign_in


def bearer(miro, user=ANA, team=GROWTH_TEAM, **options) -> dict:
    secret = options.pop("secret", miro.config.client_secret)
    token = mint(options.pop("aud", miro.config.client_id), secret, user, team, **options)
    return {"Authorization": f"Bearer {token}"}


def test_a_session_reads_its_team_cycles(signed_in):
    cycle_id = import_plan(signed_in)
    listing = signed_in.get("/api/v1/cycles").json["cycles"]
    assert [c["id"] for c in listing] == [cycle_id]
    shown = signed_in.get(f"/api/v1/cycles/{cycle_id}").json
    assert (
        shown["objectives"][0]["key_results"][0]["ref"] == "KR1.1"
        and "health" in shown["objectives"][0]["key_results"][0]
    )


def test_a_cookie_write_without_the_csrf_header_is_refused_and_with_it_goes_through(signed_in):
    cycle_id = import_plan(signed_in)
    url = f"/api/v1/cycles/{cycle_id}/key-results/KR1.1"
    refused = signed_in.patch(url, json={"current": 2})
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"
    done = signed_in.patch(url, json={"current": "2"}, headers={"X-CSRFToken": csrf_token(signed_in, "/cycles")})
    assert done.status_code == 200 and done.json["current"] == 2


def test_the_panel_id_token_updates_a_key_result(app, signed_in, miro):
    cycle_id = import_plan(signed_in)
    answer = app.test_client().patch(
        f"/api/v1/cycles/{cycle_id}/key-results/kr1.2", json={"current": "3", "confidence": "60%"}, headers=bearer(miro)
    )
    assert answer.status_code == 200, answer.json
    assert (answer.json["ref"], answer.json["current"], answer.json["confidence"]) == ("KR1.2", 3, 0.6)


@pytest.mark.parametrize(
    "options, why",
    [
        ({"secret": "another-apps-secret"}, "signature"),
        ({"now": time.time() - 3600}, "expired"),
        ({"aud": "another-app"}, "aud"),
    ],
)
def test_a_forged_expired_or_other_app_id_token_is_refused(app, signed_in, miro, options, why):
    import_plan(signed_in)
    answer = app.test_client().get("/api/v1/cycles", headers=bearer(miro, **options))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "bad_id_token"
    assert "GTM" not in answer.get_data(as_text=True)


def test_an_id_token_of_a_team_that_never_connected_is_refused(app, miro):
    answer = app.test_client().get("/api/v1/cycles", headers=bearer(miro, DEV, PRODUCT_TEAM))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "not_connected"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"current": "abc"}, "current"),
        ({"current": "1e308"}, "current"),
        ({"confidence": "140%"}, "confidence"),
        ({"current": True}, "current"),
        ({"colour": "red"}, "colour"),
        ({}, "current"),
    ],
)
def test_a_bad_key_result_update_names_the_field_and_changes_nothing(app, signed_in, miro, body, field):
    cycle_id = import_plan(signed_in)
    client = app.test_client()
    before = client.get(f"/api/v1/cycles/{cycle_id}", headers=bearer(miro)).json
    answer = client.patch(f"/api/v1/cycles/{cycle_id}/key-results/KR1.1", json=body, headers=bearer(miro))
    assert answer.status_code == 400, answer.json
    assert field in answer.json["error"]["fields"]
    assert client.get(f"/api/v1/cycles/{cycle_id}", headers=bearer(miro)).json["objectives"] == before["objectives"]


def test_an_unknown_key_result_is_404(app, signed_in, miro):
    cycle_id = import_plan(signed_in)
    answer = app.test_client().patch(
        f"/api/v1/cycles/{cycle_id}/key-results/KR9.9", json={"current": 1}, headers=bearer(miro)
    )
    assert answer.status_code == 404 and "KR9.9" in answer.json["error"]["message"]


def test_a_sync_job_started_through_the_api_reports_a_cycle_without_a_board(app, signed_in, miro):
    cycle_id = import_plan(signed_in)
    client = app.test_client()
    started = client.post(f"/api/v1/cycles/{cycle_id}/jobs", json={"kind": "sync"}, headers=bearer(miro))
    assert started.status_code == 202
    job = client.get(started.json["url"], headers=bearer(miro)).json
    assert job["state"] == "failed" and "no board yet" in job["error"]
    refused = client.post(f"/api/v1/cycles/{cycle_id}/jobs", json={"kind": "erase"}, headers=bearer(miro))
    assert refused.status_code == 400 and "kind" in refused.json["error"]["fields"]


def test_the_panel_finds_the_cycle_of_its_board(app, signed_in, miro):
    cycle_id = import_plan(signed_in)
    page = signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    signed_in.post(f"/cycles/{cycle_id}/jobs", data={"csrf_token": token, "kind": "generate"})
    board_id = next(iter(miro.state.boards))
    found = app.test_client().get(f"/api/v1/boards/{board_id}/cycle", headers=bearer(miro))
    assert found.status_code == 200 and found.json["cycle"]["id"] == cycle_id
    assert app.test_client().get("/api/v1/boards/123/cycle", headers=bearer(miro)).status_code == 404


def test_the_openapi_document_is_valid_and_lists_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").json
    validate(spec)
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace("<", "{").replace(">", "}")
            served |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented


def test_a_board_viewer_cannot_change_a_key_result_or_start_a_job_from_the_panel(app, signed_in, miro):
    from tests.web.kit import BEN

    cycle_id = import_plan(signed_in)
    page = signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    signed_in.post(f"/cycles/{cycle_id}/jobs", data={"csrf_token": token, "kind": "generate"})
    board_id = next(iter(miro.state.boards))
    miro.state.set_member(board_id, BEN, "viewer")
    sign_in(app.test_client(), miro, BEN)
    client, headers = app.test_client(), bearer(miro, BEN)
    url = f"/api/v1/cycles/{cycle_id}/key-results/KR1.1"
    refused = client.patch(url, json={"current": "4"}, headers=headers)
    assert refused.status_code == 403 and "viewer" in refused.json["error"]["message"]
    job = client.post(f"/api/v1/cycles/{cycle_id}/jobs", json={"kind": "sync"}, headers=headers)
    assert job.status_code == 403
    miro.state.set_member(board_id, BEN, "editor")
    assert client.patch(url, json={"current": "4"}, headers=headers).status_code == 200


def test_an_id_larger_than_the_store_can_hold_is_a_404_not_a_crash(signed_in):
    huge = 2**63
    api = signed_in.get(f"/api/v1/cycles/{huge}")
    assert api.status_code == 404 and api.json["error"]["code"] == "not_found"
    assert signed_in.get(f"/cycles/{huge}").status_code == 404
    assert signed_in.get(f"/api/v1/jobs/{2**31}").status_code == 404
