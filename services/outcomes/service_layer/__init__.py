"""Use cases of outcomes: each takes a connection (or the pool) and plain values."""
