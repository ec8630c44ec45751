"""The Flask application factory of the emulator."""

from __future__ import annotations

import os

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from miro_emulator import board_apps, inspection, oauth, pipeline
from miro_emulator.config import EmulatorConfig
from miro_emulator.context import Emulator
from miro_emulator.errors import ApiError, payload_too_large
from miro_emulator.routes import BLUEPRINTS


def create_app(config: EmulatorConfig | None = None) -> Flask:
    """Return the emulator as a WSGI app; state is loaded from `config.state_file` when it exists."""
    config = config or EmulatorConfig()
    app = Flask(__name__)
    app.json.sort_keys = False
    app.url_map.strict_slashes = False
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes  # bodies without Content-Length stop there too
    emu = Emulator(config)
    if config.state_file and os.path.exists(config.state_file):
        emu.store.load(config.state_file)
        emu.install_fixed_tokens()
    app.extensions["miro_emulator"] = emu
    pipeline.install(app)
    for blueprint in (*BLUEPRINTS, oauth.bp, inspection.bp, board_apps.bp):
        app.register_blueprint(blueprint)

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error.response()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # API paths answer in Miro's JSON error shape; other paths keep Flask's pages.
        if not request.path.startswith(("/v1/", "/v2/")):
            return error
        if error.code == 413:
            return payload_too_large(emu.config.max_body_bytes).response()
        code = {404: "notFound", 405: "methodNotAllowed"}.get(error.code, "invalidParameters")
        response = ApiError(error.code or 500, code, error.description or error.name).response()
        # Keep the exception's own headers, e.g. `Allow` on a 405 (RFC 9110 §15.5.6 requires it).
        response.headers.extend((k, v) for k, v in error.get_headers() if k.lower() != "content-type")
        return response

    return app
