"""The report as strict JSON, as CSV (one row per key result per check-in) and as Markdown."""

from __future__ import annotations

import csv
import io
import json

from addon.services.report_text import board_label, decimal, team_as_of, text

# The CSV's columns, in order (documented in docs/reports.md). `checkin` is the check-in's number, or `now` on
# the last row of each key result: its state when the report was made.
CSV_COLUMNS = (
    "cycle",
    "checkin",
    "checkin_date",
    "objective_ref",
    "objective",
    "objective_type",
    "kr_ref",
    "key_result",
    "kind",
    "unit",
    "start",
    "target",
    "value",
    "score",
    "status",
    "confidence",
    "owner",
    "due",
    "comment",
    "carried_from",  # added after the first release: new columns go at the end so readers of old files keep working
)
# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_json(report: dict) -> str:
    """Return the report as strict JSON (no NaN or Infinity: they would make a parser fail)."""
    return json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def safe_cell(value) -> str | int | float:
    """Return a cell that no spreadsheet runs as a formula: text starting with = + - @ gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_rows(report: dict) -> list[dict]:
    """Return the CSV's rows as dicts (raw values, before formula escaping)."""
    rows = []
    name = report["cycle"]["name"]
    for objective in report["objectives"]:
        for kr in objective["key_results"]:
            base = {
                "cycle": name,
                "objective_ref": objective["ref"],
                "objective": objective["title"],
                "objective_type": objective["type"],
                "kr_ref": kr["ref"],
                "key_result": kr["title"],
                "kind": kr["kind"],
                "unit": kr["unit"],
                "start": kr["start"],
                "target": kr["target"],
                "owner": kr["owner"],
                "due": kr["due"],
                "carried_from": _carried_cell(kr["carried_from"]),
            }
            for snap in kr["history"]:
                rows.append(
                    base
                    | {
                        "checkin": snap["checkin"],
                        "checkin_date": snap["date"],
                        "value": snap["value"],
                        "score": snap["score"],
                        "status": snap["status"],
                        "confidence": snap["confidence"],
                        "comment": snap["comment"],
                    }
                )
            rows.append(
                base
                | {
                    "checkin": "now",
                    "checkin_date": report["report"]["as_of"],
                    "value": kr["current"],
                    "score": kr["score"],
                    "status": kr["status"],
                    "confidence": kr["confidence"],
                    "comment": kr["comment"],
                }
            )
    return rows


def _carried_cell(link: dict | None) -> str | None:
    """Return where next-cycle carried a key result from, as `CYCLE REF` (the cycle's name then), or None."""
    return f"{link['cycle']} {link['ref']}" if link else None


def to_csv(report: dict) -> str:
    """Return the report as CSV text with a UTF-8 byte order mark (so spreadsheets read accents right)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(report):
        writer.writerow({column: safe_cell(row[column]) for column in CSV_COLUMNS})
    return "\ufeff" + buffer.getvalue()


def _cell(value) -> str:
    """Return text safe inside a Markdown table cell."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def heading_line(report: dict) -> str:
    """Return the line that says which state a report shows (now, or a check-in)."""
    lang = report["cycle"]["language"]
    meta = report["report"]
    if meta["checkin"] is not None:
        return text("as_of_checkin", lang, number=meta["checkin"], date=meta["as_of"])
    return text("as_of", lang, date=meta["as_of"])


def to_markdown(report: dict) -> str:
    """Return the scorecard and the attention list as Markdown, ready to paste into a wiki."""
    lang = report["cycle"]["language"]
    c, meta = report["cycle"], report["report"]
    lines = [f"# {_cell(c['name'])}: {text('title', lang)}", "", f"{heading_line(report)} · {c['start']} – {c['end']}"]
    lines += ["", f"**{text('cycle_score', lang)}: {decimal(meta['score'], lang)}**", ""]
    lines += [f"## {text('scorecard', lang)}", ""]
    columns = ("key_result", "start", "target", "current", "score", "status", "health", "owner", "due", "confidence")
    for objective in report["objectives"]:
        kind = board_label(f"type:{objective['type'] or 'unset'}", lang)
        band = objective["band"]
        band_text = ""
        if band:
            verdict = text(band["verdict"], lang) if band["verdict"] else "-"
            band_text = f" · {text('band', lang)} {decimal(band['low'], lang, 1)}–{decimal(band['high'], lang, 1)}"
            band_text += f" ({verdict})"
        lines.append(f"### {objective['ref']} {_cell(objective['title'])}")
        lines.append("")
        lines.append(
            f"{kind} · {text('owner', lang)}: {_cell(objective['owner'] or '-')} · "
            f"{text('score', lang)} **{decimal(objective['score'], lang)}**{band_text}{_carried(objective, lang)}"
        )
        lines += ["", "| | " + " | ".join(text(k, lang) for k in columns) + " |"]
        lines.append("|---" * (len(columns) + 1) + "|")
        for kr in objective["key_results"]:
            confidence = "-" if kr["confidence"] is None else f"{round(kr['confidence'] * 100)} %"
            cells = [
                kr["ref"],
                _cell(kr["title"]) + _carried(kr, lang),
                decimal(kr["start"], lang, None),
                decimal(kr["target"], lang, None),
                decimal(kr["current"], lang, None),
                decimal(kr["score"], lang),
                board_label(f"status:{kr['status']}", lang),
                text(kr["health"]["health"], lang) if kr["health"] else "",
                _cell(kr["owner"] or "-"),
                kr["due"] or "-",
                confidence,
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += _team_lines(report)
    lines += [f"## {text('attention', lang)}", ""]
    if not report["attention"]:
        lines.append(text("attention_none", lang))
    lines += [f"- {_cell(item['message'])}" for item in report["attention"]]
    return "\n".join(lines) + "\n"


def _carried(item: dict, language: str) -> str:
    """Return ' · carried from CYCLE REF' for an objective or key result next-cycle carried, else ''."""
    link = item.get("carried_from")
    return f" · {_cell(text('carried_from', language, cycle=link['cycle'], ref=link['ref']))}" if link else ""


def _team_lines(report: dict) -> list[str]:
    """Return a company cycle's roll-up: each team objective, its score and the company objective it supports."""
    if not report.get("team_cycles"):
        return []
    lang = report["cycle"]["language"]
    lines = [f"## {text('team_cycles', lang)}", ""]
    for team in report["team_cycles"]:
        as_of = team_as_of(team, lang)
        lines.append(
            f"### {_cell(team['name'])} ({_cell(team['team'] or '-')}) · {text('score', lang)} "
            f"**{decimal(team['score'], lang)}**" + (f" ({as_of})" if as_of else "")
        )
        lines.append("")
        lines += [f"- {finding['rule']}: {_cell(finding['message'])}" for finding in team["findings"]]
        lines += ["| | " + " | ".join(text(k, lang) for k in ("team_objective", "score", "aligned_to")) + " |"]
        lines.append("|---|---|---|---|")
        for o in team["objectives"]:
            supports = f"{o['aligned_to']} {_cell(o['aligned_title'])}" if o["aligned_title"] else ""
            if o["finding"]:
                supports = f"⚠ {text('not_aligned', lang)} ({o['finding']['rule']}: {_cell(o['finding']['message'])})"
            lines.append(f"| {o['ref']} | {_cell(o['title'])} | {decimal(o['score'], lang)} | {supports} |")
        lines.append("")
    return lines
