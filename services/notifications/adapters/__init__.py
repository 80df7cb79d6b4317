"""Ways in and out of notifications other than GraphQL and events."""
