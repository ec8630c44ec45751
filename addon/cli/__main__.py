"""`python -m addon.cli ARGS` runs the command line, as `okrboard ARGS` does."""

from addon.cli import main

main()
