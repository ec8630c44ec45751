"""A team member working on a generated board through Miro's API, as the Miro web app does on their behalf.

The demo uses it to play a check-in; the sync tests use it to act on the board. Cards move with a PATCH of
position and parent frame, text is typed with a PATCH of data, ideas are stickies created inside a matrix.
"""

from __future__ import annotations

from addon.domain.board import card_text
from addon.domain.board.layout import position_for_scores
from addon.domain.board.plan import BoardPlan
from miro_client import MiroClient


class TeamMember:
    """Acts on one board with a team member's own Miro token."""

    def __init__(self, client: MiroClient, board_id: str, plan: BoardPlan, ids: dict[str, str]):
        self.client, self.board_id, self.plan, self.ids = client, board_id, plan, ids

    def _in_frame(self, frame_key: str, x: float, y: float) -> tuple[str, dict]:
        """Convert an absolute planned point to (frame id, position from the frame's top-left)."""
        frame = self.plan.item(frame_key)
        return self.ids[frame_key], {
            "x": round(x - (frame.x - frame.width / 2), 2),
            "y": round(y - (frame.y - frame.height / 2), 2),
        }

    def move_card_to_column(self, ref: str, status: str, slot: int = 0) -> dict:
        """Drag a key-result card into a Kanban column (not_started, in_progress, at_risk, done)."""
        column = self.plan.area(f"kanban:column:{status}")
        row, col = divmod(slot, 3)  # the demo's cards sit side by side, three to a row
        x, y = column.x0 + 170 + col * 320, column.y0 + 200 + row * 160
        frame_id, position = self._in_frame("frame:kanban", x, y)
        return self.client.update_card(self.board_id, self.ids[f"card:{ref}"], position=position, parent_id=frame_id)

    def type_on_card(self, ref: str, text: str) -> dict:
        """Type a key-result card's description line (plain text, stored as a paragraph like Miro does)."""
        return self.client.update_card(
            self.board_id, self.ids[f"card:{ref}"], data={"description": card_text.html_lines([text])}
        )

    def idea_in_matrix(self, matrix_ref: str, text: str, impact: float, effort: float) -> dict:
        """Drop a sticky note in a matrix at the point that stands for an impact and an effort (0..10)."""
        plot = self.plan.area(f"matrix:{matrix_ref}:plot")
        frame_id, position = self._in_frame(f"matrix:{matrix_ref}", *position_for_scores(plot, impact, effort))
        return self.client.create_sticky_note(
            self.board_id, data={"content": card_text.html_lines([text])}, position=position, parent_id=frame_id
        )

    def note_in_area(self, area_key: str, frame_key: str, text: str) -> dict:
        """Drop a sticky note in the middle of an area (a retrospective section, an objective frame)."""
        area = self.plan.area(area_key)
        frame_id, position = self._in_frame(frame_key, (area.x0 + area.x1) / 2, (area.y0 + area.y1) / 2 + 60)
        return self.client.create_sticky_note(
            self.board_id, data={"content": card_text.html_lines([text])}, position=position, parent_id=frame_id
        )
