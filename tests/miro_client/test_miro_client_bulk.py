"""Bulk create: chunks of 20, request order kept, bounded concurrency, partial failure reported."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests

from miro_client import BadRequest, MiroBulkCreateError, MiroCreateOutcomeUnknown
from tests.miro_client.miro_testkit import API, BOARD, BOARD_PATH

BULK_URL = API + BOARD_PATH + "/items/bulk"


def stickies(count: int) -> list[dict]:
    return [
        {"type": "sticky_note", "data": {"content": f"idea {n}"}, "position": {"x": n * 10.0, "y": 0.0}}
        for n in range(count)
    ]


def created(request_body: list[dict]) -> list[dict]:
    return [
        {"id": f"id-{item['data']['content']}", "type": item["type"], "data": item["data"]} for item in request_body
    ]


class FakeBulkEndpoint:
    """Answers bulk calls from their body, slowest for the first chunk, and records concurrency."""

    def __init__(self, fail_on: str | None = None, status: int = 400, delay: float = 0.02) -> None:
        self.fail_on = fail_on
        self.status = status
        self.delay = delay
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.chunks: list[list[str]] = []

    def __call__(self, request):
        body = json.loads(request.body)
        contents = [item["data"]["content"] for item in body]
        with self.lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            self.chunks.append(contents)
        try:
            # Make the first chunk finish last, so the results cannot be in order by accident.
            time.sleep(self.delay * 3 if contents[0] == "idea 0" else self.delay)
            if self.fail_on in contents:
                error = {
                    "status": self.status,
                    "code": "invalidParameters",
                    "message": "bad item",
                    "context": {"fields": [{"field": "0.data.content", "message": "bad"}]},
                    "type": "error",
                }
                return self.status, {}, json.dumps(error)
            return 201, {}, json.dumps({"type": "bulk-list", "data": created(body)})
        finally:
            with self.lock:
                self.active -= 1


def test_bulk_sends_chunks_of_20_and_returns_items_in_request_order(miro, client, spec):
    endpoint = FakeBulkEndpoint()
    miro.add_callback("POST", BULK_URL, callback=endpoint)
    items = stickies(95)

    result = client.create_items_bulk(BOARD, items)

    assert [item["id"] for item in result] == [f"id-idea {n}" for n in range(95)]
    assert sorted(len(chunk) for chunk in endpoint.chunks) == [15, 20, 20, 20, 20]
    for call in miro.calls:
        spec(call.request, "create-items")
    snapshot = client.stats.snapshot()
    assert snapshot["operations"]["create-items"]["requests"] == 5
    assert snapshot["credits"] == 95 * 100  # level 2 per item


def test_bulk_concurrency_is_bounded_by_max_workers(miro, make_client):
    endpoint = FakeBulkEndpoint(delay=0.05)
    miro.add_callback("POST", BULK_URL, callback=endpoint)
    client = make_client(max_workers=2)
    client.create_items_bulk(BOARD, stickies(200))
    assert endpoint.max_active == 2
    assert len(endpoint.chunks) == 10


def test_bulk_chunks_run_concurrently_by_default(miro, client):
    endpoint = FakeBulkEndpoint(delay=0.05)
    miro.add_callback("POST", BULK_URL, callback=endpoint)
    client.create_items_bulk(BOARD, stickies(80))
    assert endpoint.max_active > 1


def test_a_failing_chunk_keeps_the_others_results_and_reports_which_items_failed(miro, make_client):
    endpoint = FakeBulkEndpoint(fail_on="idea 25")
    miro.add_callback("POST", BULK_URL, callback=endpoint)
    client = make_client(max_workers=4)

    with pytest.raises(MiroBulkCreateError) as caught:
        client.create_items_bulk(BOARD, stickies(60))

    error = caught.value
    assert [(start, stop) for start, stop, _ in error.failures] == [(20, 40)]
    assert isinstance(error.failures[0][2], BadRequest)
    assert error.failures[0][2].context["fields"][0]["field"] == "0.data.content"
    assert error.unsent == []
    assert error.results[20:40] == [None] * 20
    assert [item["id"] for item in error.results[:20] + error.results[40:]] == [
        f"id-idea {n}" for n in [*range(20), *range(40, 60)]
    ]


def test_after_a_failure_sequential_bulk_leaves_later_chunks_unsent(miro, make_client):
    endpoint = FakeBulkEndpoint(fail_on="idea 20", delay=0)
    miro.add_callback("POST", BULK_URL, callback=endpoint)
    client = make_client(max_workers=1)

    with pytest.raises(MiroBulkCreateError) as caught:
        client.create_items_bulk(BOARD, stickies(70))

    assert [(start, stop) for start, stop, _ in caught.value.failures] == [(20, 40)]
    assert caught.value.unsent == [(40, 60), (60, 70)]
    assert len(endpoint.chunks) == 2
    assert caught.value.results[:20] == created(stickies(20))


def test_a_bulk_chunk_with_an_unknown_outcome_is_not_resent(miro, client, clock):
    miro.post(BULK_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    items = stickies(3)
    with pytest.raises(MiroBulkCreateError) as caught:
        client.create_items_bulk(BOARD, items)
    ((start, stop, error),) = caught.value.failures
    assert (start, stop) == (0, 3)
    assert isinstance(error, MiroCreateOutcomeUnknown) and error.body == items
    assert clock.sleeps == []


def test_a_bulk_answer_with_the_wrong_count_is_an_unknown_outcome(miro, client):
    miro.post(BULK_URL, status=201, json={"type": "bulk-list", "data": created(stickies(2))})
    with pytest.raises(MiroBulkCreateError) as caught:
        client.create_items_bulk(BOARD, stickies(3))
    assert isinstance(caught.value.failures[0][2], MiroCreateOutcomeUnknown)


def test_bulk_of_nothing_sends_nothing(client):
    assert client.create_items_bulk(BOARD, []) == []


def test_bulk_items_need_a_type(client):
    with pytest.raises(ValueError, match=r"items\[1\]"):
        client.create_items_bulk(BOARD, [{"type": "card"}, {"data": {}}])


def test_bulk_can_be_called_from_several_threads_at_once(miro, client):
    endpoint = FakeBulkEndpoint(delay=0.01)
    miro.add_callback("POST", BULK_URL, callback=endpoint)
    results: dict[int, list[str]] = {}

    def run(worker: int) -> None:
        items = [{"type": "sticky_note", "data": {"content": f"w{worker}-{n}"}} for n in range(45)]
        results[worker] = [item["id"] for item in client.create_items_bulk(BOARD, items)]

    threads = [threading.Thread(target=run, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    for worker in range(4):
        assert results[worker] == [f"id-w{worker}-{n}" for n in range(45)]
    assert client.stats.snapshot()["operations"]["create-items"] == {
        "requests": 12,
        "credits": 4 * 45 * 100,
        "retries": 0,
        "failures": 0,
    }
