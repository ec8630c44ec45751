"""The role table: one entry per kind of item, agreeing with the layout, sync and the gateway's rules."""

from dataclasses import replace

from addon.adapters.board_layouts import load_layout
from addon.domain.board.layout import plan_board
from addon.domain.board.roles import ITEM_TYPES, ROLES, Role, spec, stands_for_key_result
from addon.domain.sync.decide import HANDLERS
from tests.domain.test_sync_fake import sample_cycle


def test_every_role_has_one_entry_with_a_known_item_type():
    assert set(ROLES) == set(Role)
    assert all(entry.item_type in ITEM_TYPES for entry in ROLES.values())


def test_sync_has_a_handler_for_exactly_the_roles_the_table_marks_synced():
    assert set(HANDLERS) == {role for role, entry in ROLES.items() if entry.synced}


def test_every_planned_item_has_a_role_of_the_table_and_its_item_type():
    blank = replace(sample_cycle(), objectives=[])  # a workshop board: placeholders
    for cycle in (sample_cycle(), blank):
        for item in plan_board(cycle, load_layout()).items:
            assert spec(item.role) is not None, item.role
            assert item.type == spec(item.role).item_type, item.key


def test_captured_roles_are_never_planned():
    planned = {item.role for item in plan_board(sample_cycle(), load_layout()).items}
    assert planned.isdisjoint({role for role, entry in ROLES.items() if entry.captured})


def test_key_results_stand_on_cards_or_the_stickies_the_team_wrote_them_on():
    assert {role for role in Role if stands_for_key_result(role)} == {Role.KR_CARD, Role.KR_STICKY}
    assert not stands_for_key_result("a role from a newer version")
