"""Sync decisions: what the board says now, the three-way merge, captures (functional core)."""
