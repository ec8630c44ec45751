"""The dashboard keeps a cycle's view between requests: every change shows on the next view, no team sees
another's, nobody sees another user's part of the page; the last sync's problems come from the board's record."""

from __future__ import annotations

import re
from datetime import date

import pytest

from addon.web.view_cache import CachedView, CycleVersion, ViewCache
from tests.cli_kit import edit_card, run
from tests.web.kit import BEN, DEV, GROWTH_TEAM, PRODUCT_TEAM, csrf_token, import_plan, make_app, sign_in


def _page(browser, cycle_id: int) -> str:
    answer = browser.get(f"/cycles/{cycle_id}")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return answer.get_data(as_text=True)


def _section(page: str, name: str) -> str:
    return page.split(f'id="{name}"')[1].split("</section>")[0]


def _current(page: str, ref: str) -> str:
    row = page.split(f'<tr id="{ref}">')[1].split("</tr>")[0]
    return re.search(r'class="num current">([^<]*)<', row).group(1)


def _run_job(browser, cycle_id: int, kind: str) -> None:
    token = csrf_token(browser, f"/cycles/{cycle_id}")
    answer = browser.post(f"/cycles/{cycle_id}/jobs", data={"csrf_token": token, "kind": kind})
    assert 'data-state="done"' in browser.get(answer.location).get_data(as_text=True)


@pytest.fixture
def cli_on_app(app, miro, cli_env, monkeypatch):
    """The command line on the web app's store, as the signed-in team, with the emulator's default user (Ana)."""
    url = app.extensions["okrboard_store"].engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("OKRBOARD_DATABASE_URL", url)
    monkeypatch.setenv("OKRBOARD_TENANT", GROWTH_TEAM)
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)


@pytest.fixture
def app(miro, store):
    """The web app on each supported database (the store fixture's), against the emulator."""
    return make_app(miro, store.engine.url.render_as_string(hide_password=False), STORE=store)


def test_a_sync_run_from_the_command_line_shows_its_problems_on_the_dashboard_until_fixed(signed_in, miro, cli_on_app):
    cycle_id = import_plan(signed_in)
    _run_job(signed_in, cycle_id, "generate")
    _run_job(signed_in, cycle_id, "track")
    assert "Not synced yet." in _section(_page(signed_in, cycle_id), "sync-problems")
    [board_id] = miro.state.boards

    edit_card(miro, board_id, "KR2.1", "<p>Score: abc</p>")
    edit_card(miro, board_id, "KR1.1", "<p>Target: 5 · Current: 2 · Score: 0.40</p>")
    assert run("sync", str(cycle_id)).exit_code == 0
    page = _page(signed_in, cycle_id)
    problems = _section(page, "sync-problems")
    assert "<strong>KR2.1</strong>" in problems and "abc" in problems, problems
    assert _current(page, "KR1.1") == "2"  # the value the sync took from the board, not the cached view's
    panel = signed_in.get(f"/api/v1/boards/{board_id}/cycle").get_json()
    assert [(p["ref"], "abc" in p["message"]) for p in panel["last_sync"]["problems"]] == [("KR2.1", True)]

    assert run("sync", str(cycle_id)).exit_code == 0  # nothing changed: the problem is still there
    assert "abc" in _section(_page(signed_in, cycle_id), "sync-problems")

    edit_card(miro, board_id, "KR2.1", "<p>Score: 0.5</p>")
    assert run("sync", str(cycle_id)).exit_code == 0
    problems = _section(_page(signed_in, cycle_id), "sync-problems")
    assert "No problems." in problems and "abc" not in problems


def test_a_key_result_update_and_a_check_in_show_on_the_next_dashboard_view(signed_in, cli_on_app):
    cycle_id = import_plan(signed_in)
    _run_job(signed_in, cycle_id, "generate")
    _run_job(signed_in, cycle_id, "track")
    assert _current(_page(signed_in, cycle_id), "KR1.1") == "-"
    assert _current(_page(signed_in, cycle_id), "KR1.1") == "-"  # kept: the same view twice

    assert run("kr", "update", str(cycle_id), "KR1.1", "--current", "3").exit_code == 0
    assert _current(_page(signed_in, cycle_id), "KR1.1") == "3"

    token = csrf_token(signed_in, f"/cycles/{cycle_id}")
    answer = signed_in.patch(
        f"/api/v1/cycles/{cycle_id}/key-results/KR1.1", json={"current": 4}, headers={"X-CSRFToken": token}
    )
    assert answer.status_code == 200, answer.get_json()
    assert _current(_page(signed_in, cycle_id), "KR1.1") == "4"

    form = {"csrf_token": csrf_token(signed_in, f"/cycles/{cycle_id}/checkin"), "KR1.1.current": "5"}
    assert signed_in.post(f"/cycles/{cycle_id}/checkin", data=form).status_code == 302
    page = _page(signed_in, cycle_id)
    assert 'class="checkin-recorded"' in page and _current(page, "KR1.1") == "5"


