"""A subscription does not outlive its token: `cbkit.subscriptions.ConnectionToken`,
with accounts' own token issuer verifying the connection's token and its renewals."""

from __future__ import annotations

from cbkit.subscriptions import ConnectionToken as _ConnectionToken
from services.accounts.schema.context import Info


class ConnectionToken(_ConnectionToken):
    @classmethod
    async def of_info(cls, info: Info) -> _ConnectionToken:
        """The token of the caller's connection, watched from its first subscription on."""
        deps = info.context.deps
        return await cls.of(info.context, deps.tokens.verified, deps.clock)
