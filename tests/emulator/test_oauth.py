"""OAuth 2.0: approve page, code exchange (form or query), expiring tokens, rotation on refresh, revoke, context."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from miro_emulator.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REDIRECT_URIS
from tests.emulator.emu_kit import Api, check_error_shape, error, ok

REDIRECT = DEFAULT_REDIRECT_URIS[0]
APP = {"client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}


def _authorize(emu, user_id="3458764500000000102", state="xyz", decision="approve") -> dict:
    form = {
        "client_id": DEFAULT_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "state": state,
        "user_id": user_id,
        "team_id": "3458764500000000011",
        "decision": decision,
    }
    response = requests.post(f"{emu.base_url}/oauth/authorize", data=form, allow_redirects=False, timeout=5)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _exchange(emu, code, in_query=False) -> requests.Response:
    params = {**APP, "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    if in_query:
        return requests.post(f"{emu.base_url}/v1/oauth/token", params=params, timeout=5)
    return requests.post(f"{emu.base_url}/v1/oauth/token", data=params, timeout=5)


def _refresh(emu, refresh_token) -> requests.Response:
    return requests.post(
        f"{emu.base_url}/v1/oauth/token",
        timeout=5,
        data={**APP, "grant_type": "refresh_token", "refresh_token": refresh_token},
    )


def test_authorize_page_lists_users_and_preselects_one(emu):
    response = requests.get(
        f"{emu.base_url}/oauth/authorize",
        timeout=5,
        params={
            "response_type": "code",
            "client_id": DEFAULT_CLIENT_ID,
            "redirect_uri": REDIRECT,
            "state": "s1",
            "user_id": "3458764500000000104",
        },
    )
    assert response.status_code == 200 and "text/html" in response.headers["Content-Type"]
    for name in ("Ana Alvarez", "Ben Brandt", "Dev Dixit"):
        assert name in response.text
    assert 'value="3458764500000000104" checked' in response.text


def test_authorize_with_a_wrong_redirect_uri_gets_miros_error(emu):
    response = requests.get(
        f"{emu.base_url}/oauth/authorize",
        timeout=5,
        params={"response_type": "code", "client_id": DEFAULT_CLIENT_ID, "redirect_uri": "https://evil.example/cb"},
    )
    check_error_shape(response.json(), 401)
    assert response.json()["code"] == "oauthError" and response.json()["message"] == "Redirect URI mismatch."


def test_authorize_with_an_unknown_client_is_refused(emu):
    response = requests.get(
        f"{emu.base_url}/oauth/authorize",
        timeout=5,
        params={"response_type": "code", "client_id": "123", "redirect_uri": REDIRECT},
    )
    assert response.status_code == 401


def test_approving_redirects_with_code_and_state(emu):
    query = _authorize(emu)
    assert query["state"] == "xyz" and query["code"] and query["team_id"] == "3458764500000000011"


def test_denying_redirects_with_access_denied(emu):
    query = _authorize(emu, decision="deny")
    assert query == {"error": "access_denied", "error_description": "The user denied the request", "state": "xyz"}


@pytest.mark.parametrize("in_query", [False, True])
def test_code_exchange_gives_an_expiring_token_pair(emu, in_query):
    token = _exchange(emu, _authorize(emu)["code"], in_query=in_query).json()
    assert token["expires_in"] == 3599 and token["token_type"] == "bearer" and token["refresh_token"]
    assert token["user_id"] == "3458764500000000102" and token["team_id"] == "3458764500000000011"
    assert token["scope"] == "boards:read boards:write"
    context = ok(Api(emu, token["access_token"]).get("/v1/oauth-token"))
    assert context["user"]["name"] == "Ben Brandt" and context["team"]["id"] == "3458764500000000011"
    assert context["scopes"] == ["boards:read", "boards:write"] and context["organization"]["type"] == "organization"


def test_code_is_single_use_and_bound_to_its_redirect_uri(emu):
    code = _authorize(emu)["code"]
    params = {**APP, "grant_type": "authorization_code", "code": code, "redirect_uri": DEFAULT_REDIRECT_URIS[1]}
    assert requests.post(f"{emu.base_url}/v1/oauth/token", data=params, timeout=5).status_code == 401
    code = _authorize(emu)["code"]
    assert _exchange(emu, code).status_code == 200
    assert _exchange(emu, code).status_code == 400


def test_code_expires_after_ten_minutes(emu, clock):
    code = _authorize(emu)["code"]
    clock.advance(601)
    assert _exchange(emu, code).status_code == 400


def test_wrong_client_secret_is_refused(emu):
    code = _authorize(emu)["code"]
    params = {
        **APP,
        "client_secret": "nope",
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
    }
    response = requests.post(f"{emu.base_url}/v1/oauth/token", data=params, timeout=5)
    assert response.status_code == 401 and response.json()["code"] == "oauthError"


def test_access_token_expires_after_3599_seconds(emu, clock):
    token = _exchange(emu, _authorize(emu)["code"]).json()
    api = Api(emu, token["access_token"])
    ok(api.get("/v2/boards"))
    clock.advance(3599)
    assert error(api.get("/v2/boards"), 401)["code"] == "tokenExpired"


def test_refresh_rotates_the_pair_and_the_old_pair_stops_working(emu, clock):
    old = _exchange(emu, _authorize(emu)["code"]).json()
    clock.advance(4000)
    new = _refresh(emu, old["refresh_token"]).json()
    assert new["access_token"] != old["access_token"] and new["refresh_token"] != old["refresh_token"]
    assert new["expires_in"] == 3599
    ok(Api(emu, new["access_token"]).get("/v2/boards"))
    error(Api(emu, old["access_token"]).get("/v2/boards"), 401)
    assert _refresh(emu, old["refresh_token"]).status_code == 400


def test_refresh_parameters_may_come_in_the_query(emu):
    old = _exchange(emu, _authorize(emu)["code"]).json()
    response = requests.post(
        f"{emu.base_url}/v1/oauth/token",
        timeout=5,
        params={**APP, "grant_type": "refresh_token", "refresh_token": old["refresh_token"]},
    )
    assert response.status_code == 200


def test_unsupported_grant_type_is_refused(emu):
    response = requests.post(f"{emu.base_url}/v1/oauth/token", data={**APP, "grant_type": "password"}, timeout=5)
    check_error_shape(response.json(), 400)


def test_revoke_v2_ends_the_token(emu):
    token = _exchange(emu, _authorize(emu)["code"]).json()
    api = Api(emu, token["access_token"])
    body = {"accessToken": token["access_token"], "clientId": DEFAULT_CLIENT_ID, "clientSecret": DEFAULT_CLIENT_SECRET}
    response = api.post("/v2/oauth/revoke", json=body)
    assert response.status_code == 204 and response.content == b""
    error(api.get("/v2/boards"), 401)
    assert _refresh(emu, token["refresh_token"]).status_code == 400
    error(api.post("/v2/oauth/revoke", json=body), 404)
    error(api.post("/v2/oauth/revoke", json={"accessToken": "x"}), 400)


def test_revoke_v1_takes_the_token_in_the_query(emu):
    token = emu.add_token("ben")
    assert (
        requests.post(f"{emu.base_url}/v1/oauth/revoke", params={"access_token": token}, timeout=5).status_code == 204
    )
    error(Api(emu, token).get("/v2/boards"), 401)


def test_fixed_token_never_expires(api, clock):
    clock.advance(10 * 365 * 86400)
    ok(api.get("/v2/boards"))


def test_token_context_of_an_unknown_token_is_400(emu):
    error(Api(emu, "nope").get("/v1/oauth-token"), 400)


def test_missing_and_unknown_tokens_get_401(emu):
    response = requests.get(f"{emu.base_url}/v2/boards", timeout=5)
    assert response.status_code == 401 and response.json()["code"] == "tokenNotProvided"
    error(Api(emu, "unknown").get("/v2/boards"), 401)


def test_token_without_write_scope_cannot_write(api, board_id):
    reader = api.as_user("ana", scopes=["boards:read"])
    ok(reader.get(f"/v2/boards/{board_id}"))
    body = error(reader.post(f"/v2/boards/{board_id}/cards", json={}), 403)
    assert body["code"] == "insufficientPermissions"
