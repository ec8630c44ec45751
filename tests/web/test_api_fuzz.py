"""Schemathesis over /api/v1 from the app's own OpenAPI document, through the WSGI app (no network), as a signed-in
panel user: no request it generates, valid or not, gets a 5xx, invalid ones are refused, and every answer matches the
documented status, content type and schema; once with the panel's id token, once with a browser's session."""

from __future__ import annotations

import collections
import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import ignored_auth, positive_data_acceptance

from addon.web.id_token import mint
from tests.web.kit import ANA, GROWTH_TEAM, csrf_token, import_plan

EXAMPLES_PER_OPERATION = 25  # per operation and mode: all of them in well under a minute on a shared machine
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,  # the same requests every run: a failure here is a regression, not luck
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
POSITIVE = schemathesis.GenerationMode.POSITIVE


def fuzz(operation, mode, sent: tuple[dict, dict], known: dict, statuses: collections.Counter) -> None:
    """Send one operation's generated requests; Schemathesis' checks fail the test on the first bad answer."""

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(mode), existing=st.booleans())
    def answers_within_the_schema(case, existing):
        if existing and case.path_parameters and mode is POSITIVE:
            case.path_parameters = {name: known.get(name, value) for name, value in case.path_parameters.items()}
        # Schema-valid is not always acceptable: "³" is a string, but not a number the app can read (its number
        # grammar depends on the cycle's language, which no JSON Schema can say), so a 400 naming it is right.
        # And the credentials sent here are always valid ones: refusing bad ones is test_security.py's matrix.
        headers, cookies = sent
        excluded = [positive_data_acceptance, ignored_auth]
        response = case.call_and_validate(headers=headers, cookies=cookies, excluded_checks=excluded)
        statuses[case.operation.label, response.status_code] += 1

    answers_within_the_schema()


def credentials(how: str, signed_in, miro) -> tuple[dict, dict]:
    """Headers and cookies a caller sends: the panel's id token, or a browser's session cookie and CSRF token."""
    if how == "panel":
        token = mint(miro.config.client_id, miro.config.client_secret, ANA, GROWTH_TEAM)
        return {"Authorization": f"Bearer {token}"}, {}
    token = csrf_token(signed_in, "/cycles")  # first: rendering it may store the CSRF secret in the session
    return {"X-CSRFToken": token}, {"okrboard_session": signed_in.get_cookie("okrboard_session").value}


@pytest.mark.parametrize("how", ["panel", "session"])
def test_every_generated_request_is_answered_within_the_documented_schema_and_never_with_a_5xx(
    app, signed_in, miro, how
):
    cycle_id = import_plan(signed_in)
    headers, cookies = credentials(how, signed_in, miro)
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    job = client.post(f"/api/v1/cycles/{cycle_id}/jobs", json={"kind": "generate"}, headers=headers).json
    # Half the valid requests name what exists (the cycle, its board, a key result, a job), so their bodies reach
    # the code behind the lookups; the other half keep the identifiers generated.
    known = {"cycle_id": cycle_id, "job_id": job["id"], "board_id": next(iter(miro.state.boards)), "ref": "KR1.1"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6  # every operation but the document itself
    statuses = collections.Counter()
    for operation, mode in itertools.product(operations, schemathesis.GenerationMode):
        fuzz(operation, mode, (headers, cookies), known, statuses)
    reached = {label for label, status in statuses if status not in (401, 403, 404)}
    assert reached == {operation.label for operation in operations}, statuses  # each got past auth and lookups
