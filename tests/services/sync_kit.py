"""Helpers for the sync tests: a board generated on the emulator, and a team member who works on it.

The team member uses the REST API with their own token, as the Miro web app would on their behalf: cards move
with a PATCH of position + parent, text is edited with a PATCH of data, stickies are created inside frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from addon.adapters.board_layouts import load_layout
from addon.adapters.plan_file import load_plan
from addon.demo.team import TeamMember
from addon.domain.board import card_text
from addon.domain.board.layout import plan_board, position_for_scores
from addon.services.generation.generator import BoardGenerator
from addon.services.ports import BoardUnavailable
from addon.services.track import start_tracking
from miro_client import MiroClient

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
TENANT = "t1"


@dataclass
class Board:
    """A generated board: its ids by journal key, and the plan it was generated from."""

    cycle_id: int
    board_id: str
    ids: dict[str, str]
    plan: object


def generated_board(
    store, gateway, *, plan="company-q1.yaml", track=True, blank=False, tenant=TENANT, cycle=None
) -> Board:
    """Import a plan (or a cycle), generate its board (and start tracking), and return what the tests need."""
    with store.unit(tenant) as uow:
        cycle = cycle or load_plan(EXAMPLES / plan).cycle
        if blank:
            cycle.objectives = []
        cycle = uow.cycles.add(cycle)
    summary = BoardGenerator(store, tenant, gateway).run(str(cycle.id))
    if track:
        start_tracking(store, tenant, str(cycle.id), gateway)
    with store.unit(tenant) as uow:
        cycle = uow.cycles.get(cycle.id)
        board = uow.boards.latest_board(cycle.id)
        entries = uow.boards.entries(board.id)
    plan_now = plan_board(cycle, load_layout(), language=board.language)
    return Board(cycle.id, summary.board_id, {k: e.miro_item_id for k, e in entries.items()}, plan_now)


class Team(TeamMember):
    """A team member acting on the board through the API with their own token (the demo's, plus test moves)."""

    def __init__(self, miro, board: Board, user: str = "Ben"):
        self.board = board
        with MiroClient(miro.token, base_url=miro.base_url, sleep=lambda _s: None) as owner:
            owner.share_board(board.board_id, emails=[miro.state.find_user(user).email], role="editor")
        client = MiroClient(miro.add_token(user), base_url=miro.base_url, sleep=lambda _s: None)
        super().__init__(client, board.board_id, board.plan, board.ids)

    def close(self) -> None:
        """Close the member's connections."""
        self.client.close()

    def item(self, key: str) -> dict:
        """Return the item of a journal key as Miro lists it."""
        return self.client.get_item(self.board.board_id, self.board.ids[key])

    def frame(self, frame_key: str) -> tuple[str, float, float]:
        """Return (id, left, top) of a frame on the board."""
        frame = self.item(frame_key)
        geometry = frame["geometry"]
        return (
            frame["id"],
            frame["position"]["x"] - geometry["width"] / 2,
            frame["position"]["y"] - geometry["height"] / 2,
        )

    def move_card_to(self, ref: str, x: float, y: float) -> dict:
        """Drag a card to an absolute point outside every frame."""
        return self.client.update_card(self.board.board_id, self.board.ids[f"card:{ref}"], position={"x": x, "y": y})

    def edit_description(self, ref: str, text: str) -> dict:
        """Type a card's description (plain text, as Miro would store it, in a paragraph)."""
        return self.client.update_card(
            self.board.board_id, self.board.ids[f"card:{ref}"], data={"description": card_text.html_lines([text])}
        )

    def edit_title(self, key: str, title: str, description: str | None = None) -> dict:
        """Type a card's title (and description)."""
        data = {"title": card_text.escape_text(title)}
        if description is not None:
            data["description"] = card_text.html_lines([description])
        return self.client.update_card(self.board.board_id, self.board.ids[key], data=data)

    sticky_in_matrix = TeamMember.idea_in_matrix

    def sticky_in_area(self, area_key: str, frame_key: str, text: str, item_type: str = "sticky_note") -> dict:
        """Drop a sticky note (or a card) in the middle of an area (an objective frame, a retro section)."""
        area = self.board.plan.area(area_key)
        frame_id, position = self._in_frame(frame_key, (area.x0 + area.x1) / 2, (area.y0 + area.y1) / 2 + 60)
        if item_type == "card":
            return self.client.create_card(
                self.board.board_id, data={"title": card_text.escape_text(text)}, position=position, parent_id=frame_id
            )
        return self.client.create_sticky_note(
            self.board.board_id, data={"content": card_text.html_lines([text])}, position=position, parent_id=frame_id
        )

    def move_sticky(self, item_id: str, matrix_ref: str, impact: float, effort: float) -> dict:
        """Drag an idea sticky to another point of a matrix."""
        plot = self.board.plan.area(f"matrix:{matrix_ref}:plot")
        frame_id, position = self._in_frame(f"matrix:{matrix_ref}", *position_for_scores(plot, impact, effort))
        return self.client.update_sticky_note(self.board.board_id, item_id, position=position, parent_id=frame_id)

    def delete(self, key_or_id: str) -> None:
        """Delete an item from the board."""
        self.client.delete_item(self.board.board_id, self.board.ids.get(key_or_id, key_or_id))


class FailingPages:
    """A gateway whose listing fails after some pages, as when Miro keeps failing past the retries."""

    def __init__(self, gateway, pages: int):
        self.gateway, self.pages = gateway, pages

    def __getattr__(self, name):
        return getattr(self.gateway, name)

    def iter_items(self, board_id, **kwargs):
        for index, item in enumerate(self.gateway.iter_items(board_id, **kwargs)):
            if index == 50 * self.pages:
                raise BoardUnavailable("page failed after retries")
            yield item
