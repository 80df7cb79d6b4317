"""Ways in and out of conversion other than GraphQL and events: the development seed."""
