"""addon/domain."""
