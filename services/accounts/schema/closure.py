"""A learner closes their own account (China's Personal Information Protection Law):
what identifies them is erased here, and `account.closed` tells every other service."""

from __future__ import annotations

from datetime import datetime

import strawberry

from services.accounts.domain import access
from services.accounts.schema.context import Info
from services.accounts.schema.sessions import client_address
from services.accounts.service_layer import accounts as service_layer


@strawberry.type(description="What is left of a closed account: its id and when it closed.")
class AccountClosure:
    account_id: strawberry.ID
    closed_at: datetime


@strawberry.type
class ClosureMutations:
    @strawberry.mutation(
        description="Close your account (learners, with their password): email and name"
        " erased, every session signed out, every active consent revoked; the ledger's"
        " figures stay. The id then answers nothing but its closure."
    )
    async def close_account(self, info: Info, password: str) -> AccountClosure:
        learner = info.context.require(*access.CLOSES_OWN_ACCOUNT)
        deps = info.context.deps
        closed = await info.context.run(
            service_layer.close_account,
            deps.feed,
            learner.account_id,
            client_address(info),
            deps.clock.now(),
            password,
        )
        assert closed.closed_at is not None
        return AccountClosure(account_id=strawberry.ID(closed.id), closed_at=closed.closed_at)
