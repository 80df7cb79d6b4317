"""Ways in and out of accounts other than GraphQL and events: token signing."""
