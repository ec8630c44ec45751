"""`kr update` in the store: numbers as people type them, range checks, and edit times that sync compares."""

from datetime import date

import pytest

from addon.adapters.orm import KeyResultRow
from addon.services.kr_update import KRUpdateError, read_number, update_key_result
from tests.services.sync_kit import EXAMPLES, TENANT


@pytest.fixture
def cycle_id(sqlite_store):
    from addon.adapters.plan_file import load_plan

    with sqlite_store.unit(TENANT) as uow:
        return uow.cycles.add(load_plan(EXAMPLES / "company-q1.yaml").cycle).id


@pytest.mark.parametrize(
    "text, language, value",
    [("6,500", "en", 6500.0), ("6 500", "fr", 6500.0), ("1,5", "fr", 1.5), ("99.7%", "en", 99.7), ("4", "en", 4.0)],
)
def test_values_are_read_as_people_type_them(text, language, value):
    assert read_number(text, language, what="--current") == value


@pytest.mark.parametrize("text", ["1e308", "0x10", "1_000", "9" * 400, "6.500", "inf", "1.2k"])
def test_values_another_reader_would_turn_into_another_number_are_refused(text):
    with pytest.raises(KRUpdateError, match="--current: "):
        read_number(text, "en", what="--current")


@pytest.mark.parametrize("text, value", [("0.7", 0.7), ("70%", 0.7), ("70 %", 0.7), ("none", None), ("auto", None)])
def test_scores_are_read_as_people_type_them(text, value):
    got = read_number(text, "en", what="--score", share=True)
    assert (got is None and value is None) or got == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "1.7", "-", "0.5 points", "0,7", "1e-1", "nan", "inf"])
def test_bad_scores_are_refused(text):
    with pytest.raises(KRUpdateError):
        read_number(text, "en", what="--score", share=True)


def test_an_update_changes_only_what_was_given_and_stamps_those_fields(sqlite_store, cycle_id):
    update_key_result(sqlite_store, TENANT, str(cycle_id), "KR1.2", current="12", confidence="0.6")
    with sqlite_store.unit(TENANT) as uow:
        kr = uow.cycles.get(cycle_id).key_results_by_ref()["KR1.2"][1]
        row = uow.session.get(KeyResultRow, kr.id)
    assert (kr.current, kr.manual_score, kr.confidence, kr.due) == (12.0, None, 0.6, date(2027, 3, 31))
    assert set(row.edited_at) == {"current", "confidence"}


def test_an_unknown_key_result_names_the_ones_there_are(sqlite_store, cycle_id):
    with pytest.raises(KRUpdateError, match="KR1.1, KR1.2"):
        update_key_result(sqlite_store, TENANT, str(cycle_id), "KR7.1", current="1")


def test_another_tenant_cannot_update_the_cycle(sqlite_store, cycle_id):
    from addon.adapters.repository import CycleNotFound

    with pytest.raises(CycleNotFound):
        update_key_result(sqlite_store, "someone-else", str(cycle_id), "KR1.1", current="1")
