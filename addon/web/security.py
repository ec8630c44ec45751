"""Security headers on every answer: a strict CSP with no inline script, framing only for the panel, HSTS,
no caching of API and sign-in answers, and no Referer leaving the OAuth callback."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

# script-src 'self' with no 'unsafe-inline': pages load scripts from /static only, so injected markup cannot run.
BASE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self' {form_action}"
)
PANEL_PREFIXES = ("/panel",)  # the only pages Miro frames (app-manifest.yaml's sdkUri and the panel)
NO_STORE_PREFIXES = ("/api/", "/auth/")
HSTS = "max-age=63072000; includeSubDomains"  # two years, as https://hstspreload.org/ recommends


def is_panel_route(path: str) -> bool:
    """Whether Miro may frame this path."""
    return path == "/panel" or path.startswith(tuple(p + "/" for p in PANEL_PREFIXES))


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}" if rest else ""


def _form_action() -> str:
    # The sign-in form posts to /auth/login, which redirects to Miro's authorize page: form-action must allow it.
    return _origin(current_app.config["SETTINGS"].miro_auth_url)


def _policy(headers) -> str:
    csp = BASE_CSP.format(form_action=_form_action()).strip()
    if is_panel_route(request.path):
        # The panel loads Miro's Web SDK from Miro's origin (or the emulator's stand-in) and nothing else.
        sdk = _origin(current_app.config["SETTINGS"].miro_sdk_url)
        csp = csp.replace("script-src 'self'", f"script-src 'self' {sdk}")
        # No X-Frame-Options here: it cannot name several origins and would override the CSP in old browsers.
        return csp + f"; frame-ancestors {current_app.config['PANEL_ANCESTORS']}"
    headers["X-Frame-Options"] = "DENY"
    return csp + "; frame-ancestors 'none'"


def apply_headers(response: Response) -> Response:
    """Add the security headers to one answer."""
    headers = response.headers
    if "Content-Security-Policy" not in headers:  # a view may set its own, stricter one (the report's styles)
        headers["Content-Security-Policy"] = _policy(headers)
    headers["Strict-Transport-Security"] = HSTS
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Referrer-Policy"] = "no-referrer" if request.path.startswith("/auth/") else "same-origin"
    if request.path.startswith(NO_STORE_PREFIXES):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    elif not request.path.startswith("/static/") and "Cache-Control" not in headers:
        headers["Cache-Control"] = "private, no-cache"  # pages show a team's data: never in a shared cache
    headers.setdefault("Vary", "Cookie")
    return response


def init_app(app: Flask) -> None:
    """Install the headers on every answer of `app`, errors included."""
    app.after_request(apply_headers)
