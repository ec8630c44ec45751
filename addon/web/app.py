"""The application factory: settings, the store, security, CSRF, blueprints and error pages."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from flask import Flask, url_for
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from addon.config import Settings, load_settings
from addon.domain.errors import OkrError

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(__file__).resolve().parents[1]
MAX_UPLOAD_BYTES = 1024 * 1024  # a plan file is a few kilobytes; refuse anything far larger
csrf = CSRFProtect()


LARGEST_ID = 2**31 - 1  # ids are INTEGER columns: PostgreSQL's is 32-bit


class StoredId(IntegerConverter):
    """An id in a path: digits up to the largest id the store can hold, so a larger one is a 404, not a crash."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


class ConfigError(Exception):
    """The environment is missing a setting the web app cannot run without."""


def _folder(name: str) -> str:
    # A checkout has templates/ and static/ at the top; an installed wheel carries them inside the package.
    top = ROOT / name
    return str(top if top.is_dir() else PACKAGE / name)


@lru_cache(maxsize=256)
def _fingerprint(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """URL of a static file with its content hash, so browsers may cache it for a year and never see a stale one."""
    from flask import current_app

    path = Path(current_app.static_folder) / filename
    return url_for("static", filename=filename, v=_fingerprint(str(path), path.stat().st_mtime))


def _configure(app: Flask, settings: Settings, test_config: dict | None) -> None:
    overrides = dict(test_config or {})
    settings_overrides = overrides.pop("SETTINGS_OVERRIDES", None)
    if settings_overrides:
        settings = dataclasses.replace(settings, **settings_overrides)
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        SESSION_COOKIE_NAME="okrboard_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",  # Lax: the OAuth redirect back from Miro is a top-level GET that needs it
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        SEND_FILE_MAX_AGE_DEFAULT=timedelta(days=365),  # static URLs carry their content hash
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        PANEL_ANCESTORS=settings.panel_ancestors,
    )
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise ConfigError("OKRBOARD_SECRET_KEY is not set: the app needs it to sign sessions (any long random text).")


def _trust_proxies(app: Flask) -> None:
    # Behind a proxy every request comes from the proxy's address; its X-Forwarded-* headers name the client (and
    # the scheme and host it used), believed for exactly the configured number of proxies so no client can forge
    # them (https://werkzeug.palletsprojects.com/en/stable/middleware/proxy_fix/).
    try:
        hops = app.config["SETTINGS"].trusted_proxy_hops
    except OkrError as error:
        raise ConfigError(str(error)) from None
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def create_app(test_config: dict | None = None) -> Flask:
    """Return the web app; `test_config` overrides Flask settings (and `SETTINGS_OVERRIDES` the app's settings)."""
    from addon.web import api, auth, checkins, cycles, errors, panel, reports, security
    from addon.web.extensions import StoreExtension
    from addon.web.view_cache import MAX_ENTRIES, VIEW_CACHE, ViewCache

    app = Flask("addon", template_folder=_folder("templates"), static_folder=_folder("static"))
    app.url_map.converters["int"] = StoredId
    _configure(app, load_settings(), test_config)
    _trust_proxies(app)
    StoreExtension(app)
    app.extensions[VIEW_CACHE] = ViewCache(app.config.get("VIEW_CACHE_SIZE", MAX_ENTRIES))
    csrf.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.jinja_env.globals["asset_url"] = asset_url
    for blueprint in (auth.bp, cycles.bp, checkins.bp, reports.bp, panel.bp, api.bp):
        app.register_blueprint(blueprint)
    return app
