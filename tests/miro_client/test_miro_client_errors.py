"""Error responses become typed errors from one mapping, and the token never shows in messages or logs."""

from __future__ import annotations

import logging

import pytest
import requests
from responses import matchers

from miro_client import (
    BadRequest,
    Conflict,
    Forbidden,
    MiroAPIError,
    MiroConnectionError,
    MiroCreateOutcomeUnknown,
    MiroError,
    MiroTimeout,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    Unauthorized,
    error_from_response,
)
from tests.miro_client.miro_testkit import API, BOARD, BOARD_PATH, TOKEN

BOARD_URL = API + BOARD_PATH


@pytest.mark.parametrize(
    ("status", "code", "error_class"),
    [
        (400, "invalidParameters", BadRequest),
        (401, "tokenNotProvided", Unauthorized),
        (403, "forbiddenAccess", Forbidden),
        (404, "notFound", NotFound),
        (409, "conflict", Conflict),
        (429, "tooManyRequests", RateLimited),
        (500, "internalError", ServerError),
        (503, "serviceUnavailable", ServerError),
        (418, "teapot", MiroAPIError),
    ],
)
def test_each_error_status_raises_its_own_class(miro, make_client, status, code, error_class):
    client = make_client(retry=RetryPolicy(max_retries=0))
    body = {"status": status, "code": code, "message": f"{code} happened", "context": {"fields": []}, "type": "error"}
    miro.get(BOARD_URL, status=status, json=body)

    with pytest.raises(error_class) as caught:
        client.get_board(BOARD)

    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, MiroAPIError) and isinstance(error, MiroError)
    assert (error.status, error.code, error.message, error.context) == (
        status,
        code,
        f"{code} happened",
        {"fields": []},
    )
    assert (error.method, error.path) == ("GET", BOARD_PATH)
    assert str(error) == f"{status} {code}: {code} happened on GET {BOARD_PATH}"


def test_an_error_body_that_is_not_json_still_gives_a_typed_error(miro, client):
    miro.get(BOARD_URL, status=404, body="<html>gone</html>")
    with pytest.raises(NotFound) as caught:
        client.get_board(BOARD)
    assert caught.value.code is None
    assert "gone" in caught.value.message


def test_rate_limited_error_says_how_long_to_wait(clock):
    headers = {"X-RateLimit-Reset": str(int(clock.now) + 12)}
    error = error_from_response(429, {"code": "tooManyRequests"}, headers=headers, retry_after=12.0)
    assert isinstance(error, RateLimited) and error.retry_after == 12.0
    assert error.headers == headers


def test_bulk_bad_request_keeps_the_failing_fields_in_context():
    context = {"fields": [{"field": "3.data.content", "message": "too long"}]}
    error = error_from_response(400, {"status": 400, "code": "invalidParameters", "message": "bad", "context": context})
    assert isinstance(error, BadRequest)
    assert error.context["fields"][0]["field"] == "3.data.content"


def test_connection_refused_raises_a_connection_error(miro, make_client):
    client = make_client(retry=RetryPolicy(max_retries=0))
    miro.get(BOARD_URL, body=requests.exceptions.ConnectionError("connection refused"))
    with pytest.raises(MiroConnectionError):
        client.get_board(BOARD)


def test_read_timeout_raises_a_timeout_error(miro, make_client):
    client = make_client(retry=RetryPolicy(max_retries=0))
    miro.get(BOARD_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(MiroTimeout) as caught:
        client.get_board(BOARD)
    assert caught.value.sent is True


def test_every_request_carries_a_timeout(miro, make_client):
    seen = {}

    class Recording(requests.Session):
        def request(self, method, url, **kwargs):
            seen["timeout"] = kwargs.get("timeout")
            return super().request(method, url, **kwargs)

    client = make_client(session=Recording(), timeout=(1.5, 9))
    miro.get(BOARD_URL, json={"id": BOARD})
    client.get_board(BOARD)
    assert seen["timeout"] == (1.5, 9)


def test_the_token_never_appears_in_errors_reprs_or_logs(miro, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    tokens = iter([TOKEN, "tok-SECRET-456", "tok-SECRET-456", "tok-SECRET-456"])
    client = make_client(token=lambda: next(tokens))
    miro.get(BOARD_URL, status=401, json={"status": 401, "code": "tokenNotProvided", "message": "bad token"})
    miro.get(
        BOARD_URL,
        status=429,
        json={"status": 429, "code": "tooManyRequests", "message": "slow down"},
        headers={"Retry-After": "1"},
    )
    miro.get(BOARD_URL, status=500, json={"status": 500, "code": "internal", "message": "oops"})
    miro.get(BOARD_URL, body=requests.exceptions.ConnectionError("reset by peer"))
    miro.get(BOARD_URL, status=404, json={"status": 404, "code": "notFound", "message": "no board"})
    miro.post(BOARD_URL + "/cards", status=502, json={"status": 502, "code": "badGateway", "message": "gateway"})

    texts = [repr(client)]
    with pytest.raises(NotFound) as not_found:
        client.get_board(BOARD)
    with pytest.raises(MiroCreateOutcomeUnknown) as unknown:
        client.create_card(BOARD, data={"title": "x"})
    for error in (not_found.value, unknown.value, unknown.value.cause):
        texts += [str(error), repr(error), repr(vars(error))]
    texts += [record.getMessage() for record in caplog.records]
    texts.append(repr(client.stats.snapshot()))

    assert any("retrying" in text for text in texts)
    for text in texts:
        assert "SECRET" not in text
        assert "Bearer" not in text


def test_requests_send_the_token_as_a_bearer_header(miro, client):
    miro.get(BOARD_URL, json={"id": BOARD}, match=[matchers.header_matcher({"Authorization": f"Bearer {TOKEN}"})])
    client.get_board(BOARD)


def test_a_client_needs_a_token():
    from miro_client import MiroClient

    with pytest.raises(ValueError, match="token"):
        MiroClient("")
