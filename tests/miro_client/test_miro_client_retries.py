"""Retries: 429 waits as Miro asks; only idempotent calls retry 5xx and lost responses; 401 refreshes once."""

from __future__ import annotations

import pytest
import requests
from responses import matchers
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from miro_client import (
    MiroClient,
    MiroConnectionError,
    MiroCreateOutcomeUnknown,
    MiroTimeout,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    Unauthorized,
)
from miro_client.retry import budget_spent, full_jitter, retry_after_seconds
from tests.miro_client.miro_testkit import API, BOARD, BOARD_PATH

BOARD_URL = API + BOARD_PATH
CARDS_URL = BOARD_URL + "/cards"
TOO_MANY = {
    "status": 429,
    "code": "tooManyRequests",
    "message": "Request rate limit exceed",
    "context": None,
    "type": "error",
}
SERVER_ERROR = {"status": 500, "code": "internalError", "message": "Something went wrong", "type": "error"}


def refused() -> requests.exceptions.ConnectionError:
    """What requests raises when nothing listens: the request never left this machine."""
    reason = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/v2/boards", reason))


def dropped() -> requests.exceptions.ConnectionError:
    """What requests raises when the server closes the connection after getting the request."""
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104)))


def test_429_waits_until_the_rate_limit_reset_then_retries(miro, client, clock):
    reset = int(clock.now) + 7
    miro.get(
        BOARD_URL,
        status=429,
        json=TOO_MANY,
        headers={"X-RateLimit-Limit": "100000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
    )
    miro.get(BOARD_URL, json={"id": BOARD})

    assert client.get_board(BOARD) == {"id": BOARD}
    assert clock.sleeps == [pytest.approx(7.0)]
    snapshot = client.stats.snapshot()
    assert snapshot["requests"] == 2 and snapshot["retries"] == 1
    assert snapshot["credits"] == 50  # the refused call is not charged


def test_429_with_credits_left_backs_off_briefly_with_jitter_instead_of_waiting_for_the_reset(miro, make_client, clock):
    asked = []
    client = make_client(retry=RetryPolicy(jitter=lambda delay: asked.append(delay) or delay / 2))
    left = {
        "X-RateLimit-Limit": "100000",
        "X-RateLimit-Remaining": "64000",
        "X-RateLimit-Reset": str(int(clock.now) + 55),
    }
    miro.get(BOARD_URL, status=429, json=TOO_MANY, headers=left)
    miro.get(BOARD_URL, status=429, json=TOO_MANY, headers=left)
    miro.get(BOARD_URL, json={"id": BOARD})

    assert client.get_board(BOARD) == {"id": BOARD}
    assert asked == [0.5, 1.0]  # the exponential caps, each drawn through the jitter
    assert clock.sleeps == [0.25, 0.5]  # nowhere near the 55 s to the reset


def test_429_when_the_credits_left_cannot_pay_for_the_call_waits_for_the_reset(miro, client, clock):
    bulk = API + BOARD_PATH + "/items/bulk"
    short = {"X-RateLimit-Remaining": "1500", "X-RateLimit-Reset": str(int(clock.now) + 12)}
    miro.post(bulk, status=429, json=TOO_MANY, headers=short)
    miro.post(bulk, status=201, json={"type": "bulk-list", "data": [{"id": str(n)} for n in range(20)]})
    items = [{"type": "sticky_note", "data": {"content": str(n)}} for n in range(20)]  # 20 x 100 credits

    assert len(client.create_items_bulk(BOARD, items)) == 20
    assert clock.sleeps == [pytest.approx(12.0)]


@pytest.mark.parametrize(
    ("headers", "credits", "spent"),
    [
        ({"X-RateLimit-Remaining": "0"}, 0, True),
        ({}, 0, True),  # Miro did not say: assume the worst
        ({"X-RateLimit-Remaining": "n/a"}, 0, True),
        ({"X-RateLimit-Remaining": "99"}, 100, True),
        ({"X-RateLimit-Remaining": "100"}, 100, False),
        ({"X-RateLimit-Remaining": "64000"}, 2000, False),
    ],
)
def test_the_budget_is_spent_when_the_credits_left_cannot_pay_for_the_call(headers, credits, spent):
    assert budget_spent(headers, credits) is spent


def test_429_prefers_retry_after_when_miro_sends_it(miro, client, clock):
    miro.get(
        BOARD_URL,
        status=429,
        json=TOO_MANY,
        headers={"Retry-After": "3", "X-RateLimit-Reset": str(int(clock.now) + 40)},
    )
    miro.get(BOARD_URL, json={"id": BOARD})
    client.get_board(BOARD)
    assert clock.sleeps == [3.0]


def test_429_wait_is_clamped(miro, make_client, clock):
    client = make_client(retry=RetryPolicy(max_rate_limit_wait=60, jitter=lambda delay: delay))
    miro.get(BOARD_URL, status=429, json=TOO_MANY, headers={"X-RateLimit-Reset": str(int(clock.now) + 3600)})
    miro.get(BOARD_URL, status=429, json=TOO_MANY, headers={"X-RateLimit-Reset": str(int(clock.now) - 5)})
    miro.get(BOARD_URL, json={"id": BOARD})
    client.get_board(BOARD)
    assert clock.sleeps == [60.0, 0.0]


def test_429_without_any_hint_backs_off_exponentially(miro, client, clock):
    for _ in range(3):
        miro.get(BOARD_URL, status=429, json=TOO_MANY)
    miro.get(BOARD_URL, json={"id": BOARD})
    client.get_board(BOARD)
    assert clock.sleeps == [0.5, 1.0, 2.0]


def test_a_post_is_retried_after_429_because_miro_did_not_run_it(miro, client, clock, spec):
    miro.post(CARDS_URL, status=429, json=TOO_MANY, headers={"Retry-After": "2"})
    miro.post(
        CARDS_URL,
        status=201,
        json={"id": "1", "type": "card"},
        match=[matchers.json_params_matcher({"data": {"title": "KR"}})],
    )
    assert client.create_card(BOARD, data={"title": "KR"})["id"] == "1"
    spec(miro.calls[1].request, "create-card-item")


def test_rate_limited_is_raised_once_retries_are_spent(miro, make_client, clock):
    client = make_client(retry=RetryPolicy(max_retries=2, jitter=lambda delay: delay))
    for _ in range(3):
        miro.get(BOARD_URL, status=429, json=TOO_MANY, headers={"Retry-After": "5"})
    with pytest.raises(RateLimited) as caught:
        client.get_board(BOARD)
    assert caught.value.retry_after == 5.0
    assert clock.sleeps == [5.0, 5.0]


def test_post_is_not_resent_after_a_server_error(miro, client, clock):
    body = {"data": {"title": "Signed design partners"}, "position": {"x": 1.0, "y": 2.0}}
    miro.post(CARDS_URL, status=500, json=SERVER_ERROR)

    with pytest.raises(MiroCreateOutcomeUnknown) as caught:
        client.create_card(BOARD, data=body["data"], position=body["position"])

    error = caught.value
    assert (error.method, error.path, error.body) == ("POST", BOARD_PATH + "/cards", body)
    assert isinstance(error.cause, ServerError) and error.cause.status == 500
    assert len(miro.calls) == 1 and clock.sleeps == []


def test_post_is_not_resent_after_a_read_timeout(miro, client, clock):
    miro.post(CARDS_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(MiroCreateOutcomeUnknown) as caught:
        client.create_card(BOARD, data={"title": "KR"})
    assert isinstance(caught.value.cause, MiroTimeout)
    assert caught.value.body == {"data": {"title": "KR"}}
    assert len(miro.calls) == 1 and clock.sleeps == []


def test_post_is_not_resent_after_a_dropped_connection(miro, client):
    miro.post(CARDS_URL, body=dropped())
    with pytest.raises(MiroCreateOutcomeUnknown) as caught:
        client.create_card(BOARD, data={"title": "KR"})
    assert isinstance(caught.value.cause, MiroConnectionError)


@pytest.mark.parametrize(
    "failure",
    [refused, lambda: requests.exceptions.ConnectTimeout("connect timed out")],
    ids=["connection-refused", "connect-timeout"],
)
def test_post_is_retried_when_the_request_never_left(miro, client, clock, failure):
    miro.post(CARDS_URL, body=failure())
    miro.post(CARDS_URL, status=201, json={"id": "1"})
    assert client.create_card(BOARD, data={"title": "KR"}) == {"id": "1"}
    assert clock.sleeps == [0.5]


def test_board_copy_is_not_resent_because_each_copy_makes_a_new_board(miro, client):
    miro.put(API + "/v2/boards", status=503, json=SERVER_ERROR)
    with pytest.raises(MiroCreateOutcomeUnknown) as caught:
        client.copy_board(BOARD, name="Q2")
    assert caught.value.method == "PUT"


def test_get_is_retried_on_server_errors_with_backoff(miro, client, clock):
    miro.get(BOARD_URL, status=502, json=SERVER_ERROR)
    miro.get(BOARD_URL, status=503, json=SERVER_ERROR)
    miro.get(BOARD_URL, json={"id": BOARD})
    assert client.get_board(BOARD) == {"id": BOARD}
    assert clock.sleeps == [0.5, 1.0]


def test_get_raises_the_server_error_once_retries_are_spent(miro, make_client, clock):
    client = make_client(retry=RetryPolicy(max_retries=1, jitter=lambda delay: delay))
    miro.get(BOARD_URL, status=500, json=SERVER_ERROR)
    miro.get(BOARD_URL, status=500, json=SERVER_ERROR)
    with pytest.raises(ServerError):
        client.get_board(BOARD)
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize(
    "failure",
    [dropped, refused, lambda: requests.exceptions.ReadTimeout("read timed out")],
    ids=["dropped", "refused", "read-timeout"],
)
def test_patch_is_retried_after_a_transport_failure(miro, client, failure):
    url = f"{BOARD_URL}/items/1"
    miro.patch(url, body=failure())
    miro.patch(url, json={"id": "1"})
    assert client.update_item(BOARD, "1", position={"x": 1, "y": 1}) == {"id": "1"}


def test_a_delete_retried_after_a_lost_answer_treats_404_as_done(miro, client):
    url = f"{BOARD_URL}/items/1"
    miro.delete(url, body=requests.exceptions.ReadTimeout("read timed out"))
    miro.delete(url, status=404, json={"status": 404, "code": "notFound", "message": "Item not found"})
    assert client.delete_item(BOARD, "1") is None


def test_a_first_delete_404_is_still_not_found(miro, client):
    miro.delete(f"{BOARD_URL}/items/1", status=404, json={"status": 404, "code": "notFound", "message": "nope"})
    with pytest.raises(NotFound):
        client.delete_item(BOARD, "1")


def test_transport_retries_are_bounded(miro, make_client, clock):
    client = make_client(retry=RetryPolicy(max_retries=2, jitter=lambda delay: delay))
    for _ in range(3):
        miro.get(BOARD_URL, body=dropped())
    with pytest.raises(MiroConnectionError):
        client.get_board(BOARD)
    assert clock.sleeps == [0.5, 1.0]
    assert client.stats.snapshot()["failures"] == 3


def test_tls_errors_are_not_retried(miro, client, clock):
    miro.get(BOARD_URL, body=requests.exceptions.SSLError("certificate verify failed"))
    with pytest.raises(MiroConnectionError):
        client.get_board(BOARD)
    assert clock.sleeps == []


def test_expired_token_is_refreshed_once_on_401(miro, make_client):
    tokens = iter(["old-token", "new-token"])
    client = make_client(token=lambda: next(tokens))
    miro.get(
        BOARD_URL,
        status=401,
        json={"status": 401, "code": "tokenExpired", "message": "expired"},
        match=[matchers.header_matcher({"Authorization": "Bearer old-token"})],
    )
    miro.get(BOARD_URL, json={"id": BOARD}, match=[matchers.header_matcher({"Authorization": "Bearer new-token"})])
    assert client.get_board(BOARD) == {"id": BOARD}


def test_a_second_401_is_raised_without_asking_again(miro, make_client):
    asked = []

    def token():
        asked.append(1)
        return f"token-{len(asked)}"

    client = make_client(token=token)
    miro.get(BOARD_URL, status=401, json={"status": 401, "code": "tokenNotProvided", "message": "no"})
    miro.get(BOARD_URL, status=401, json={"status": 401, "code": "tokenNotProvided", "message": "no"})
    with pytest.raises(Unauthorized):
        client.get_board(BOARD)
    assert len(asked) == 2


def test_401_with_an_unchanged_token_is_not_resent(miro, make_client):
    client = make_client(token=lambda: "same-token")
    miro.get(BOARD_URL, status=401, json={"status": 401, "code": "tokenNotProvided", "message": "no"})
    with pytest.raises(Unauthorized):
        client.get_board(BOARD)


def test_401_with_a_fixed_token_is_raised_at_once(miro, client):
    miro.post(CARDS_URL, status=401, json={"status": 401, "code": "tokenNotProvided", "message": "no"})
    with pytest.raises(Unauthorized):
        client.create_card(BOARD, data={"title": "x"})


def test_a_post_is_resent_after_401_because_miro_refused_it(miro, make_client):
    tokens = iter(["old-token", "new-token"])
    client = make_client(token=lambda: next(tokens))
    miro.post(CARDS_URL, status=401, json={"status": 401, "code": "tokenExpired", "message": "expired"})
    miro.post(CARDS_URL, status=201, json={"id": "1"})
    assert client.create_card(BOARD, data={"title": "x"}) == {"id": "1"}


def test_backoff_is_full_jitter_and_capped():
    policy = RetryPolicy(backoff_factor=1.0, max_delay=5.0)
    for attempt in range(10):
        assert 0 <= policy.backoff(attempt) <= min(5.0, 2**attempt)
    assert RetryPolicy(backoff_factor=1.0, max_delay=5.0, jitter=lambda d: d).backoff(8) == 5.0
    assert all(0 <= full_jitter(2.0) <= 2.0 for _ in range(100))


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "4"}, 4.0),
        ({"Retry-After": "Tue, 14 Nov 2023 22:13:30 GMT"}, 10.0),
        ({"X-RateLimit-Reset": "1700000020"}, 20.0),
        ({"X-RateLimit-Reset": "15"}, 15.0),  # a count of seconds rather than an epoch
        ({"X-RateLimit-Reset": "soon"}, None),
        ({}, None),
    ],
)
def test_wait_hints_are_read_from_retry_after_or_rate_limit_reset(headers, expected):
    assert retry_after_seconds(headers, now=1_700_000_000.0) == expected


