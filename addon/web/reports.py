"""Report pages: a cycle's report as the HTML page the CLI writes (shown in a sandboxed frame) and its downloads
in csv, json and md, all made by the report service and formats (`okrboard report`), from the store as it is."""

from __future__ import annotations

import base64
import hashlib
import html
import re

from flask import Blueprint, Response, g, render_template, request

from addon.web.clock import today
from addon.web.errors import ApiError
from addon.web.extensions import store
from addon.web.session import login_required

bp = Blueprint("reports", __name__)
# Content types of the formats (https://www.rfc-editor.org/rfc/rfc7763 for Markdown, rfc4180 for CSV).
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
}
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""")


def _checkin() -> int | None:
    value = request.args.get("checkin", "").strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,6}", value) or int(value) < 1:  # ASCII digits only: int() refuses '²'
        message = "give a check-in number (1, 2, ...)"
        raise ApiError(400, "invalid_fields", f"checkin: {message}.", {"checkin": [message]})
    return int(value)


def _report(cycle_id: int, checkin: int | None):
    from addon.services.report import ReportRefused, load_report

    try:
        return load_report(store(), g.user.tenant, str(cycle_id), None, today=today(), checkin=checkin, sync=False)
    except ReportRefused as refused:
        raise ApiError(400, "invalid_fields", str(refused), {"checkin": [str(refused)]}) from None


def _render(report, fmt: str) -> str:
    from addon.reports import text_formats
    from addon.reports.html import to_html

    if fmt == "html":
        return to_html(report.data, report.pictures)
    return {"csv": text_formats.to_csv, "json": text_formats.to_json, "md": text_formats.to_markdown}[fmt](report.data)


def _file_name(report, fmt: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", report.data["cycle"]["name"].lower()).strip("-") or "cycle"
    return f"{slug}-report.{fmt}"


def _digest(css: str) -> str:
    return base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()


def _report_csp(page: str) -> str:
    # The report is one self-contained page with inline CSS: allow exactly its style blocks and its charts' style
    # attributes by hash ('unsafe-hashes': https://w3c.github.io/webappsec-csp/#unsafe-hashes-usage), no script,
    # framed only by this app's report page.
    blocks = STYLE.findall(page)
    attributes = {html.unescape(double or single) for double, single in STYLE_ATTRIBUTE.findall(page)}
    digests = sorted({_digest(css) for css in blocks}) + sorted({_digest(css) for css in attributes})
    styles = " ".join(f"'sha256-{digest}'" for digest in digests) or "'none'"
    if attributes:
        styles = "'unsafe-hashes' " + styles
    return (
        f"default-src 'none'; style-src {styles}; img-src data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'self'; sandbox"
    )


@bp.get("/cycles/<int:cycle_id>/report")
@login_required
def page(cycle_id: int):
    """The report of a cycle, with its downloads."""
    checkin = _checkin()
    report = _report(cycle_id, checkin)
    return render_template("reports/report.html", cycle=report.data["cycle"], cycle_id=cycle_id, checkin=checkin)


@bp.get("/cycles/<int:cycle_id>/report.<fmt>")
@login_required
def download(cycle_id: int, fmt: str):
    """The report in one format: html is shown in place (or saved with `download=1`), the others are saved."""
    if fmt not in CONTENT_TYPES:
        raise ApiError(404, "not_found", f"No report format {fmt!r}: use html, csv, json or md.")
    report = _report(cycle_id, _checkin())
    content = _render(report, fmt)
    response = Response(content, content_type=CONTENT_TYPES[fmt])
    inline = fmt == "html" and not request.args.get("download")
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{_file_name(report, fmt)}"'
    if fmt == "html":
        response.headers["Content-Security-Policy"] = _report_csp(content)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
