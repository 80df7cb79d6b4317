"""The gateway's edge: what happens to a request before and around planning."""
