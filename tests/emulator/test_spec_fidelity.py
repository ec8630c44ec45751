"""The emulator covers every operation of the spec subset, with the spec's rate levels and scopes, and the
response check used by every test of this suite really bites."""

from __future__ import annotations

import jsonschema
import pytest
from werkzeug.datastructures import MultiDict

from miro_emulator import create_app
from miro_emulator.operations import ENDPOINT_OPS, operations, resolve
from miro_emulator.validation import response_schema
from tests.emulator.emu_kit import _relaxed


def _served_operations() -> set[str]:
    create_app()  # registers every route
    served = set()
    for op in ENDPOINT_OPS.values():
        if callable(op):
            for args in ({}, {"tag_id": "1"}, {"parent_item_id": "1"}):
                served.add(op(MultiDict(args)))
        else:
            served.add(op)
    return served


def test_every_operation_of_the_spec_subset_is_served():
    assert set(operations()) - _served_operations() == set()


@pytest.mark.parametrize(
    ("endpoint", "args", "op_id", "level"),
    [
        ("generic.list_items", {}, "get-items", 2),
        ("generic.list_items", {"tag_id": "1"}, "get-items-by-tag", 1),
        ("generic.list_items", {"parent_item_id": "1"}, "get-items-within-frame", 2),
        ("generic.delete", {}, "delete-item", 3),
        ("generic.delete", {"tag_id": "1"}, "remove-tag-from-item", 1),
        ("boards.copy_board", {}, "copy-board", 4),
        ("items.create_card", {}, "create-card-item", 2),
    ],
)
def test_operations_and_levels_come_from_the_spec(endpoint, args, op_id, level):
    create_app()
    operation = resolve(endpoint, MultiDict(args))
    assert (operation.op_id, operation.level) == (op_id, level)


def test_response_check_rejects_a_card_that_breaks_the_schema():
    schema = _relaxed(response_schema("create-card-item", "201"))
    jsonschema.Draft4Validator(schema).validate({"id": "1", "type": "card", "position": {"x": 0, "y": 0}})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate({"id": 1, "type": "card"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate({"id": "1", "type": "card", "position": {"relativeTo": "x"}})
