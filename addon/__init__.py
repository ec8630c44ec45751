"""addon."""
