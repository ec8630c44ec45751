"""The board: the layout plan of a cycle's workshop board and the text written on its items."""
