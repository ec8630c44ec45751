"""The sign-in limit is shared by every process: counted in the store (SQLite, PostgreSQL) or in Redis."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, select

from addon.adapters.orm import RateLimitRow
from addon.web.ratelimit import SigninLimit, StoreCounter, seconds_until_allowed, sliding_count
from tests.conftest import need_service
from tests.web.kit import make_app

REDIS_URL = "redis://127.0.0.1:6379/15"


def an_address() -> str:
    """A client address of its own, so tests sharing a database or Redis never share a counter."""
    number = uuid.uuid4().int
    return f"10.{number % 250}.{number // 250 % 250}.{number // 62500 % 250 + 1}"


def browsers(apps, address: str):
    clients = [app.test_client() for app in apps]
    for client in clients:
        client.environ_base["REMOTE_ADDR"] = address
    return clients


def two_apps(miro, url: str, **settings):
    return [make_app(miro, url, SIGNIN_LIMIT=3, settings=settings, **extra) for extra in ({}, {})]


def assert_shared_limit(apps) -> None:
    first, second = browsers(apps, an_address())
    assert [b.get("/auth/login").status_code for b in (first, second, first)] == [302, 302, 302]
    for browser in (second, first):
        refused = browser.get("/auth/login", headers={"Accept": "application/json"})
        assert refused.status_code == 429 and refused.json["error"]["code"] == "too_many_signins"
        assert "try again in" in refused.json["error"]["message"]
    other = browsers(apps, an_address())[1]
    assert other.get("/auth/login").status_code == 302  # another address has its own count


def close(apps) -> None:
    for app in apps:
        app.extensions["okrboard_store"].close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    return request.getfixturevalue("postgres_server_url")


def test_two_app_processes_on_one_database_share_the_sign_in_limit(miro, database_url):
    apps = two_apps(miro, database_url)
    try:
        assert_shared_limit(apps)
    finally:
        close(apps)


@pytest.fixture
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        need_service("Redis", f"{REDIS_URL} ({type(error).__name__})")
    yield client
    client.close()


def test_two_app_processes_share_the_limit_in_redis_when_it_is_configured(miro, tmp_path, redis_client):
    prefix = f"okrboard-test:{uuid.uuid4().hex}:"
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    apps = [
        make_app(miro, url, SIGNIN_LIMIT=3, SIGNIN_REDIS_PREFIX=prefix, settings={"redis_url": REDIS_URL})
        for _ in range(2)
    ]
    try:
        assert_shared_limit(apps)
        assert redis_client.keys(prefix + "*")
        with apps[0].extensions["okrboard_store"].engine.connect() as connection:
            assert connection.execute(select(RateLimitRow)).all() == []  # counted in Redis only
    finally:
        close(apps)
        for key in redis_client.keys(prefix + "*"):
            redis_client.delete(key)


def test_when_redis_is_down_the_limit_is_counted_in_the_store(miro, tmp_path):
    apps = two_apps(miro, f"sqlite:///{tmp_path / 'shared.sqlite3'}", redis_url="redis://127.0.0.1:1/0")
    try:
        assert_shared_limit(apps)
    finally:
        close(apps)


def test_the_window_slides_and_forgets_past_windows(tmp_path):
    from addon.adapters.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    now = [600.0]  # the start of a fixed window
    limit = SigninLimit(StoreCounter(store.engine), 2, 60, clock=lambda: now[0])
    assert limit.hit("a") == 0 and limit.hit("a") == 0
    assert limit.hit("a") == 60 + 60 * (1 - 2 / 3)  # three hits counted: wait into the next window
    now[0] = 660 + 30  # half-way through the next window: 3 * 0.5 of the last one still counts
    assert limit.hit("a") == 0 and limit.hit("b") == 0
    assert limit.hit("a") > 0
    now[0] = 900
    assert limit.hit("a") == 0
    engine = create_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    with engine.connect() as connection:
        windows = {row.window for row in connection.execute(select(RateLimitRow))}
    assert windows == {15}  # a new window deletes every one before the last, of every address
    engine.dispose()
    store.close()


def test_the_sliding_estimate_and_its_wait():
    assert sliding_count(previous=4, current=1, elapsed=15, window=60) == 4.0
    assert seconds_until_allowed(previous=4, current=1, elapsed=15, window=60, limit=4) == 0.0
    assert seconds_until_allowed(previous=4, current=2, elapsed=15, window=60, limit=4) == 15.0


def behind_one_proxy(app, proxy: str, forwarded_for: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = proxy
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


def sign_in_steps(client, count: int) -> list[int]:
    return [client.get("/auth/login", headers={"Accept": "application/json"}).status_code for _ in range(count)]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(miro, tmp_path):
    app = make_app(miro, f"sqlite:///{tmp_path / 's.sqlite3'}", SIGNIN_LIMIT=2, settings={"proxy_hops": "1"})
    proxy = an_address()
    try:
        first, second = (behind_one_proxy(app, proxy, an_address()) for _ in range(2))
        assert sign_in_steps(first, 3) == [302, 302, 429]
        assert sign_in_steps(second, 2) == [302, 302]  # another user behind the same proxy
    finally:
        close([app])


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_dodge_the_limit(miro, tmp_path):
    app = make_app(miro, f"sqlite:///{tmp_path / 's.sqlite3'}", SIGNIN_LIMIT=2)
    client, address = app.test_client(), an_address()
    client.environ_base["REMOTE_ADDR"] = address
    try:
        steps = [client.get("/auth/login", headers={"X-Forwarded-For": an_address()}).status_code for _ in range(3)]
        assert steps == [302, 302, 429]
    finally:
        close([app])


@pytest.mark.parametrize("hops", ["-1", "one", "11", "1.5"])
def test_a_bad_proxy_hops_setting_is_refused_by_name(miro, tmp_path, hops):
    from addon.web.app import ConfigError

    with pytest.raises(ConfigError, match=r"OKRBOARD_PROXY_HOPS must be a whole number from 0 to 10.*got '"):
        make_app(miro, f"sqlite:///{tmp_path / 's.sqlite3'}", settings={"proxy_hops": hops})


def test_the_proxy_hops_come_from_the_environment_and_default_to_none_trusted():
    from addon.config import load_settings

    assert load_settings({"OKRBOARD_PROXY_HOPS": " 2 "}).trusted_proxy_hops == 2
    assert load_settings({}).trusted_proxy_hops == 0
