"""The Miro panel: the headless `sdkUri` page that opens the panel on icon click, and the panel itself. Both are
static pages (data comes from /api/v1 with the Web SDK id token); no cookie is used inside Miro's iframe."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("panel", __name__, url_prefix="/panel")


def _page(name: str):
    settings = current_app.config["SETTINGS"]
    return render_template(f"panel/{name}.html", sdk_url=settings.miro_sdk_url)


@bp.get("/sdk")
def sdk():
    """The app's `sdkUri` (app-manifest.yaml): Miro loads it headless; it opens the panel on icon click."""
    return _page("sdk")


@bp.get("")
def panel():
    """The panel: the board's cycle, its scores, health and findings, the selected key result, and actions."""
    return _page("panel")
