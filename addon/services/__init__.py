"""addon/services."""
