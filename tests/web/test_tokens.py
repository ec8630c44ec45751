"""Miro tokens after sign-in: refreshed before expiry and on 401, single-flight across processes, rotation of
both tokens, `invalid_grant` meaning sign in again, and re-encryption with a new key."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet

from addon.adapters.miro_oauth import MiroOAuth
from addon.adapters.token_store import GrantRefused, SignInAgain, TokenCipher, TokenStore
from tests.web.kit import ANA, GROWTH_TEAM, import_plan, make_app, sign_in
from tests.web.test_auth import token_calls
from tests.web.token_race import race


def _tokens(app, clock=None) -> TokenStore:
    engine = app.extensions["okrboard_store"].engine
    options = {"clock": clock} if clock else {}
    return TokenStore(engine, TokenCipher(app.config["SETTINGS"].token_keys), **options)


def _later(hours: float = 2):
    moment = datetime.now(UTC) + timedelta(hours=hours)
    return lambda: moment


def test_a_token_about_to_expire_is_refreshed_and_miro_rotates_both_tokens(app, signed_in, miro):
    oauth = MiroOAuth(app.config["SETTINGS"])
    before = _tokens(app).get(GROWTH_TEAM, ANA)
    fresh = _tokens(app, _later()).access_token(GROWTH_TEAM, ANA, oauth.refresh)
    assert fresh != before.access_token and fresh in miro.state.tokens
    assert before.access_token not in miro.state.tokens
    with pytest.raises(GrantRefused):
        oauth.refresh(before.refresh_token)  # the old refresh token died with the rotation
    assert _tokens(app).get(GROWTH_TEAM, ANA).refreshes == 1


def test_a_fresh_token_is_used_as_is_without_a_token_call(app, signed_in, miro):
    calls = token_calls(miro)
    stored = _tokens(app).get(GROWTH_TEAM, ANA).access_token
    assert _tokens(app).access_token(GROWTH_TEAM, ANA, MiroOAuth(app.config["SETTINGS"]).refresh) == stored
    assert token_calls(miro) == calls


def test_a_401_from_miro_refreshes_once_and_the_request_goes_through(app, signed_in, miro):
    cycle_id = import_plan(signed_in)
    miro.config.clock.offset += 4000  # Miro sees the access token as expired; the app does not yet
    page = signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = signed_in.post(f"/cycles/{cycle_id}/jobs", data={"csrf_token": token, "kind": "generate"})
    assert 'data-state="done"' in signed_in.get(answer.location).get_data(as_text=True)
    assert _tokens(app).get(GROWTH_TEAM, ANA).refreshes == 1


def test_a_refused_refresh_marks_the_connection_for_sign_in_and_the_page_says_so(app, signed_in, miro):
    cycle_id = import_plan(signed_in)
    miro.state.refresh_tokens.clear()  # Miro no longer knows the refresh token (revoked, expired)
    oauth = MiroOAuth(app.config["SETTINGS"])
    with pytest.raises(SignInAgain):
        _tokens(app, _later()).access_token(GROWTH_TEAM, ANA, oauth.refresh)
    assert _tokens(app).get(GROWTH_TEAM, ANA).needs_signin
    calls = token_calls(miro)
    page = signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = signed_in.post(f"/cycles/{cycle_id}/jobs", data={"csrf_token": token, "kind": "generate"})
    assert "sign in with miro again" in signed_in.get(answer.location).get_data(as_text=True).lower()
    assert 'id="signin-again"' in signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True)
    assert token_calls(miro) == calls
    sign_in(signed_in, miro)
    assert not _tokens(app).get(GROWTH_TEAM, ANA).needs_signin
    assert 'id="signin-again"' not in signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def race_app(request, miro, tmp_path):
    """The app on each database the race must hold on, with Ana signed in."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_server_url")
    application = make_app(miro, url)
    sign_in(application.test_client(), miro)
    yield application
    with application.extensions["okrboard_store"].engine.begin() as connection:
        for table in ("web_jobs", "miro_tokens", "oauth_states", "users"):
            connection.exec_driver_sql(f"delete from {table}")
    application.extensions["okrboard_store"].close()


def test_four_processes_racing_to_refresh_make_exactly_one_token_call(race_app, miro):
    app = race_app
    settings = app.config["SETTINGS"]
    calls = token_calls(miro)
    context = multiprocessing.get_context("spawn")
    start, answers = context.Event(), context.Queue()
    racers = [
        context.Process(
            target=race,
            args=(settings.store_url, settings.token_keys, settings, GROWTH_TEAM, ANA, start, answers),
        )
        for _ in range(4)
    ]
    for racer in racers:
        racer.start()
    start.set()
    got = [answers.get(timeout=60) for _ in racers]
    for racer in racers:
        racer.join(30)
    assert token_calls(miro) - calls == 1
    assert len(set(got)) == 1 and got[0] in miro.state.tokens


def test_keys_rotate_re_encrypts_so_the_old_key_can_go(app, signed_in):
    old_keys = app.config["SETTINGS"].token_keys
    new_key = Fernet.generate_key().decode()
    engine = app.extensions["okrboard_store"].engine
    stored = _tokens(app).get(GROWTH_TEAM, ANA)
    assert TokenStore(engine, TokenCipher([new_key, *old_keys])).rotate_keys() == 1
    assert TokenStore(engine, TokenCipher([new_key])).get(GROWTH_TEAM, ANA) == stored
    with pytest.raises(SignInAgain):
        TokenStore(engine, TokenCipher(old_keys)).get(GROWTH_TEAM, ANA)


def test_missing_or_malformed_token_keys_are_a_clear_error():
    with pytest.raises(Exception, match="OKRBOARD_TOKEN_KEYS is not set"):
        TokenCipher([])
    with pytest.raises(Exception, match="Fernet key"):
        TokenCipher(["not-a-key"])
