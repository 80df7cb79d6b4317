"""The root queries: the caller's own account, and an account by id."""

from __future__ import annotations

import strawberry

from services.accounts.domain.accounts import closed
from services.accounts.schema.accounts import Account, account_loader, visible
from services.accounts.schema.admin import AdminQueries
from services.accounts.schema.context import Info
from services.accounts.schema.institutions import InstitutionQueries
from services.accounts.schema.stats import StatsQueries


@strawberry.type
class Query(InstitutionQueries, AdminQueries, StatsQueries):
    @strawberry.field
    async def me(self, info: Info) -> Account | None:
        principal = info.context.principal
        if principal is None:
            return None
        record = await account_loader(info).load(principal.account_id)
        if record is not None and record.closed_at is not None:
            raise closed(record)
        return Account.from_record(record) if record else None

    @strawberry.field
    async def account(self, info: Info, id: strawberry.ID) -> Account | None:
        """Answers only what the caller may see; an account it may not see at all, or
        one that does not exist, is refused alike."""
        return await visible(info, str(id))
