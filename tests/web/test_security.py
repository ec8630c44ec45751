"""Security of every route, generated from the app's route table: headers on every answer, and a cross-tenant
authorisation matrix (another team's user, no session, forged or other-app id tokens) that a new route joins by
being listed in ROUTES, or fails until it is."""

from __future__ import annotations

import re

import pytest

from addon.web.id_token import mint
from tests.web.kit import DEV, GROWTH_TEAM, PRODUCT_TEAM, csrf_token, import_plan, sign_in

# Every route x method, and who may use it: "public" (anyone), "member" (a signed-in user of the owning team),
# "api" (the API: session or panel id token), "callback" (only with a state of this browser).
ROUTES = {
    ("GET", "/"): "public",
    ("GET", "/healthz"): "public",
    ("GET", "/static/<path:filename>"): "public",
    ("GET", "/auth/login"): "public",
    ("POST", "/auth/login"): "public",
    ("GET", "/auth/callback"): "callback",
    ("POST", "/auth/logout"): "public",
    ("POST", "/auth/uninstall"): "member",
    ("GET", "/cycles"): "member",
    ("GET", "/cycles/new"): "member",
    ("POST", "/cycles/new"): "member",
    ("GET", "/cycles/<int:cycle_id>"): "member",
    ("POST", "/cycles/<int:cycle_id>/jobs"): "member",
    ("GET", "/cycles/<int:cycle_id>/jobs/<int:job_id>"): "member",
    ("GET", "/cycles/<int:cycle_id>/checkin"): "member",
    ("POST", "/cycles/<int:cycle_id>/checkin"): "member",
    ("GET", "/cycles/<int:cycle_id>/report"): "member",
    ("GET", "/cycles/<int:cycle_id>/report.<fmt>"): "member",
    ("GET", "/panel/sdk"): "public",
    ("GET", "/panel"): "public",
    ("GET", "/api/v1/cycles"): "api",
    ("GET", "/api/v1/cycles/<int:cycle_id>"): "api",
    ("GET", "/api/v1/boards/<board_id>/cycle"): "api",
    ("PATCH", "/api/v1/cycles/<int:cycle_id>/key-results/<ref>"): "api",
    ("POST", "/api/v1/cycles/<int:cycle_id>/jobs"): "api",
    ("GET", "/api/v1/jobs/<int:job_id>"): "api",
    ("GET", "/api/v1/openapi.json"): "public",
}
FORMS = {"/cycles/<int:cycle_id>/jobs": {"kind": "sync"}, "/cycles/<int:cycle_id>/checkin": {"KR1.1.current": "4"}}
JSON_BODIES = {"key-results": {"current": "4"}, "/jobs": {"kind": "sync"}}


def served_routes(app) -> set[tuple[str, str]]:
    rules = set()
    for rule in app.url_map.iter_rules():
        rules |= {(method, rule.rule) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return rules


def test_every_route_of_the_app_is_in_the_authorisation_matrix(app):
    assert served_routes(app) == set(ROUTES)


@pytest.fixture
def owned(app, miro):
    """Ana's Growth team with a generated board and a job; Dev of the Product team signed in beside."""
    ana = app.test_client()
    sign_in(ana, miro)
    cycle_id = import_plan(ana)
    answer = ana.post(f"/cycles/{cycle_id}/jobs", data={"csrf_token": csrf_token(ana, "/cycles"), "kind": "sync"})
    job_id = int(answer.location.rsplit("/", 1)[1])
    with app.extensions["okrboard_store"].unit(GROWTH_TEAM) as uow:  # the cycle's board, as generation records it
        uow.boards.add_board(cycle_id, "uXjVOwned0=", "https://miro.example/board", "en")
    dev = app.test_client()
    sign_in(dev, miro, DEV, PRODUCT_TEAM)
    values = {"cycle_id": cycle_id, "job_id": job_id, "board_id": "uXjVOwned0=", "ref": "KR1.1", "fmt": "html"}
    return {"ana": ana, "dev": dev, "values": values, "name": "GTM Q1 2027"}


def url_for_rule(rule: str, values: dict) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), "app.css")), rule)
    return path


def _send(client, method: str, rule: str, values: dict, headers=None, token: str | None = None):
    path = url_for_rule(rule, values)
    headers = dict(headers or {})
    if rule.startswith("/api/"):
        if token:
            headers["X-CSRFToken"] = token
        body = next((b for key, b in JSON_BODIES.items() if key in rule), None) if method != "GET" else None
        return client.open(path, method=method, json=body, headers=headers)
    data = {"csrf_token": token, **FORMS.get(rule, {})} if method == "POST" and token else None
    return client.open(path, method=method, data=data, headers=headers)


