"""The HTML report opened in Chromium: it renders, its charts and pictures show, and it asks for nothing."""

import shutil

import pytest

from addon.reports.html import to_html
from board_picture.render import render_board_bytes
from tests.conftest import need_service
from tests.reports.test_report_formats import report_of

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def chromium_page():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need_service("Playwright", "pip install playwright")
    if CHROMIUM is None:
        need_service("Chromium", "apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser.new_page(viewport={"width": 1200, "height": 900})
        browser.close()


def test_the_report_renders_with_its_charts_and_board_pictures_and_no_requests(chromium_page, tmp_path):
    picture = render_board_bytes([], fmt="png", width_px=400)
    page_file = tmp_path / "report.html"
    page_file.write_text(to_html(report_of(), {1: picture, 2: picture}), encoding="utf-8")
    requests = []
    chromium_page.on("request", lambda request: requests.append(request.url))
    chromium_page.goto(page_file.as_uri())

    assert requests == [page_file.as_uri()]  # data: pictures are not requests
    chart = chromium_page.evaluate("document.querySelector('#charts svg').getBoundingClientRect().height")
    assert chart > 400
    widths = chromium_page.evaluate("[...document.querySelectorAll('#timelapse img')].map(i => i.naturalWidth)")
    assert widths == [400, 400]
    assert chromium_page.locator("#scorecard table").count() == 2
    assert chromium_page.title() == "GTM Q1 2027: OKR report"
