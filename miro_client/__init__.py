"""miro_client."""
