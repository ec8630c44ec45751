"""The `okrboard` command line."""

from addon.cli.main import main

__all__ = ["main"]
