"""GraphQL over WebSocket on /graphql: the `graphql-transport-ws` protocol (graphql-ws).

A connection is authenticated with the token in its `connection_init` payload
(`Authorization: Bearer <jwt>`, or `authorization`, or a bare `token`), verified as the
HTTP edge verifies it (refused: close 4403 with the reason, no subgraph asked), and lives
no longer than that token (4403 "token expired") unless the client refreshes it with a
`ping` carrying `{"authorization": "Bearer <jwt>"}` for the same account. Each
subscription is planned like any operation; its root fetch becomes a subscription to the
owning subgraph over the same protocol (one upstream connection per subscription, the
client's token in its `connection_init`, a refreshed one passed on in the same `ping`),
and for every upstream event the rest of the plan
runs with the event as the root data (`_entities` jumps to the other subgraphs), then
the event is shaped into the client's selection and sent. Upstream `error`, `complete`
and close end the client's subscription the same way; the client's `complete` or
disconnection closes the upstream one. Queries and mutations sent with `subscribe` get
one `next` and a `complete`, as graphql-ws servers do. With CB_TRUSTED_DOCUMENTS, a
portal's socket (`edge/trusted.py`: its upgrade request's `Origin` or `Sec-Fetch-Site`,
or `{"client": "portal"}` in `connection_init`) runs only the trusted documents; anything
else gets an `error` (`PERSISTED_QUERY_NOT_ALLOWED`) before any subgraph is asked.
"""

from gateway.subscriptions.endpoint import SubscriptionEndpoint

__all__ = ["SubscriptionEndpoint"]
