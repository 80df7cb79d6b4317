"""Ways in and out of certification other than GraphQL and events: the metrics
(the working-day calendar is `cbkit.calendar`)."""
