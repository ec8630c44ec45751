"""The check-in page: review every key result, adjust value, confidence and comment, then record the check-in."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from addon.services.kr_update import KRUpdateError, read_number, update_key_result
from addon.web.clock import today
from addon.web.extensions import store
from addon.web.jobs import runner
from addon.web.session import login_required, require_board_writer, user_gateway

bp = Blueprint("checkins", __name__)
COMMENT_LIMIT = 500


def _form_changes(view: dict, language: str) -> tuple[dict[str, dict], dict[str, list[str]]]:
    """Read the form: the changes per key result, and every problem by field name; nothing is applied here."""
    changes, problems = {}, {}
    for objective in view["objectives"]:
        for kr in objective["key_results"]:
            ref = kr["ref"]
            fields = {}
            current = request.form.get(f"{ref}.current", "").strip()
            if current and current != ("" if kr["current"] is None else str(kr["current"])):
                fields["current"] = current
            confidence = request.form.get(f"{ref}.confidence", "").strip()
            shown = "" if kr["confidence"] is None else f"{round(kr['confidence'] * 100)}%"
            if confidence and confidence != shown:
                fields["confidence"] = confidence
            comment = request.form.get(f"{ref}.comment", "").strip()
            if comment:
                fields["comment"] = comment[:COMMENT_LIMIT]
            for name in ("current", "confidence"):
                if name in fields:
                    try:
                        read_number(fields[name], language, what=f"{ref} {name}", share=name == "confidence")
                    except KRUpdateError as error:
                        problems.setdefault(f"{ref}.{name}", []).append(str(error))
            if fields:
                changes[ref] = fields
    return changes, problems


@bp.route("/cycles/<int:cycle_id>/checkin", methods=["GET", "POST"])
@login_required
def review(cycle_id: int):
    """Show every key result for the check-in; on submit, save the changes and record it in the background."""
    from addon.web.cycles import dashboard_view

    view = dashboard_view(g.user.tenant, cycle_id, today())
    if request.method == "GET":
        return render_template("checkins/review.html", view=view, problems={}, form={})
    require_board_writer(g.user, cycle_id)
    changes, problems = _form_changes(view, view["cycle"]["language"])
    if problems:
        return render_template("checkins/review.html", view=view, problems=problems, form=request.form), 400
    for ref, fields in changes.items():
        update_key_result(store(), g.user.tenant, str(cycle_id), ref, **fields)
    params = {"on": today().isoformat(), "note": request.form.get("note", "").strip()[:COMMENT_LIMIT]}
    job_id = runner().submit(g.user, cycle_id, "checkin", user_gateway(g.user), params)
    return redirect(url_for("cycles.job", cycle_id=cycle_id, job_id=job_id))
