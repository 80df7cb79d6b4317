"""What admins do with accounts: list and search them a page at a time, disable one
(it cannot sign in; its data stays) and enable it again."""

from __future__ import annotations

import strawberry

from cbkit.auth import Role
from cbkit.paging import Connection, connection, page_request
from services.accounts.domain import access
from services.accounts.domain import accounts as domain
from services.accounts.repository import accounts as repository
from services.accounts.schema.accounts import Account
from services.accounts.schema.context import Info
from services.accounts.service_layer import accounts as service_layer


@strawberry.type
class AdminQueries:
    @strawberry.field(
        description="Open accounts in the order they were opened (admins): `search` finds"
        " a part of an email or a display name, whatever its case; `role` and `disabled`"
        " narrow the list. Closed accounts are not listed."
    )
    async def accounts(
        self,
        info: Info,
        search: str | None = None,
        role: Role | None = None,
        disabled: bool | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Account]:
        info.context.require(*access.ADMINISTERS)
        request = page_request("accounts", first, after)
        text = domain.clean_search(search)
        found = await info.context.run(repository.list_accounts, request, text, role, disabled)
        count = info.context.deferred(repository.count_accounts, text, role, disabled)
        return connection(found, Account.from_record, count)


@strawberry.type
class AdminMutations:
    @strawberry.mutation(
        description="Disable an account (admins; never one's own): it cannot sign in or"
        " refresh a session, every session of it is signed out at once; its data stays."
    )
    async def disable_account(self, info: Info, id: strawberry.ID, reason: str) -> Account:
        admin = info.context.require(*access.ADMINISTERS)
        now = info.context.deps.clock.now()
        record = await info.context.run(
            service_layer.disable_account, admin.account_id, str(id), reason, now
        )
        return Account.from_record(record)

    @strawberry.mutation(description="Let a disabled account sign in again (admins).")
    async def enable_account(self, info: Info, id: strawberry.ID) -> Account:
        info.context.require(*access.ADMINISTERS)
        record = await info.context.run(service_layer.enable_account, str(id))
        return Account.from_record(record)
