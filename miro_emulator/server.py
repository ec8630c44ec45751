"""Serve the emulator with werkzeug's threaded server, plus HTTP/1.1 keep-alive.

werkzeug's development server closes the connection after every response because it cannot drain an unread
request body. This handler reads the whole body (by Content-Length) before the app runs, so the connection can be
reused: clients that pool connections (requests.Session, urllib3, the official client) then pay no TCP set-up per
request, as with real Miro.
"""

from __future__ import annotations

import io

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class KeepAliveHandler(WSGIRequestHandler):
    """A request handler that keeps connections open and logs errors only (unless `access_log`)."""

    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections are closed after a minute
    disable_nagle_algorithm = True  # headers and body are separate writes: avoid the 40 ms delayed-ACK stall
    access_log = False
    _keep_alive = False

    def run_wsgi(self) -> None:
        """Buffer the request body, then run the app; chunked, oversized or unsized bodies fall back to closing.

        A body above the app's MAX_CONTENT_LENGTH is not buffered: the app answers 413 without reading it and
        werkzeug discards what the client still sends, so the client reads the 413 rather than a reset.
        """
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        raw = self.rfile
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        limit = self.server.app.config.get("MAX_CONTENT_LENGTH")
        self._keep_alive = not chunked and length >= 0 and (limit is None or length <= limit)
        if self._keep_alive:
            self.rfile = io.BytesIO(raw.read(length) if length > 0 else b"")
        try:
            super().run_wsgi()
        finally:
            self.rfile = raw

    def send_header(self, keyword: str, value: str) -> None:
        """Drop werkzeug's unconditional `Connection: close` when the body was fully read."""
        if self._keep_alive and keyword.lower() == "connection" and value.lower() == "close":
            return
        super().send_header(keyword, value)

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The Date header on Miro's clock (the emulator's, with its offset), which item timestamps follow: a
        client can tell from it how long ago, by Miro's own clock, an item was modified
        (https://www.rfc-editor.org/rfc/rfc9110#field.date)."""
        emu = self.server.app.extensions.get("miro_emulator") if timestamp is None else None
        return super().date_time_string(emu.now() if emu is not None else timestamp)

    def log_request(self, *args, **kwargs) -> None:
        """Log requests only with `access_log`."""
        if self.access_log:
            super().log_request(*args, **kwargs)

    def log(self, type, message, *args) -> None:  # noqa: A002 - werkzeug's signature
        """Log errors always, the rest only with `access_log`."""
        if type == "error" or self.access_log:
            super().log(type, message, *args)


class LoggingKeepAliveHandler(KeepAliveHandler):
    """KeepAliveHandler that logs every request."""

    access_log = True


def serve(app, host: str, port: int, access_log: bool = False) -> BaseWSGIServer:
    """Return a threaded server for `app` on host:port (port 0 picks a free port); call `serve_forever()`."""
    handler = LoggingKeepAliveHandler if access_log else KeepAliveHandler
    return make_server(host, port, app, threaded=True, request_handler=handler)
