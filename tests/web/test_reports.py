"""Report pages: the HTML report in the app, its downloads in every format, scoped to the team, bad input named."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re

import pytest

from tests.web.kit import csrf_token, import_plan

NAME = "GTM Q1 2027"


@pytest.fixture
def cycle_id(signed_in):
    return import_plan(signed_in)


def test_the_dashboard_links_the_report_page_which_shows_the_report_and_its_downloads(signed_in, cycle_id):
    dashboard = signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True)
    assert f'href="/cycles/{cycle_id}/report"' in dashboard
    page = signed_in.get(f"/cycles/{cycle_id}/report")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and f"Report: {NAME}" in body
    assert re.search(rf'<iframe[^>]+sandbox[^>]+src="/cycles/{cycle_id}/report.html"', body)
    for fmt in ("csv", "json", "md"):
        assert f'href="/cycles/{cycle_id}/report.{fmt}"' in body
    assert f'href="/cycles/{cycle_id}/report.html?download=1"' in body


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("csv", "text/csv; charset=utf-8"), ("json", "application/json"), ("md", "text/markdown; charset=utf-8")],
)
def test_each_download_has_its_content_type_and_a_file_name(signed_in, cycle_id, fmt, content_type):
    answer = signed_in.get(f"/cycles/{cycle_id}/report.{fmt}")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == content_type
    assert answer.headers["Content-Disposition"] == f'attachment; filename="gtm-q1-2027-report.{fmt}"'
    content = answer.get_data(as_text=True)
    if fmt == "json":
        assert json.loads(content)["cycle"]["name"] == NAME
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))  # a BOM, so Excel reads UTF-8
        assert "KR1.1" in {row["kr_ref"] for row in rows}
    else:
        assert content.startswith("#") and NAME in content


def test_the_html_report_is_shown_in_place_and_may_use_only_its_own_styles(signed_in, cycle_id):
    answer = signed_in.get(f"/cycles/{cycle_id}/report.html")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.mimetype == "text/html" and NAME in page
    assert answer.headers["Content-Disposition"].startswith("inline;")
    csp = answer.headers["Content-Security-Policy"]
    styles = re.findall(r"<style[^>]*>(.*?)</style>", page, re.S)
    assert styles
    for css in styles:
        assert "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'" in csp
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'self'" in csp and "sandbox" in csp
    assert answer.headers["X-Frame-Options"] == "SAMEORIGIN"
    saved = signed_in.get(f"/cycles/{cycle_id}/report.html?download=1")
    assert saved.headers["Content-Disposition"] == 'attachment; filename="gtm-q1-2027-report.html"'


def test_the_report_follows_the_store_when_a_check_in_is_recorded(signed_in, cycle_id):
    for kind in ("generate", "track"):
        token = csrf_token(signed_in, f"/cycles/{cycle_id}")
        assert signed_in.post(f"/cycles/{cycle_id}/jobs", data={"csrf_token": token, "kind": kind}).status_code == 302
    form = {"csrf_token": csrf_token(signed_in, f"/cycles/{cycle_id}/checkin"), "KR1.1.current": "3"}
    assert signed_in.post(f"/cycles/{cycle_id}/checkin", data=form).status_code == 302
    data = signed_in.get(f"/cycles/{cycle_id}/report.json").json
    [kr] = [k for o in data["objectives"] for k in o["key_results"] if k["ref"] == "KR1.1"]
    assert kr["current"] == 3
    as_of = signed_in.get(f"/cycles/{cycle_id}/report.md?checkin=1")
    assert as_of.status_code == 200 and "heck-in 1" in as_of.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("checkin=abc", "give a check-in number"),
        ("checkin=%C2%B2", "give a check-in number"),  # '²' passes str.isdigit() but not int()
        ("checkin=" + "1" * 5000, "give a check-in number"),  # past Python's int-from-text limit
        ("checkin=3", "is not recorded"),
    ],
)
def test_a_bad_or_unrecorded_check_in_is_refused_by_field(signed_in, cycle_id, query, problem):
    for path in (f"/cycles/{cycle_id}/report?{query}", f"/cycles/{cycle_id}/report.csv?{query}"):
        answer = signed_in.get(path, headers={"Accept": "application/json"})
        assert answer.status_code == 400, path
        assert problem in answer.json["error"]["fields"]["checkin"][0]


def test_an_unknown_format_is_a_clear_404(signed_in, cycle_id):
    answer = signed_in.get(f"/cycles/{cycle_id}/report.pdf", headers={"Accept": "application/json"})
    assert answer.status_code == 404 and "use html, csv, json or md" in answer.json["error"]["message"]
