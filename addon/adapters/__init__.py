"""addon/adapters."""
