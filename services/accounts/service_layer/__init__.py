"""Use cases of accounts: each takes a connection (or the pool) and plain values."""
