"""`okrboard demo --serve`: the emulator and the web app on loopback, with the sample cycle's board generated and
tracked for the demo facilitator's team, until Ctrl-C."""

from __future__ import annotations

import secrets
import socket
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.fernet import Fernet


@dataclass
class DemoServers:
    """The two running servers and the URLs a person opens."""

    dashboard_url: str
    board_url: str
    emulator_url: str
    stop: callable


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_demo_servers(out: Path, language: str = "en", app_port: int | None = None, say=print) -> DemoServers:
    """Start the emulator and the app, import and generate the sample cycle in the Growth team, return the URLs."""
    from addon import create_app
    from addon.adapters.miro_gateway import MiroGateway
    from addon.demo.run import sample_plan
    from addon.services.cycles import import_plan_file
    from addon.services.generation.generator import BoardGenerator
    from addon.services.track import start_tracking
    from miro_client import MiroClient
    from miro_emulator.config import EmulatorConfig
    from miro_emulator.seed import DEFAULT_USER_ID, GROWTH_TEAM
    from miro_emulator.server import serve
    from miro_emulator.testing import EmulatorServer

    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("web.sqlite3*"):
        stale.unlink()
    port = app_port or _free_port()
    # localhost, not 127.0.0.1: browsers treat it as a secure context, so the Secure session cookie works on http.
    app_base = f"http://localhost:{port}"
    miro = EmulatorServer(EmulatorConfig(redirect_uris=[f"{app_base}/auth/callback"])).start()
    app = create_app(
        {
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SETTINGS_OVERRIDES": {
                "database_url": f"sqlite:///{(out / 'web.sqlite3').resolve()}",
                "miro_api_url": miro.base_url,
                "miro_auth_url": miro.base_url + "/oauth/authorize",
                "miro_client_id": miro.config.client_id,
                "miro_client_secret": miro.config.client_secret,
                "miro_redirect_uri": f"{app_base}/auth/callback",
                "token_keys": [Fernet.generate_key().decode()],
                "panel_ancestors": miro.base_url,
                "miro_sdk_url": miro.base_url + "/_emulator/sdk/v2/miro.js",
            },
        }
    )
    store = app.extensions["okrboard_store"]
    gateway = MiroGateway(MiroClient(miro.add_token(DEFAULT_USER_ID), base_url=miro.base_url))
    cycle, _ = import_plan_file(sample_plan(language), store, GROWTH_TEAM)
    say(f"Imported {cycle.name} into the Growth team; generating its board…")
    if not cycle.start <= date.today() <= cycle.end:  # the sample cycle is dated: play its first check-in day
        day = cycle.checkin_dates[0]
        app.config["TODAY"] = lambda: day
        say(f"The sample cycle runs {cycle.start} to {cycle.end}: the app takes today to be {day}.")
    summary = BoardGenerator(store, GROWTH_TEAM, gateway).run(str(cycle.id))
    start_tracking(store, GROWTH_TEAM, str(cycle.id), gateway)
    server = serve(app, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, name="okrboard-web", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        miro.stop()
        store.close()

    return DemoServers(
        dashboard_url=f"{app_base}/cycles/{cycle.id}",
        board_url=f"{miro.base_url}/_emulator/boards/{summary.board_id}/app?app={app_base}",
        emulator_url=miro.base_url,
        stop=stop,
    )
