"""Request bodies larger than Miro's largest documented request are refused with 413 in Miro's error shape, with
or without a Content-Length, before the emulator reads them into memory."""

from __future__ import annotations

import json
import socket

from miro_emulator.config import MAX_BODY_BYTES
from tests.emulator.emu_kit import error, ok


def _raw(api, method: str, path: str, data) -> object:
    return api.request(method, path, data=data, headers={"Content-Type": "application/json"})


def test_body_larger_than_the_limit_is_refused_with_413_and_the_server_stays_up(api, emu):
    big = json.dumps({"name": "big", "description": "x" * (MAX_BODY_BYTES + 1)})
    response = _raw(api, "POST", "/v2/boards", big)
    answer = error(response, 413)
    assert answer["code"] == "payloadTooLarge" and str(MAX_BODY_BYTES) in answer["message"]
    assert emu.state.boards == {}
    assert ok(api.post("/v2/boards", json={"name": "after"}), 201)["name"] == "after"


def test_a_50_mb_body_is_refused_with_413(api, emu, board_id):
    response = _raw(api, "POST", f"/v2/boards/{board_id}/sticky_notes", b"x" * 50_000_000)
    error(response, 413)
    assert emu.state.boards[board_id].items == {}


def test_body_of_a_chunked_request_larger_than_the_limit_is_refused_with_413(api, emu):
    def chunks():
        yield b'{"name": "big", "description": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 1):
            yield b"x" * 65536
        yield b'"}'

    response = api.request("POST", "/v2/boards", data=chunks(), headers={"Content-Type": "application/json"})
    error(response, 413)
    assert emu.state.boards == {}


def test_body_just_below_the_limit_is_read(api):
    body = json.dumps({"name": "ok", "description": "x" * (MAX_BODY_BYTES - 100)})
    answer = error(_raw(api, "POST", "/v2/boards", body))  # Miro's 300-character description limit
    assert answer["context"]["fields"][0]["field"] == "description"


def test_an_oversized_body_is_refused_from_its_content_length_without_waiting_for_it(emu):
    # Headers announce 50 MB but only a few bytes follow: the answer must come without reading (or awaiting) them.
    request = (
        "POST /v2/boards HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {emu.token}\r\nContent-Length: 50000000\r\n\r\n{{}}"
    )
    with socket.create_connection(("127.0.0.1", int(emu.base_url.rsplit(":", 1)[1])), timeout=5) as sock:
        sock.sendall(request.encode())
        head = sock.recv(65536).decode("latin-1")
    assert head.startswith("HTTP/1.1 413"), head
    assert "connection: close" in head.lower()
    assert emu.state.boards == {}
