"""Blueprints of the emulated REST API v2."""

from miro_emulator.routes import boards, connectors, generic, items, members, tags

BLUEPRINTS = (boards.bp, members.bp, items.bp, generic.bp, tags.bp, connectors.bp)
