"""Ways in and out of outcomes other than GraphQL and events: the evidence routes and
the streaming multipart reader they use."""