def test_another_team_never_gets_a_kept_view_of_my_cycle(app, signed_in, miro):
    cycle_id = import_plan(signed_in)
    name = "GTM Q1 2027"
    assert name in _page(signed_in, cycle_id)  # now kept
    assert signed_in.get(f"/api/v1/cycles/{cycle_id}").status_code == 200

    other = app.test_client()
    assert sign_in(other, miro, DEV, PRODUCT_TEAM).status_code == 302
    for path in (f"/cycles/{cycle_id}", f"/api/v1/cycles/{cycle_id}"):
        answer = other.get(path)
        assert answer.status_code == 404 and name not in answer.get_data(as_text=True), path
        assert "ETag" not in answer.headers


def test_each_user_gets_their_own_name_and_csrf_token_on_a_kept_page(app, signed_in, miro):
    cycle_id = import_plan(signed_in)
    mine = _page(signed_in, cycle_id)
    colleague = app.test_client()
    assert sign_in(colleague, miro, BEN, GROWTH_TEAM).status_code == 302
    theirs = _page(colleague, cycle_id)
    who = re.compile(r'<span class="who">([^<]*)</span>')
    assert "Ana" in who.search(mine).group(1) and "Ben" in who.search(theirs).group(1)
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    assert token.search(mine).group(1) != token.search(theirs).group(1)
    assert _section(mine, "KR1.1") == _section(theirs, "KR1.1")  # the cycle's part is the same


def test_an_api_read_answers_304_to_its_etag_until_the_cycle_changes(signed_in, cli_on_app):
    cycle_id = import_plan(signed_in)
    first = signed_in.get(f"/api/v1/cycles/{cycle_id}")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-store"
    unchanged = signed_in.get(f"/api/v1/cycles/{cycle_id}", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert signed_in.get(f"/api/v1/cycles/{cycle_id}", headers={"If-None-Match": '"not-a-tag"'}).status_code == 200

    assert run("kr", "update", str(cycle_id), "KR1.1", "--current", "2").exit_code == 0
    changed = signed_in.get(f"/api/v1/cycles/{cycle_id}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    kr = changed.get_json()["objectives"][0]["key_results"][0]
    assert (kr["ref"], kr["current"]) == ("KR1.1", 2)


@pytest.mark.parametrize("path", ["/cycles/999999", "/api/v1/cycles/999999", "/cycles/99999999999999"])
def test_a_cycle_that_does_not_exist_is_still_a_404(signed_in, path):
    import_plan(signed_in)
    answer = signed_in.get(path)
    assert answer.status_code == 404 and "Traceback" not in answer.get_data(as_text=True)


def _version(revision: int) -> CycleVersion:
    return CycleVersion(revision, "2027-01-01", None, None, None, None, None, "[]", (0, None))


def test_the_view_cache_drops_the_least_recently_used_cycle_and_refuses_an_older_version():
    cache, day = ViewCache(size=2), date(2027, 1, 18)
    for cycle_id in (1, 2):
        cache.put(("team", cycle_id, day), CachedView(_version(1), {"id": cycle_id}))
    assert cache.get(("team", 1, day), _version(1)).view == {"id": 1}  # 1 is now the most recently used
    cache.put(("team", 3, day), CachedView(_version(1), {"id": 3}))
    assert len(cache) == 2 and cache.get(("team", 2, day), _version(1)) is None
    assert cache.get(("team", 1, day), _version(2)) is None  # the cycle was saved since: not this entry
    assert cache.get(("other-team", 1, day), _version(1)) is None


def test_the_panel_finds_the_cycle_whose_newest_board_is_the_one_it_is_on(app, signed_in, miro):
    from sqlalchemy import insert

    from addon.adapters.orm import BoardRow

    first = import_plan(signed_in)
    second = import_plan(signed_in, "team-sales-q1.yaml")
    engine = app.extensions["okrboard_store"].engine
    with engine.begin() as connection:  # the newer cycle moved from board X to board Y; the older one uses X now
        for cycle_id, board in ((second, "X"), (second, "Y"), (first, "X")):
            connection.execute(insert(BoardRow.__table__).values(cycle_id=cycle_id, miro_board_id=board, language="en"))
    assert signed_in.get("/api/v1/boards/Y/cycle").get_json()["cycle"]["id"] == second
    assert signed_in.get("/api/v1/boards/X/cycle").get_json()["cycle"]["id"] == first
    other = app.test_client()
    assert sign_in(other, miro, DEV, PRODUCT_TEAM).status_code == 302
    assert other.get("/api/v1/boards/X/cycle").status_code == 404


def test_a_failed_sync_from_the_dashboard_is_shown_above_the_last_recorded_one(signed_in, miro):
    cycle_id = import_plan(signed_in)
    _run_job(signed_in, cycle_id, "generate")
    _run_job(signed_in, cycle_id, "track")
    assert 'id="sync-failed"' not in _page(signed_in, cycle_id)
    [board] = miro.state.boards.values()
    board.description = "someone else's board now"  # without the app's ownership marker, sync refuses the board
    token = csrf_token(signed_in, f"/cycles/{cycle_id}")
    job = signed_in.post(f"/cycles/{cycle_id}/jobs", data={"csrf_token": token, "kind": "sync"})
    assert 'data-state="failed"' in signed_in.get(job.location).get_data(as_text=True)
    page = _page(signed_in, cycle_id)
    assert 'id="sync-failed"' in page and "Not synced yet." in _section(page, "sync-problems")
