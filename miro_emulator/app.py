"""The Flask application factory of the emulator."""

from __future__ import annotations

import os

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from miro_emulator import board_apps, inspection, oauth, pipeline
from miro_emulator.config import EmulatorConfig
from miro_emulator.context import Emulator
from miro_emulator.errors import ApiError
from miro_emulator.routes import BLUEPRINTS


def create_app(config: EmulatorConfig | None = None) -> Flask:
    """Return the emulator as a WSGI app; state is loaded from `config.state_file` when it exists."""
    config = config or EmulatorConfig()
    app = Flask(__name__)
    app.json.sort_keys = False
    app.url_map.strict_slashes = False
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
        code = {404: "notFound", 405: "methodNotAllowed"}.get(error.code, "invalidParameters")
        return ApiError(error.code or 500, code, error.description or error.name).response()

    return app
