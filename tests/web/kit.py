"""The web test kit: the app wired to a running emulator, and signing in through the emulator's OAuth page."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
from cryptography.fernet import Fernet

from addon import create_app
from miro_emulator.config import EmulatorConfig
from miro_emulator.seed import GROWTH_TEAM, PRODUCT_TEAM, USERS
from miro_emulator.testing import EmulatorServer

REDIRECT_URI = "http://localhost/auth/callback"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ANA, BEN, DEV = USERS[0]["id"], USERS[1]["id"], USERS[3]["id"]
__all__ = ["ANA", "BEN", "DEV", "GROWTH_TEAM", "PRODUCT_TEAM", "EXAMPLES"]


class MovableClock:
    """Wall-clock time plus an offset tests move forward (the emulator's token expiry follows it)."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def start_emulator() -> EmulatorServer:
    """A running emulator that accepts the test app's redirect URI; `miro.config.clock` is a MovableClock."""
    return EmulatorServer(EmulatorConfig(redirect_uris=[REDIRECT_URI], clock=MovableClock())).start()


# A day inside the example cycles (2027-01-04 to 2027-03-31), so check-ins recorded "today" are within them.
CYCLE_DAY = date(2027, 1, 18)


def make_app(miro: EmulatorServer, database_url: str, **config):
    """The web app on `database_url`, talking to the emulator, jobs run at once."""
    settings = {
        "miro_api_url": miro.base_url,
        "miro_auth_url": miro.base_url + "/oauth/authorize",
        "miro_client_id": miro.config.client_id,
        "miro_client_secret": miro.config.client_secret,
        "miro_redirect_uri": REDIRECT_URI,
        "token_keys": [Fernet.generate_key().decode()],
        "database_url": database_url,
        "panel_ancestors": miro.base_url,
        "miro_sdk_url": miro.base_url + "/_emulator/sdk/v2/miro.js",
        "redis_url": None,  # sign-in limits in each test's own store, never shared through a machine's Redis
    }
    settings.update(config.pop("settings", {}))
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "JOBS_INLINE": True,
            "SETTINGS_OVERRIDES": settings,
            "TODAY": lambda: CYCLE_DAY,
            **config,
        }
    )


def csrf_token(client, path: str = "/") -> str:
    """The CSRF token of the session, as a page of the app renders it into its forms."""
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def start_login(client) -> dict:
    """Post the sign-in form; return the authorize URL's query (state, PKCE challenge, ...)."""
    answer = client.post("/auth/login", data={"csrf_token": csrf_token(client)})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    query = {k: v[0] for k, v in parse_qs(urlsplit(answer.location).query).items()}
    query["authorize_url"] = answer.location.split("?")[0]
    return query


def approve(miro: EmulatorServer, query: dict, user_id: str = ANA, team_id: str = GROWTH_TEAM) -> str:
    """Approve on the emulator's install page as a user; return the callback path with code and state."""
    answer = requests.post(
        miro.base_url + "/oauth/authorize",
        data={
            "client_id": query["client_id"],
            "redirect_uri": query["redirect_uri"],
            "state": query["state"],
            "user_id": user_id,
            "team_id": team_id,
            "decision": "approve",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    parts = urlsplit(answer.headers["Location"])
    return f"{parts.path}?{parts.query}"


def sign_in(client, miro: EmulatorServer, user_id: str = ANA, team_id: str = GROWTH_TEAM):
    """Sign in through the emulator's OAuth page; return the callback's answer."""
    callback = approve(miro, start_login(client), user_id, team_id)
    return client.get(callback)


def import_plan(client, name: str = "company-q1.yaml") -> int:
    """Upload an example plan through the page; return the new cycle's id."""
    with open(EXAMPLES / name, "rb") as plan:
        answer = client.post(
            "/cycles/new",
            data={"csrf_token": csrf_token(client, "/cycles/new"), "plan": (plan, name)},
            content_type="multipart/form-data",
        )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return int(answer.location.rstrip("/").rsplit("/", 1)[1])
