"""A consent as its learner and its institution see it. An institution keeps seeing
the consents it was given, revoked and expired ones too, but not the learner of one
that is no longer active."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from cbkit.auth import Role
from cbkit.graphql import from_record
from cbkit.paging import Connection, connection, page_request
from services.accounts.domain import access, consents
from services.accounts.repository import consents as store
from services.accounts.schema import accounts
from services.accounts.schema.context import Info

if TYPE_CHECKING:
    from services.accounts.schema.accounts import Account

AccountType = Annotated["Account", strawberry.lazy("services.accounts.schema.accounts")]


@strawberry.type
class Consent:
    id: strawberry.ID
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    record: strawberry.Private[consents.Consent]

    @strawberry.field(
        description="The learner, refused (null) when the caller may not read them: an"
        " institution whose consent is no longer active, like one that never had one."
    )
    async def learner(self, info: Info) -> AccountType | None:
        return await accounts.visible(info, self.record.learner_id)

    @strawberry.field
    async def institution(self, info: Info) -> AccountType:
        return await accounts.referenced(info, self.record.institution_id)

    @strawberry.field
    def active(self, info: Info) -> bool:
        return self.record.active_at(info.context.deps.clock.now())

    @classmethod
    def from_record(cls, consent: consents.Consent) -> Consent:
        return from_record(cls, consent, record=consent)


async def consents_connection(
    info: Info,
    list_name: str,
    role: Role | None,
    account_id: str,
    first: int | None,
    after: str | None,
    active_only: bool,
) -> Connection[Consent]:
    """A page of the consents a learner granted or an institution received, newest first
    (only the active ones if `active_only`); an institution reading a learner sees only
    those given to itself."""
    request = page_request(list_name, first, after)
    scope = access.list_scope(info.context.require(), account_id)
    now = info.context.deps.clock.now() if active_only else None
    found = await info.context.run(store.consents_page, role, account_id, scope, now, request)
    count = info.context.deferred(store.count_consents, role, account_id, scope, now)
    return connection(found, Consent.from_record, count)
