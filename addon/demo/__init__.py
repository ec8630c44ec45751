"""The demo: the whole loop on an in-process emulator, and a team member playing a check-in."""
