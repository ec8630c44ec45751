"""Pages of a team's cycles: the list, a new cycle from an uploaded plan, the dashboard, its actions and jobs."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup

from addon.domain.errors import PlanError
from addon.domain.method.health import expected_score, kr_health
from addon.domain.method.model import ObjectiveType
from addon.domain.method.scoring import band_verdict, kr_score, objective_score
from addon.services.ports import CycleNotFound
from addon.web.clock import today
from addon.web.errors import ApiError
from addon.web.extensions import store
from addon.web.jobs import get_job, newest_job, runner
from addon.web.session import login_required, needs_signin, require_board_writer, user_gateway
from addon.web.view_cache import (
    VIEW_CACHE,
    CachedView,
    CycleVersion,
    ViewCache,
    cycle_version,
    key_result_items,
    utc_naive,
)

bp = Blueprint("cycles", __name__)
PLAN_SUFFIXES = (".yaml", ".yml")


def _build_view(tenant: str, cycle_id: int, today: date, version: CycleVersion) -> dict:
    """Everything the dashboard shows about a cycle, loaded through the ORM (the cached part: no per-user data)."""
    from addon.domain.method.rules import check_cycle
    from addon.services import cycles as cycle_service
    from addon.services import sync_board

    cycle, parent = cycle_service.load_cycle(store(), tenant, str(cycle_id))
    findings = check_cycle(cycle, parent=parent, today=today)
    view = cycle_service.cycle_view(cycle, findings, sync_board.cycle_conflicts(store(), tenant, cycle.id))
    for objective, shown in zip(cycle.objectives, view["objectives"], strict=True):
        score = objective_score(objective)
        kind = objective.type or ObjectiveType.COMMITMENT
        shown["band"] = None if score is None else str(band_verdict(score, kind))
        shown["expected"] = round(expected_score(cycle, objective.type, today), 2)
        for kr, kr_view in zip(objective.key_results, shown["key_results"], strict=True):
            kr_view["health"] = str(kr_health(cycle, objective, kr, today))
            kr_view["score"] = round(kr_score(kr), 2)
    recorded = {c.number: c.on for c in cycle.checkins}
    view["schedule"] = [
        {
            "number": n,
            "date": planned.isoformat(),
            "recorded": recorded[n].isoformat() if n in recorded else None,
            "state": "recorded" if n in recorded else ("missed" if planned < today else "due"),
        }
        for n, planned in enumerate(cycle.checkin_dates, start=1)
    ]
    has_board = version.board_id is not None
    view["board"] = {"id": version.miro_board_id, "link": version.board_link, "kr_items": {}} if has_board else None
    # The board's record of its last sync, written by every sync (CLI, web, watch) and kept until the next one.
    synced = version.last_synced_at and version.last_synced_at.isoformat(timespec="seconds") + "Z"
    view["last_sync"] = {"synced_at": synced, "problems": version.problems} if has_board else None
    return view


def cycle_entry(tenant: str, cycle_id: int, today: date) -> CachedView:
    """The tenant's cycle view at its current version, from the cache when unchanged (404 for another team's
    cycle). The version is read before the cycle, so a view is never older than the version it is kept under."""
    version = cycle_version(store().engine, tenant, cycle_id)
    if version is None:
        raise CycleNotFound(f"no cycle {cycle_id}")
    cache, key = view_cache(), (tenant, cycle_id, today)
    entry = cache.get(key, version)
    if entry is None:
        entry = cache.put(key, CachedView(version, _build_view(tenant, cycle_id, today, version)))
    return entry


def dashboard_view(tenant: str, cycle_id: int, today: date, *, board_items: bool = False) -> dict:
    """Everything the dashboard shows about a cycle of the tenant (404 for another team's cycle); with
    `board_items`, also which board item stands for which key result (the panel needs it, pages do not)."""
    entry = cycle_entry(tenant, cycle_id, today)
    if not board_items or entry.view["board"] is None:
        return entry.view
    kr_items = key_result_items(store().engine, entry.version.board_id)
    return {**entry.view, "board": {**entry.view["board"], "kr_items": kr_items}}


def failed_sync(tenant: str, cycle_id: int, version: CycleVersion) -> str | None:
    """The error of the newest sync started from the web, when it failed after the board's last recorded sync."""
    last = newest_job(tenant, cycle_id, "sync")
    if last is None or last.state != "failed":
        return None
    finished, synced = utc_naive(last.finished_at), version.last_synced_at
    return last.error if finished is None or synced is None or finished > synced else None


def view_cache() -> ViewCache:
    """The app's cache of cycle views."""
    return current_app.extensions[VIEW_CACHE]


@bp.get("/cycles")
@login_required
def index():
    """The cycles of my team, newest first."""
    with store().unit(g.user.tenant) as uow:
        cycles = uow.cycles.list()
    return render_template("cycles/index.html", cycles=cycles)


@bp.route("/cycles/new", methods=["GET", "POST"])
@login_required
def new():
    """Upload a plan file: refused with every problem and its line, or stored with its findings shown."""
    if request.method == "GET":
        return render_template("cycles/new.html", problems=[], source=None)
    from addon.services import cycles as cycle_service

    upload = request.files.get("plan")
    if upload is None or not upload.filename:
        return render_template("cycles/new.html", problems=["plan: choose a plan file (.yaml) to upload"]), 400
    name = Path(upload.filename).name
    if not name.lower().endswith(PLAN_SUFFIXES):
        return render_template("cycles/new.html", problems=[f"plan: {name} is not a .yaml plan file"]), 400
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name  # the findings name the file the person uploaded
        upload.save(path)
        try:
            cycle, findings = cycle_service.import_plan_file(path, store(), g.user.tenant)
        except PlanError as error:
            return render_template("cycles/new.html", problems=error.problems, source=name), 400
    flash(f"{cycle.name} was created with {len(findings)} finding(s).", "info")
    return redirect(url_for("cycles.dashboard", cycle_id=cycle.id))


@bp.get("/cycles/<int:cycle_id>")
@login_required
def dashboard(cycle_id: int):
    """A cycle's dashboard: scores, bands, health, findings, the last sync's problems, the schedule, the board."""
    entry = cycle_entry(g.user.tenant, cycle_id, today())
    if "html" not in entry.made:  # the cycle's part of the page; the user's part is rendered for each request
        entry.made["html"] = render_template("cycles/_cycle.html", view=entry.view)
    return render_template(
        "cycles/dashboard.html",
        view=entry.view,
        cycle_html=Markup(entry.made["html"]),
        failed_sync=failed_sync(g.user.tenant, cycle_id, entry.version),
        needs_signin=needs_signin(g.user),
    )


ACTIONS = {"generate": "Generate board", "track": "Start tracking", "sync": "Sync now", "checkin": "Record check-in"}


@bp.post("/cycles/<int:cycle_id>/jobs")
@login_required
def start_job(cycle_id: int):
    """Start an action of the dashboard as a background job and show its progress."""
    kind = request.form.get("kind", "")
    if kind not in ACTIONS:
        raise ApiError(400, "bad_kind", f"kind: unknown action {kind!r}", {"kind": ["unknown action"]})
    from addon.services import cycles as cycle_service

    cycle, _ = cycle_service.load_cycle(store(), g.user.tenant, str(cycle_id))  # 404 for another team's cycle
    require_board_writer(g.user, cycle.id)
    params = {"on": today().isoformat(), "note": request.form.get("note", "")[:500]} if kind == "checkin" else {}
    job_id = runner().submit(g.user, cycle.id, kind, user_gateway(g.user), params)
    return redirect(url_for("cycles.job", cycle_id=cycle.id, job_id=job_id))


@bp.get("/cycles/<int:cycle_id>/jobs/<int:job_id>")
@login_required
def job(cycle_id: int, job_id: int):
    """A job's progress (the page refreshes itself while it runs) and its outcome."""
    row = get_job(g.user.tenant, job_id)
    if row.cycle_id != cycle_id:
        raise ApiError(404, "not_found", f"No job {job_id}.")
    return render_template("cycles/job.html", job=row, title=ACTIONS[row.kind], cycle_id=cycle_id)