@pytest.mark.parametrize("route", [r for r, who in sorted(ROUTES.items()) if who in ("member", "api")])
def test_another_teams_user_is_refused_and_sees_no_foreign_data(owned, route):
    method, rule = route
    dev = owned["dev"]
    answer = _send(dev, method, rule, owned["values"], token=csrf_token(dev, "/cycles"))
    body = answer.get_data(as_text=True)
    assert owned["name"] not in body
    assert "Ana" not in body
    if any(name in rule for name in ("cycle_id", "job_id", "board_id")):
        assert answer.status_code == 404, (route, answer.status_code, body[:300])
    else:
        assert answer.status_code in (200, 302, 400), (route, answer.status_code)  # their own team's page


@pytest.mark.parametrize("route", [r for r, who in sorted(ROUTES.items()) if who in ("member", "api")])
def test_without_a_session_every_member_route_is_refused(app, owned, route):
    method, rule = route
    answer = _send(app.test_client(), method, rule, owned["values"], headers={"Accept": "application/json"})
    assert answer.status_code in (400, 401), (route, answer.status_code)
    assert owned["name"] not in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    "forge",
    [
        {"secret": "not-the-apps-secret"},
        {"now": 1_000_000_000},
        {"aud": "3458764599999999999"},
    ],
    ids=["forged", "expired", "other-app"],
)
@pytest.mark.parametrize("route", [r for r, who in sorted(ROUTES.items()) if who == "api"])
def test_a_bad_id_token_is_refused_on_every_api_route(app, owned, miro, route, forge):
    method, rule = route
    secret = forge.get("secret", miro.config.client_secret)
    token = mint(forge.get("aud", miro.config.client_id), secret, DEV, PRODUCT_TEAM, now=forge.get("now"))
    answer = _send(app.test_client(), method, rule, owned["values"], headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401 and answer.json["error"]["code"] == "bad_id_token"


@pytest.mark.parametrize("route", [r for r, who in sorted(ROUTES.items()) if who == "api"])
def test_a_valid_id_token_of_another_team_sees_nothing_of_this_team(app, owned, miro, route):
    method, rule = route
    token = mint(miro.config.client_id, miro.config.client_secret, DEV, PRODUCT_TEAM)
    answer = _send(app.test_client(), method, rule, owned["values"], headers={"Authorization": f"Bearer {token}"})
    assert owned["name"] not in answer.get_data(as_text=True)
    if any(name in rule for name in ("cycle_id", "job_id", "board_id")):
        assert answer.status_code == 404, (route, answer.status_code)


REPORT_FILE = re.compile(r"/cycles/\d+/report\.html")


def _check_headers(path: str, answer) -> None:
    headers = answer.headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["X-Content-Type-Options"] == "nosniff"
    if REPORT_FILE.fullmatch(path) and answer.status_code == 200:
        # The report file runs no script at all and only this app's report page may frame it.
        assert "default-src 'none'" in csp and "script-src" not in csp and "sandbox" in csp, path
        assert "frame-ancestors 'self'" in csp and headers["X-Frame-Options"] == "SAMEORIGIN", path
    elif path.startswith("/panel"):
        assert "script-src 'self'" in csp, path
        assert "frame-ancestors" in csp and "'none'" not in csp.split("frame-ancestors")[1], path
        assert "X-Frame-Options" not in headers, path
    else:
        assert "script-src 'self'" in csp, path
        assert "frame-ancestors 'none'" in csp and headers["X-Frame-Options"] == "DENY", path
    if path.startswith(("/api/", "/auth/")):
        assert headers["Cache-Control"] == "no-store", path
    if path.startswith("/auth/"):
        assert headers["Referrer-Policy"] == "no-referrer", path
    if answer.mimetype == "text/html":
        page = answer.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), f"inline script on {path}"
        assert not re.search(r"\son[a-z]+=", page), f"inline event handler on {path}"


def test_every_route_answers_with_the_security_headers(app, owned):
    ana, values = owned["ana"], owned["values"]
    token = csrf_token(ana, "/cycles")
    for method, rule in sorted(ROUTES):
        if rule in ("/auth/logout", "/auth/uninstall"):
            continue  # they end the session; checked below on a throwaway browser
        path = url_for_rule(rule, values)
        _check_headers(path, _send(ana, method, rule, values, token=token))
        _check_headers(path, _send(app.test_client(), method, rule, values))
    for rule in ("/auth/logout", "/auth/uninstall"):
        _check_headers(rule, app.test_client().post(rule))


def test_session_cookies_are_secure_http_only_and_same_site(client):
    cookie = client.get("/").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_an_oversized_upload_is_refused(signed_in):
    answer = signed_in.post("/cycles/new", data=b"x" * (2 * 1024 * 1024), content_type="application/octet-stream")
    assert answer.status_code == 413


def test_sign_in_never_redirects_off_the_app(client, miro):
    from tests.web.kit import approve

    answer = client.post("/auth/login", data={"csrf_token": csrf_token(client), "next": "//evil.example/x"})
    from urllib.parse import parse_qs, urlsplit

    query = {k: v[0] for k, v in parse_qs(urlsplit(answer.location).query).items()}
    back = client.get(approve(miro, query))
    assert back.location == "/cycles"
