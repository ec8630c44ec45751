"""`okrboard demo --serve`: both servers answer and the printed URLs lead to the dashboard and the board's panel."""

from __future__ import annotations

import requests

from addon.demo.serve import start_demo_servers


def test_demo_servers_start_with_a_tracked_board_and_working_urls(tmp_path):
    servers = start_demo_servers(tmp_path, say=lambda _: None)
    try:
        dashboard = requests.get(servers.dashboard_url, allow_redirects=False, timeout=10)
        assert dashboard.status_code == 302 and "/?next=/cycles/" in dashboard.headers["Location"]
        board = requests.get(servers.board_url, timeout=10)
        assert board.status_code == 200 and "app-panel" in board.text and "Signed design partners" in board.text
        sdk = requests.get(servers.board_url.split("app=")[1] + "/panel/sdk", timeout=10)
        assert servers.emulator_url in sdk.headers["Content-Security-Policy"].split("frame-ancestors")[1]
    finally:
        servers.stop()
