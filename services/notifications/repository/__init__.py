"""SQL of notifications: `inbox` (the messages), `accounts` (accounts heard of and the
titles of learners' results), `preferences` (what each account chose)."""
