"""The report as one self-contained, printable HTML page: inline CSS, inline SVG charts, embedded pictures."""

from __future__ import annotations

import base64
from functools import lru_cache

from markupsafe import Markup

from addon.reports import charts
from addon.reports.text_formats import heading_line
from addon.services.report_text import board_label, decimal, team_as_of, text


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("addon.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,  # a misspelt field fails the tests instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )


def to_html(report: dict, pictures: dict[int, bytes] | None = None) -> str:
    """Return the report page; `pictures` are PNGs of the board at each check-in (the time-lapse)."""
    lang = report["cycle"]["language"]
    dates = {row["checkin"]: row["date"] for row in report["checkin_summary"]}
    timelapse = [
        {
            "caption": text("checkin_n", lang, number=n, date=dates.get(n, "?")),
            "src": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        }
        for n, png in sorted((pictures or {}).items())
    ]
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            r=report,
            lang=lang,
            heading=heading_line(report),
            charts=Markup(charts.charts_svg(report)),  # matplotlib's SVG: refs and our labels only, escaped by it
            timelapse=timelapse,
            t=lambda key, **values: text(key, lang, **values),
            label=lambda key: board_label(key, lang),
            num=lambda value, places=2: decimal(value, lang, places),
            team_as_of=lambda team: team_as_of(team, lang),
        )
    )
