"""Pages of a signed-in team: cycles, a new cycle from a plan, the dashboard, its jobs, the check-in page."""

from __future__ import annotations

import io

import pytest

from tests.web.kit import BEN, csrf_token, import_plan, sign_in


def test_signed_out_pages_send_people_to_sign_in_and_scripts_get_401(client):
    assert client.get("/cycles").location.startswith("/?next=/cycles")
    answer = client.get("/cycles", headers={"Accept": "application/json"})
    assert answer.status_code == 401
    assert answer.json["error"]["code"] == "unauthorized"


def test_unknown_path_is_a_page_for_people_and_json_for_scripts(client):
    page = client.get("/nowhere")
    assert page.status_code == 404 and "<h1>404" in page.get_data(as_text=True)
    script = client.get("/nowhere", headers={"Accept": "application/json"})
    assert script.status_code == 404
    assert set(script.json["error"]) == {"code", "message", "fields"}


def test_a_form_posted_without_its_csrf_token_is_refused(signed_in):
    answer = signed_in.post("/cycles/new", data={}, content_type="multipart/form-data")
    assert answer.status_code == 400
    assert "not sent by this app" in answer.get_data(as_text=True)


def test_an_uploaded_plan_becomes_a_cycle_of_my_team(signed_in):
    cycle_id = import_plan(signed_in)
    listing = signed_in.get("/cycles").get_data(as_text=True)
    assert f"/cycles/{cycle_id}" in listing
    dashboard = signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True)
    assert 'id="KR1.1"' in dashboard and 'id="schedule"' in dashboard and "Findings" in dashboard


def test_a_broken_plan_is_refused_with_its_problems_and_nothing_is_stored(signed_in):
    broken = io.BytesIO(b"cycle: {name: X, level: company, start: 2027-01-04, end: 2026-03-31}\nobjectives: nope\n")
    answer = signed_in.post(
        "/cycles/new",
        data={"csrf_token": csrf_token(signed_in, "/cycles/new"), "plan": (broken, "broken.yaml")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    assert "objectives" in answer.get_data(as_text=True)
    assert "No cycles yet" in signed_in.get("/cycles").get_data(as_text=True)


def test_a_file_that_is_not_a_plan_is_refused_by_name(signed_in):
    answer = signed_in.post(
        "/cycles/new",
        data={"csrf_token": csrf_token(signed_in, "/cycles/new"), "plan": (io.BytesIO(b"x"), "notes.txt")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400 and "notes.txt is not a .yaml plan file" in answer.get_data(as_text=True)


def _run(browser, cycle_id: int, kind: str):
    token = csrf_token(browser, f"/cycles/{cycle_id}")
    answer = browser.post(f"/cycles/{cycle_id}/jobs", data={"csrf_token": token, "kind": kind})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return browser.get(answer.location).get_data(as_text=True)


def test_generate_track_sync_and_check_in_from_the_browser_update_the_dashboard(signed_in, miro):
    cycle_id = import_plan(signed_in)
    generated = _run(signed_in, cycle_id, "generate")
    assert 'data-state="done"' in generated, generated
    assert miro.state.boards, "the board was created in Miro as the signed-in user"
    assert 'data-state="done"' in _run(signed_in, cycle_id, "track")
    assert 'data-state="done"' in _run(signed_in, cycle_id, "sync")
    dashboard = signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True)
    assert "tracking" in dashboard and 'id="board-link"' in dashboard and "No problems." in dashboard

    form = {"csrf_token": csrf_token(signed_in, f"/cycles/{cycle_id}/checkin"), "KR1.1.current": "3"}
    form |= {"KR1.1.confidence": "70%", "KR1.1.comment": "two pilots signed", "note": "first check-in"}
    answer = signed_in.post(f"/cycles/{cycle_id}/checkin", data=form)
    assert answer.status_code == 302
    done = signed_in.get(answer.location).get_data(as_text=True)
    assert "Check-in 1 recorded" in done, done
    dashboard = signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True)
    assert 'class="checkin-recorded"' in dashboard


def _row(page: str, ref: str) -> str:
    return page.split(f'<tr id="{ref}">')[1].split("</tr>")[0]


def test_a_check_in_with_an_unreadable_value_saves_nothing_and_names_the_field(signed_in):
    cycle_id = import_plan(signed_in)
    before = _row(signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True), "KR1.2")
    form = {"csrf_token": csrf_token(signed_in, f"/cycles/{cycle_id}/checkin")}
    form |= {"KR1.1.current": "1e308", "KR1.2.current": "4"}
    answer = signed_in.post(f"/cycles/{cycle_id}/checkin", data=form)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "KR1.1.current" in page and "Nothing was saved" in page
    after = _row(signed_in.get(f"/cycles/{cycle_id}").get_data(as_text=True), "KR1.2")
    assert after == before and '<td class="num current">4</td>' not in after


def test_an_unknown_action_is_refused_by_field(signed_in):
    cycle_id = import_plan(signed_in)
    token = csrf_token(signed_in, f"/cycles/{cycle_id}")
    answer = signed_in.post(
        f"/cycles/{cycle_id}/jobs", data={"csrf_token": token, "kind": "delete"}, headers={"Accept": "application/json"}
    )
    assert answer.status_code == 400 and answer.json["error"]["fields"] == {"kind": ["unknown action"]}


@pytest.mark.parametrize("role", ["viewer", "commenter"])
def test_a_board_viewer_or_commenter_cannot_run_an_action_or_record_a_check_in_from_a_page(app, signed_in, miro, role):
    cycle_id = import_plan(signed_in)
    assert 'data-state="done"' in _run(signed_in, cycle_id, "generate")
    board_id = next(iter(miro.state.boards))
    miro.state.set_member(board_id, BEN, role)
    ben = app.test_client()
    sign_in(ben, miro, BEN)
    engine = app.extensions["okrboard_store"].engine
    with engine.connect() as connection:
        jobs_before = connection.exec_driver_sql("select count(*) from web_jobs").scalar()
    for kind in ("generate", "track", "sync"):
        token = csrf_token(ben, f"/cycles/{cycle_id}")
        refused = ben.post(f"/cycles/{cycle_id}/jobs", data={"csrf_token": token, "kind": kind})
        page = refused.get_data(as_text=True)
        assert refused.status_code == 403 and f"Your role on this cycle&#39;s board is {role}" in page, (kind, page)
    form = {"csrf_token": csrf_token(ben, f"/cycles/{cycle_id}/checkin"), "KR1.1.current": "4"}
    refused = ben.post(f"/cycles/{cycle_id}/checkin", data=form)
    assert refused.status_code == 403 and "Ask the board&#39;s owner for edit access" in refused.get_data(as_text=True)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("select count(*) from web_jobs").scalar() == jobs_before
    assert '<td class="num current">4</td>' not in _row(ben.get(f"/cycles/{cycle_id}").get_data(as_text=True), "KR1.1")
    miro.state.set_member(board_id, BEN, "editor")
    assert 'data-state="done"' in _run(ben, cycle_id, "sync")
