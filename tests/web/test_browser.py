"""Browser tests in Chromium (Debian's, through Playwright): sign in through the emulator, create a cycle from a
plan, generate and track its board with background jobs, and record a check-in; the dashboard shows each step."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.cli_kit import edit_card
from tests.conftest import need_service
from tests.web.kit import EXAMPLES, make_app, start_emulator

CHROMIUM = "/usr/bin/chromium"
SHOTS = os.environ.get("OKRBOARD_SCREENSHOTS")  # a folder: save the pages docs/web.md shows


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live(tmp_path):
    """The app served on loopback with background jobs in threads, against the emulator."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        need_service("Chromium", f"{CHROMIUM} is missing (make venv installs Debian's chromium as root)")
    from playwright import sync_api as playwright  # a dev dependency: missing means a broken install, not a skip

    port = _free_port()
    base = f"http://localhost:{port}"
    miro = start_emulator()
    miro.config.redirect_uris = [f"{base}/auth/callback"]
    app = make_app(
        miro,
        f"sqlite:///{tmp_path / 'browser.sqlite3'}",
        JOBS_INLINE=False,
        settings={"miro_redirect_uri": f"{base}/auth/callback"},
    )
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        yield page, base, miro
        browser.close()
    server.shutdown()
    miro.stop()


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _run_action(page, button: str) -> None:
    page.click(button)
    page.wait_for_selector('[data-state="done"], [data-state="failed"]', timeout=60_000)
    assert page.get_attribute("#job-state", "data-state") == "done", page.inner_text("main")
    page.click("text=Back to the dashboard")


def test_sign_in_create_generate_track_and_check_in_in_the_browser(live):
    page, base, miro = live
    page.goto(base + "/")
    page.click("#sign-in")
    assert page.url.startswith(miro.base_url + "/oauth/authorize")
    page.click("text=Add (approve)")
    page.wait_for_url(base + "/cycles")
    assert "Cycles of Growth Team" in page.inner_text("h1")

    page.click("text=New cycle from a plan")
    page.set_input_files("#plan", str(EXAMPLES / "company-q1.yaml"))
    page.click("text=Create cycle")
    page.wait_for_selector("#KR1\\.1")
    assert page.inner_text("#status") == "draft"

    _run_action(page, "#action-generate")
    assert page.is_visible("#board-link") and miro.state.boards
    _run_action(page, "#action-track")
    assert page.inner_text("#status") == "tracking"
    _shot(page, "dashboard")

    page.click("#action-checkin")
    page.fill("#KR1\\.1-current", "3")
    page.fill("#KR1\\.1-confidence", "70%")
    page.fill("#KR1\\.1-comment", "two pilots signed")
    _shot(page, "checkin")
    page.click("#record-checkin")
    page.wait_for_selector('[data-state="done"], [data-state="failed"]', timeout=60_000)
    assert "Check-in 1 recorded" in page.inner_text("#job-result")
    page.click("text=Back to the dashboard")
    assert page.inner_text("#KR1\\.1 .current") == "3"
    assert page.locator(".checkin-recorded").count() == 1

    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else 0)
    page.click("#report-link")
    report = page.frame_locator("#report")
    assert "GTM Q1 2027" in report.locator("body").inner_text()  # the HTML report, drawn in its sandboxed frame
    assert refused == []  # its styles are allowed by their hashes, nothing else is asked for
    with page.expect_download() as download:
        page.click("#download-csv")
    assert download.value.suggested_filename == "gtm-q1-2027-report.csv"


def test_a_bad_check_in_value_is_shown_next_to_its_field_in_the_browser(live):
    page, base, _ = live
    page.goto(base + "/")
    page.click("#sign-in")
    page.click("text=Add (approve)")
    page.wait_for_url(base + "/cycles")
    page.click("text=New cycle from a plan")
    page.set_input_files("#plan", str(EXAMPLES / "company-q1.yaml"))
    page.click("text=Create cycle")
    page.wait_for_selector("#action-checkin")
    page.click("#action-checkin")
    page.fill("#KR1\\.1-current", "1e308")
    page.click("#record-checkin")
    assert "Nothing was saved" in page.inner_text("#problems")
    assert "KR1.1.current" in page.inner_text("#problems")


def test_the_panel_in_the_emulators_board_shows_the_cycle_and_updates_a_selected_card(live):
    page, base, miro = live
    page.goto(base + "/")
    page.click("#sign-in")
    page.click("text=Add (approve)")
    page.wait_for_url(base + "/cycles")
    page.click("text=New cycle from a plan")
    page.set_input_files("#plan", str(EXAMPLES / "company-q1.yaml"))
    page.click("text=Create cycle")
    page.wait_for_selector("#action-generate")
    _run_action(page, "#action-generate")
    _run_action(page, "#action-track")
    board_id = next(iter(miro.state.boards))

    page.goto(f"{miro.base_url}/_emulator/boards/{board_id}/app?app={base}")
    page.click("#app-icon")
    panel = page.frame_locator("#app-panel")
    panel.locator("#panel-KR1\\.1").wait_for()
    assert panel.locator("#panel-title").inner_text() == "GTM Q1 2027"
    page.click(".item >> text=Signed design partners")
    panel.locator("#panel-selected").wait_for()
    assert "KR1.1" in panel.locator("#panel-kr-title").inner_text()
    panel.locator("#panel-kr-current").fill("4")
    panel.locator("#panel-kr-save").click()
    panel.locator("#panel-kr-message >> text=saved").wait_for()
    _shot(page, "panel")
    assert panel.locator("#panel-problems").inner_text() == "Not synced yet."
    edit_card(miro, board_id, "KR2.1", "<p>Score: abc</p>")
    panel.locator("#panel-sync").click()
    panel.locator("#panel-status >> text=sync done.").wait_for(timeout=60_000)
    problems = panel.locator("#panel-problems").inner_text()
    assert "KR2.1" in problems and "abc" in problems, problems
    card = miro.state.boards[board_id].items[page.get_attribute(".item.selected", "data-id")]
    assert card.type == "card" and "4" in str(card.data.get("description", "")), card.data
