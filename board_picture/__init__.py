"""Pictures of Miro boards drawn from their listed items (SVG or PNG), as Miro draws them."""

from board_picture.render import render_board

__all__ = ["render_board"]
