"""Sign in with Miro end to end against the emulator: state checks, PKCE, encrypted tokens, refresh, sign-in again."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import requests
from sqlalchemy import select

from addon.adapters.orm import SecretRow, UserRow
from tests.web.kit import ANA, BEN, GROWTH_TEAM, approve, make_app, sign_in, start_login


def token_calls(miro) -> int:
    return requests.get(miro.base_url + "/_emulator/stats", timeout=5).json()["requests"].get("POST /v1/oauth/token", 0)


def test_sign_in_sends_a_pkce_s256_challenge_and_a_one_time_state(client, miro):
    query = start_login(client)
    assert query["authorize_url"] == miro.base_url + "/oauth/authorize"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 32
    assert start_login(client)["state"] != query["state"]


def test_sign_in_records_the_user_and_team_and_stores_tokens_encrypted(app, client, miro):
    answer = sign_in(client, miro)
    assert answer.status_code == 302 and answer.location == "/cycles"
    engine = app.extensions["okrboard_store"].engine
    with engine.connect() as connection:
        user = connection.execute(select(UserRow)).one()
        secret = connection.execute(select(SecretRow)).one()
    assert (user.miro_user_id, user.team_id, user.name, user.team_name) == (
        ANA,
        GROWTH_TEAM,
        "Ana Alvarez",
        "Growth Team",
    )
    issued = [t for t in miro.state.tokens.values() if t.user_id == ANA and t.refresh_token]
    assert issued
    for token in issued:
        assert token.access_token not in secret.ciphertext and token.refresh_token not in secret.ciphertext


def test_every_stored_string_holds_no_token_the_emulator_accepts(app, client, miro):
    sign_in(client, miro)
    engine = app.extensions["okrboard_store"].engine
    stored = []
    with engine.connect() as connection:
        for table in ("users", "miro_tokens", "oauth_states", "cycles", "web_jobs"):
            for row in connection.exec_driver_sql(f"select * from {table}"):
                stored += [str(value) for value in row if value is not None]
    live = {t.access_token for t in miro.state.tokens.values()} | set(miro.state.refresh_tokens)
    assert not [value for value in stored if any(secret in value for secret in live)]


def test_a_callback_without_state_is_refused_without_calling_the_token_endpoint(client, miro):
    answer = client.get("/auth/callback?code=abc")
    assert answer.status_code == 400 and token_calls(miro) == 0


def test_a_forged_state_is_refused_without_calling_the_token_endpoint(client, miro):
    query = start_login(client)
    callback = approve(miro, {**query, "state": "forged-" + query["state"][7:]})
    answer = client.get(callback)
    assert answer.status_code == 400 and "sign in again" in answer.get_data(as_text=True)
    assert token_calls(miro) == 0


def test_a_replayed_callback_is_refused(client, miro):
    callback = approve(miro, start_login(client))
    assert client.get(callback).status_code == 302
    calls = token_calls(miro)
    replay = client.get(callback)
    assert replay.status_code == 400 and token_calls(miro) == calls


def test_a_state_started_in_another_browser_is_refused(app, client, miro):
    callback = approve(miro, start_login(client))
    other = app.test_client()
    answer = other.get(callback)
    assert answer.status_code == 400 and "another browser" in answer.get_data(as_text=True)
    assert token_calls(miro) == 0


def test_an_expired_state_is_refused(miro, tmp_path):
    now = [datetime(2027, 1, 4, 9, 0, tzinfo=UTC)]
    app = make_app(miro, f"sqlite:///{tmp_path / 'w.sqlite3'}", CLOCK=lambda: now[0])
    browser = app.test_client()
    callback = approve(miro, start_login(browser))
    now[0] += timedelta(minutes=11)
    answer = browser.get(callback)
    assert answer.status_code == 400 and "expired" in answer.get_data(as_text=True)
    assert token_calls(miro) == 0


def test_a_redirect_uri_the_app_did_not_register_is_refused_by_miro(client, miro):
    query = start_login(client)
    answer = requests.get(
        query["authorize_url"],
        params={"client_id": query["client_id"], "redirect_uri": "http://evil.example/cb", "response_type": "code"},
        timeout=5,
    )
    assert answer.status_code == 401


def test_a_cancelled_sign_in_says_so_and_signs_nobody_in(client, miro):
    query = start_login(client)
    answer = requests.post(
        miro.base_url + "/oauth/authorize",
        data={**{k: query[k] for k in ("client_id", "redirect_uri", "state")}, "decision": "deny"},
        allow_redirects=False,
        timeout=5,
    )
    location = answer.headers["Location"]
    back = client.get(location[location.index("/auth/callback") :], follow_redirects=True)
    assert "cancelled" in back.get_data(as_text=True)
    assert client.get("/cycles").status_code == 302


def test_sign_out_ends_the_session(signed_in):
    page = signed_in.get("/cycles").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert signed_in.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert signed_in.get("/cycles").status_code == 302


def test_uninstall_revokes_the_tokens_at_miro(app, signed_in, miro):
    with app.app_context():
        from addon.web.session import token_store

        tokens = token_store()
        access = tokens.get(GROWTH_TEAM, ANA).access_token
    token = signed_in.get("/cycles").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    assert signed_in.post("/auth/uninstall", data={"csrf_token": token}).status_code == 302
    assert access not in miro.state.tokens and tokens.get(GROWTH_TEAM, ANA) is None


def test_uninstall_forgets_the_tokens_and_says_so_when_miro_does_not_confirm_the_revoke(
    app, signed_in, miro, monkeypatch
):
    import addon.adapters.miro_oauth as miro_oauth

    monkeypatch.setattr(miro_oauth.requests, "post", lambda *args, **kwargs: SimpleNamespace(ok=False, status_code=503))
    token = signed_in.get("/cycles").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    answer = signed_in.post("/auth/uninstall", data={"csrf_token": token}, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Miro answered 503 to revoking the connection" in page
    with app.app_context():
        from addon.web.session import token_store

        assert token_store().get(GROWTH_TEAM, ANA) is None  # forgotten here all the same


def test_the_pkce_challenge_is_the_s256_of_a_verifier_kept_server_side(app, client, miro):
    query = start_login(client)
    engine = app.extensions["okrboard_store"].engine
    with engine.connect() as connection:
        verifier = connection.exec_driver_sql("select verifier from oauth_states").scalar()
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert digest == query["code_challenge"]


def test_a_second_user_of_the_team_is_a_second_user(app, miro):
    sign_in(app.test_client(), miro, ANA)
    sign_in(app.test_client(), miro, BEN)
    with app.extensions["okrboard_store"].engine.connect() as connection:
        assert connection.execute(select(UserRow.miro_user_id).order_by(UserRow.id)).scalars().all() == [ANA, BEN]
