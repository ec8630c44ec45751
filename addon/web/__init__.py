"""addon/web."""
