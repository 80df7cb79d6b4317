"""Ways in and out of certification other than GraphQL and events: the
working-day calendar and the metrics."""
