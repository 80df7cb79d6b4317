"""Use cases of notifications, each taking a connection: `inbox` (messages made of
events, read and marked read), `preferences` (what an account chose), `privacy` (the
export and a closed account's erasure); `dependencies` is what they share."""
