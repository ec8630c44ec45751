"""Drive the emulator with Miro's official Python client (`miro_api`, generated from the spec, strict pydantic
models): if it can call every operation and parse every answer, our responses have Miro's shapes.

`miro_api` pins urllib3<2, so it is installed apart from the project's packages:
    .venv/bin/python -m pip install --no-deps --target .venv/miro_api_pkgs 'miro_api==2.2.4'
Without it these tests skip, except under CI=true where they fail.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.emulator.emu_kit import ok

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # pydantic warns about the generated oneOf models
INSTALL = "python -m pip install --no-deps --target .venv/miro_api_pkgs 'miro_api==2.2.4'"


def _import_miro_api():
    try:
        import miro_api
    except ImportError:
        target = Path(os.environ.get("MIRO_API_PATH") or Path(sys.prefix) / "miro_api_pkgs")
        if not (target / "miro_api").is_dir():
            message = f"the official client miro_api is not installed (run: {INSTALL})"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(message + "; CI=true requires it")
            pytest.skip(message)
        sys.path.append(str(target))  # appended: the project's urllib3 2 and pydantic stay first
        import miro_api
    return miro_api


@pytest.fixture
def official(emu):
    miro_api = _import_miro_api()
    from miro_api.configuration import Configuration

    configuration = Configuration.get_default()
    previous = configuration.host
    configuration.host = emu.base_url
    try:
        yield miro_api.MiroApi(emu.token)
    finally:
        configuration.host = previous


@pytest.fixture
def models():
    _import_miro_api()
    import miro_api.models as models

    return models


@pytest.fixture
def board(official, models):
    return official.create_board(models.BoardChanges(name="Official client", description="fidelity"))


def test_boards_through_the_official_client(official, models, board):
    assert board.name == "Official client" and board.current_user_membership.role == "owner"
    assert official.get_specific_board(board.id).id == board.id
    for n in range(4):
        official.create_board(models.BoardChanges(name=f"Extra {n}"))
    page = official.get_boards(limit="2", sort="alphabetically")
    assert page.total == 5 and len(page.data) == 2
    assert len(list(official.get_all_boards(limit="2"))) == 5  # offset paging helper across 3 pages
    renamed = official.update_board(board.id, models.BoardChanges(name="Renamed"))
    assert renamed.name == "Renamed"
    copy = official.copy_board(board.id, models.CopyBoardChanges(name="Copied"))
    assert copy.name == "Copied"
    invite = official.share_board(board.id, models.BoardMembersInvite(emails=["ben@example.com"], role="editor"))
    assert invite.successful == [3458764500000000102]
    members = official.get_board_members(board.id)
    assert {m.role for m in members.data} == {"owner", "editor"}
    assert official.get_specific_board_member(board.id, "3458764500000000102").name == "Ben Brandt"
    official.delete_board(copy.id)
    info = official.token_info()
    assert info.user.name == "Ana Alvarez" and "boards:write" in info.scopes


def test_each_item_type_through_the_official_client(official, models, board):
    frame = official.create_frame_item(
        board.id,
        models.FrameCreateRequest(
            data=models.FrameChanges(title="Objective", format="custom", type="freeform"),
            position=models.PositionChange(x=0, y=0),
            geometry=models.GeometryNoRotation(width=1000, height=800),
        ),
    )
    parent = models.Parent(id=frame.id)
    card = official.create_card_item(
        board.id,
        models.CardCreateRequest(
            data=models.CardData(title="KR", description="<p>Target: 5</p>", assignee_id="3458764500000000102"),
            style=models.CardStyle(card_theme="#2d9bf0"),
            position=models.PositionChange(x=100, y=50),
            parent=parent,
        ),
    )
    assert card.position.relative_to == "parent_top_left" and card.parent.id == frame.id
    note = official.create_sticky_note_item(
        board.id,
        models.StickyNoteCreateRequest(
            data=models.StickyNoteData(content="idea", shape="square"),
            style=models.StickyNoteStyle(fill_color="pink"),
            geometry=models.FixedRatioNoRotationGeometry(width=199),
            parent=parent,
        ),
    )
    shape = official.create_shape_item(
        board.id,
        models.ShapeCreateRequest(
            data=models.ShapeDataForCreate(content="Done", shape="round_rectangle"),
            style=models.ShapeStyleForCreate(fill_color="#d5f692", font_size="18"),
        ),
    )
    text = official.create_text_item(
        board.id,
        models.TextCreateRequest(
            data=models.TextData(content="Check-in 1"), geometry=models.WidthOnlyAdjustableGeometry(width=300)
        ),
    )
    app_card = official.create_app_card_item(
        board.id, models.AppCardCreateRequest(data=models.AppCardDataChanges(title="KR app card", status="connected"))
    )
    assert official.get_frame_item(board.id, frame.id).data.title == "Objective"
    assert official.get_card_item(board.id, card.id).data.title == "KR"
    assert official.get_sticky_note_item(board.id, note.id).style.fill_color == "pink"
    assert official.get_shape_item(board.id, shape.id).style.font_size == "18"
    assert official.get_text_item(board.id, text.id).data.content == "Check-in 1"
    assert official.get_app_card_item(board.id, app_card.id).data.owned is True
    moved = official.update_card_item(
        board.id, card.id, models.CardUpdateRequest(position=models.PositionChange(x=300, y=60))
    )
    assert (moved.position.x, moved.position.y) == (300, 60)
    official.update_sticky_note_item(
        board.id, note.id, models.StickyNoteUpdateRequest(data=models.StickyNoteData(content="better idea"))
    )
    official.update_shape_item(
        board.id, shape.id, models.ShapeUpdateRequest(data=models.ShapeDataForUpdate(content="Doing"))
    )
    official.update_text_item(board.id, text.id, models.TextUpdateRequest(data=models.TextData(content="Check-in 2")))
    official.update_app_card_item(
        board.id, app_card.id, models.AppCardUpdateRequest(data=models.AppCardDataChanges(title="renamed"))
    )
    official.update_frame_item(
        board.id, frame.id, models.FrameUpdateRequest(data=models.FrameChanges(title="Objective 1"))
    )
    generic = official.get_specific_item(board.id, note.id)
    assert generic.type == "sticky_note" and generic.parent.id == frame.id
    out = official.update_item_position_or_parent(board.id, text.id, models.GenericItemUpdate(parent=parent))
    assert out.position.relative_to == "parent_top_left"
    children = official.get_items_within_frame(board.id, parent_item_id=frame.id, limit="10")
    assert {i.id for i in children.data} == {card.id, note.id, text.id}
    official.delete_card_item(board.id, card.id)
    official.delete_sticky_note_item(board.id, note.id)
    official.delete_shape_item(board.id, shape.id)
    official.delete_app_card_item(board.id, app_card.id)
    official.delete_item(board.id, text.id)
    official.delete_frame_item(board.id, frame.id)
    assert official.get_items(board.id).data == []


def test_bulk_and_paging_across_pages_through_the_official_client(official, models, board):
    for start in range(0, 45, 15):
        batch = [
            models.ItemCreate(
                type="sticky_note", data=models.ItemDataCreate(models.StickyNoteData(content=f"idea {n}"))
            )
            for n in range(start, start + 15)
        ]
        created = official.create_items(board.id, batch)
        assert [i.type for i in created.data] == ["sticky_note"] * 15
    first = official.get_items(board.id, limit="10")
    assert first.total == 45 and first.cursor
    assert len(list(official.get_all_items(board.id, limit="10"))) == 45  # 5 cursor pages
    assert len(list(official.get_all_items(board.id, limit="50", type="sticky_note"))) == 45


def test_bulk_rejection_reaches_the_official_client_as_400(official, models, board):
    from miro_api.exceptions import BadRequestException

    bad = models.ItemCreate(
        type="sticky_note",
        data=models.ItemDataCreate(models.StickyNoteData(content="x")),
        geometry=models.Geometry(width=100, height=100),
    )
    with pytest.raises(BadRequestException) as caught:
        official.create_items(board.id, [bad])
    assert caught.value.status == 400 and '"0.geometry"' in caught.value.body
    with pytest.raises(BadRequestException):
        official.get_items(board.id, limit="9")
    with pytest.raises(BadRequestException):
        official.create_sticky_note_item(
            board.id,
            models.StickyNoteCreateRequest(geometry=models.FixedRatioNoRotationGeometry(width=100, height=100)),
        )


def test_tags_and_connectors_through_the_official_client(official, models, board):
    card = official.create_card_item(board.id, models.CardCreateRequest(data=models.CardData(title="KR")))
    note = official.create_sticky_note_item(
        board.id, models.StickyNoteCreateRequest(data=models.StickyNoteData(content="idea"))
    )
    tag = official.create_tag(board.id, models.TagCreateRequest(title="At risk", fill_color="red"))
    assert official.get_tag(board.id, tag.id).title == "At risk"
    assert official.update_tag(board.id, tag.id, models.TagUpdateRequest(title="Risky")).title == "Risky"
    assert [t.id for t in official.get_tags_from_board(board.id).data] == [tag.id]
    official.attach_tag_to_item(board.id, card.id, tag.id)
    assert [t.title for t in official.get_tags_from_item(board.id, card.id).tags] == ["Risky"]
    assert [i.id for i in official.get_items_by_tag(board.id, tag.id).data] == [card.id]
    official.remove_tag_from_item(board.id, card.id, tag.id)
    assert official.get_tags_from_item(board.id, card.id).tags == []
    official.delete_tag(board.id, tag.id)

    connector = official.create_connector(
        board.id,
        models.ConnectorCreationData(
            start_item=models.ItemConnectionCreationData(id=card.id),
            end_item=models.ItemConnectionCreationData(id=note.id, snap_to="left"),
            shape="straight",
        ),
    )
    assert connector.start_item.id == card.id and connector.shape == "straight"
    assert official.get_connector(board.id, connector.id).end_item.position.x == "0.0%"
    assert [c.id for c in official.get_connectors(board.id).data] == [connector.id]
    updated = official.update_connector(board.id, connector.id, models.ConnectorChangesData(shape="elbowed"))
    assert updated.shape == "elbowed"
    assert len(list(official.get_all_connectors(board.id))) == 1
    official.delete_connector(board.id, connector.id)


def test_revoke_through_the_official_client(official, models, emu, api):
    from miro_api.exceptions import UnauthorizedException

    token = emu.add_token("ben")
    official.revoke_token_v2(
        models.RevokeTokenRequest(
            access_token=token, client_id=emu.config.client_id, client_secret=emu.config.client_secret
        )
    )
    other = type(official)(token)
    with pytest.raises(UnauthorizedException):
        other.get_boards()
    ok(api.get("/v2/boards"))


def test_bulk_text_create_through_the_official_client_works(official, models, board):
    # The client builds data from a dict by trying every schema of the bulk oneOf; it keeps ShapeData for a text
    # and so sends `"shape": "rectangle"`. The bulk schema allows it (ShapeData is one of its data schemas), so
    # the text is created, without a shape.
    item = models.ItemCreate.from_dict(
        {"type": "text", "data": {"content": "Objective 1"}, "style": {"fontSize": "24"}, "geometry": {"width": 300}}
    )
    assert item.to_dict()["data"] == {"content": "Objective 1", "shape": "rectangle"}
    created = official.create_items(board.id, [item]).data[0]
    assert created.type == "text"
    text = official.get_text_item(board.id, created.id)
    assert text.data.content == "Objective 1" and text.style.font_size == "24"