def test_a_new_client_reads_proxy_and_ca_settings_from_the_environment_once(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/company.pem")
    with MiroClient("T") as remote, MiroClient("T", base_url="http://127.0.0.1:8765") as local:
        assert remote._session.proxies["https"] == "http://proxy.example:3128"
        assert remote._session.verify == "/etc/ssl/company.pem"
        assert "http" not in local._session.proxies and "https" not in local._session.proxies  # NO_PROXY
        # Read once: requests no longer scans the environment (or ~/.netrc) for every request.
        assert remote._session.trust_env is False


def test_on_retry_hears_each_retry_and_a_spent_budget_is_told_to_on_wait_only(miro, client, clock):
    retries, waits = [], []
    client.on_retry, client.limiter.on_wait = retries.append, waits.append
    miro.get(BOARD_URL, status=503, json=SERVER_ERROR)
    reset = int(clock.now) + 7
    spent = {"X-RateLimit-Limit": "100000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    miro.get(BOARD_URL, status=429, json=TOO_MANY, headers=spent)
    miro.get(BOARD_URL, json={"id": BOARD})
    assert client.get_board(BOARD) == {"id": BOARD}
    [retry] = retries
    assert (retry.method, retry.path, retry.retry, retry.of) == ("GET", BOARD_PATH, 1, 3)
    assert isinstance(retry.cause, ServerError) and retry.seconds == clock.sleeps[0]
    assert waits == [pytest.approx(7.0 - retry.seconds)]  # the backoff moved the clock on
