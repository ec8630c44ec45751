"""miro_emulator."""
