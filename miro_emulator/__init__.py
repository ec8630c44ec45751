"""miro_emulator: a faithful local Miro (REST API v2 + OAuth 2.0) with rate limits, faults and a board view."""

from miro_emulator.app import create_app
from miro_emulator.config import EmulatorConfig

__all__ = ["EmulatorConfig", "create_app"]
